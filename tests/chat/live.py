"""Real chat servers for integration tests: a shared temp-file database with a channel and
API-keyed members, and gunicorn processes with the production worker class."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
WORKER_CLASS = "geventwebsocket.gunicorn.workers.GeventWebSocketWorker"

SETUP_SCRIPT = """
import json, sys
from forum import create_app
from forum.accounts import services as accounts
from forum.bootstrap import ensure_base_data
from forum.chat import channels
from forum.extensions import db
from forum.models import CHANNEL_PUBLIC

app = create_app({"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
with app.app_context():
    db.create_all()
    ensure_base_data()
    host = accounts.register(username="host", email="host@example.org",
                             password="host-password-1", role="moderator")
    members = [accounts.register(username=f"teacher{i}", email=f"t{i}@example.org",
                                 password="teacher-password-1") for i in range(int(sys.argv[1]))]
    for member in members:
        member.trust_level = 1
    channel = channels.create_channel(CHANNEL_PUBLIC, actor=host, name="Общий чат")
    keys = {m.username: accounts.create_api_key(actor=None, user=m) for m in members}
    db.session.commit()
    print(json.dumps({"channel_id": channel.id, "keys": keys}))
"""


def server_env(workdir: Path, *, redis_url: str | None = None, namespace: str = "kafedra",
               **extra: str) -> dict:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{workdir / 'chat.sqlite3'}",
           "SECRET_KEY": "live-secret", "PYTHONPATH": str(ROOT), "PAGE_CACHE_SECONDS": "0",
           "REDIS_NAMESPACE": namespace, **extra}
    for name in ("TEST_DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def prepare_database(env: dict, members: int = 2) -> dict:
    """Create the schema, a public channel and `members` teachers; returns their API keys."""
    out = subprocess.run([sys.executable, "-c", SETUP_SCRIPT, str(members)], env=env, cwd=ROOT,
                         check=True, capture_output=True, text=True, timeout=120).stdout
    return json.loads(out.strip().splitlines()[-1])


@contextlib.contextmanager
def gunicorn_server(env: dict, log_path: Path):
    """One gunicorn process with one gevent-websocket worker on a free port; yields its URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with open(log_path, "a") as log:
        proc = subprocess.Popen(
            [str(BIN / "gunicorn"), "--workers", "1", "--worker-class", WORKER_CLASS,
             "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
            env=env, cwd=ROOT, stdout=log, stderr=log)
        try:
            wait_until_up(url, proc)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 40) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the chat server exited early")
        try:
            urllib.request.urlopen(url + "/latest", timeout=2).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the chat server did not start")
