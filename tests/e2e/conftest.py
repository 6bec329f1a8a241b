"""Browser tests: a real server process on a free port and Playwright driving Debian's Chromium.

They skip, saying why, where Chromium or Playwright is missing; `.ci/run` installs Chromium.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e.server import running_server

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).parent / "artifacts"

SETUP_SCRIPT = """
from forum import create_app
from forum.bootstrap import ensure_base_data
from forum.categories.services import create_category
from forum.extensions import db
app = create_app()
with app.app_context():
    db.create_all()
    ensure_base_data()
    create_category(actor=None, name="Математика", slug="matematika",
                    description="Методика преподавания математики")
    db.session.commit()
"""



@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright for Python is not installed (pip install '.[dev]')")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The development server (with Socket.IO) on a fresh SQLite database."""
    with running_server(tmp_path_factory.mktemp("e2e"), SETUP_SCRIPT) as url:
        yield url



def new_page(browser, *, width: int = 1280, height: int = 900):
    """A Russian-speaking page in a fresh context that records console errors."""
    context = browser.new_context(locale="ru-RU", viewport={"width": width, "height": height})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors
    return context, page


@pytest.fixture
def page(browser, request):
    context, page = new_page(browser)
    yield page
    if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
