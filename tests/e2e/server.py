"""What the browser journeys share: a development server on a fresh SQLite database, and
logging in through the real form."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def running_server(workdir: Path, setup_script: str):
    """Run `setup_script` against a new database in workdir, then serve it; yields the URL."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{workdir / 'e2e.sqlite3'}",
           "SECRET_KEY": "e2e-secret", "PYTHONPATH": str(ROOT),
           "UPLOADS_DIR": str(workdir / "uploads")}  # never the checkout's instance/
    env.pop("TEST_DATABASE_URL", None)
    subprocess.run([sys.executable, "-c", setup_script], env=env, cwd=ROOT, check=True,
                   timeout=60)
    url = f"http://127.0.0.1:{_free_port()}"
    with open(workdir / "server.log", "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "forum.devserver", "--port", url.rsplit(":", 1)[1]],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log)
        try:
            _wait_until_up(url, server)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=10)


def run_on_live_database(tmp_path_factory, script: str) -> str:
    """Run a setup script in its own process against the session's live_server database (its
    work directory is the session's only "e2e<N>" folder); returns the last line it printed."""
    databases = sorted({p.resolve() for p in tmp_path_factory.getbasetemp().glob(
        "e2e[0-9]*/e2e.sqlite3")})
    assert len(databases) == 1, databases
    env = {"DATABASE_URL": f"sqlite:///{databases[0]}", "SECRET_KEY": "e2e-secret",
           "PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin",
           "UPLOADS_DIR": str(databases[0].parent / "uploads")}
    result = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, check=True,
                            timeout=60, capture_output=True, text=True)
    return result.stdout.strip().splitlines()[-1]


def log_in(page, url: str, username: str, password: str) -> None:
    """Sign in through the login form and wait until it has let us in."""
    page.goto(url + "/login")
    page.fill('input[name="login"]', username)
    page.fill('input[name="password"]', password)
    page.locator('form[action="/login"] button[type="submit"]').click()
    page.wait_for_url(lambda address: "/login" not in address)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(url: str, server: subprocess.Popen, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the test server exited early")
        try:
            urllib.request.urlopen(url + "/latest", timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the test server did not start")
