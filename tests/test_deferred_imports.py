"""A page-serving process does not import what only uploads, search, clients or Redis need.

Every gunicorn worker pays for each module the app imports (issue #2: ≤ 100 MB RSS a worker);
these tests keep the heavy ones deferred, so the saving cannot quietly regress.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from forum.deferred_imports import deferred, hidden

ROOT = Path(__file__).resolve().parents[1]

# Imported where they are used (forum.uploads, forum.search.stems, forum.library.extraction,
# forum.markup's cooking) or, for Socket.IO's optional clients, not before first use.
DEFERRED = ["PIL", "puremagic", "snowballstemmer", "pypdf", "aiohttp", "requests",
            "websocket", "redis", "urllib3", "bleach", "markdown"]


def _modules_after_create_app(code: str = "") -> set[str]:
    script = ("import json, sys\n"
              "from forum import create_app\n"
              "from forum.config import TestConfig\n"
              "app = create_app(TestConfig)\n"
              f"{code}\n"
              "print(json.dumps(sorted(m for m, v in sys.modules.items() if v is not None)))")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("REDIS_URL", None)
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True, timeout=120).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_creating_the_app_leaves_the_heavy_optional_modules_unimported():
    loaded = _modules_after_create_app()
    assert [name for name in DEFERRED if name in loaded] == []


def test_a_sqlite_worker_never_imports_the_postgresql_dialect(tmp_path):
    # Any postgresql_* option on a model, or importing the dialect at the top of a module,
    # would load it (2 MB); PostgreSQL's options are added only where it is the database.
    # A worker as gunicorn starts it: the tests' own apps import Alembic, which loads it.
    script = ("import json, sys\n"
              "from wsgi import app\n"
              "from forum.extensions import db\n"
              "with app.app_context():\n"
              "    db.create_all()\n"
              "assert app.test_client().get('/latest').status_code == 200\n"
              "import forum.following.services\n"
              "print(json.dumps(sorted(m for m, v in sys.modules.items() if v is not None)))")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SECRET_KEY": "worker-test",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}"}
    for name in ("REDIS_URL", "TEST_DATABASE_URL", "FLASK_RUN_FROM_CLI"):
        env.pop(name, None)
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True, timeout=120).stdout
    loaded = json.loads(out.splitlines()[-1])
    assert "sqlalchemy.dialects.sqlite" in loaded
    assert [name for name in loaded if name.startswith("sqlalchemy.dialects.postgresql")] == []


def test_a_socketio_client_still_gets_its_transports_when_it_uses_them():
    loaded = _modules_after_create_app(
        "import engineio.client, engineio.async_client\n"
        "assert engineio.client.requests.Session and engineio.client.websocket.WebSocket\n"
        "assert engineio.async_client.aiohttp.ClientSession")
    assert {"requests", "websocket", "aiohttp"} <= loaded


def test_a_redis_queue_gives_socketio_the_redis_package():
    loaded = _modules_after_create_app(
        "from forum import _socketio_queue\n"
        "manager = _socketio_queue('redis://127.0.0.1:1/0', 'kafedra')['client_manager']\n"
        "from socketio import redis_manager\n"
        "import redis\n"
        "assert redis_manager.redis is redis\n"
        "assert redis_manager.RedisError is redis.exceptions.RedisError\n"
        "assert isinstance(manager, redis_manager.RedisManager)")
    assert "redis" in loaded


@pytest.fixture
def probe_module(tmp_path, monkeypatch):
    """A module of our own that records, in an environment variable, that it was executed."""
    name = "kafedra_deferred_probe"
    (tmp_path / f"{name}.py").write_text(
        "import os\nos.environ['KAFEDRA_PROBE_RAN'] = '1'\nVALUE = 42\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delenv("KAFEDRA_PROBE_RAN", raising=False)
    yield name
    sys.modules.pop(name, None)


def test_a_deferred_module_runs_on_its_first_attribute(probe_module):
    with deferred(probe_module):
        probe = __import__(probe_module)
    assert "KAFEDRA_PROBE_RAN" not in os.environ
    assert probe_module not in sys.modules  # later importers get the real module
    assert probe.VALUE == 42
    assert os.environ["KAFEDRA_PROBE_RAN"] == "1"
    assert sys.modules[probe_module].VALUE == 42


def test_a_hidden_module_cannot_be_imported_inside_the_block_only(probe_module):
    with hidden(probe_module), pytest.raises(ImportError):
        __import__(probe_module)
    assert __import__(probe_module).VALUE == 42


def test_deferring_a_missing_module_keeps_its_import_error():
    with deferred("kafedra_no_such_module"), pytest.raises(ImportError):
        __import__("kafedra_no_such_module")
