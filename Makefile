# Kafedra — the few verbs a newcomer needs. `make run` and `make test` work on a fresh machine
# that has Python 3.11 and make.

PYTHON ?= python3
VENV   ?= .venv
PORT   ?= 5000
HOST   ?= 127.0.0.1
# pytest-xdist workers for `make test` (auto: one per core; 0 runs in this process).
TEST_WORKERS ?= auto
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi

.PHONY: run test venv dev-venv translations migrate demo lint e2e bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The stamp files re-install only when setup.cfg changes.
$(VENV)/.installed: setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed

venv: $(VENV)/.installed
dev-venv: $(VENV)/.installed-dev

translations: $(VENV)/.installed
	$(BIN)/pybabel -q compile --use-fuzzy -d forum/translations

migrate: venv translations
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) forum demo --if-empty
	$(FLASK) forum badges sync

run: demo
	$(BIN)/python -m forum.devserver --host $(HOST) --port $(PORT)

test: dev-venv translations
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

lint: dev-venv
	$(BIN)/ruff check forum tests bench

e2e: dev-venv translations
	$(BIN)/pytest tests/e2e

bench: venv
	$(BIN)/python bench/http.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
