"""Chat against real server processes with the python-socketio client: delivery between two
clients, catching up after a reconnect, two processes joined by Redis, and a Redis outage."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket as socket_module
import subprocess
import threading
import time
import urllib.request
import uuid

import pytest
import socketio

from forum.realtime import CHAT_NAMESPACE
from tests.chat.live import free_port, gunicorn_server, prepare_database, server_env

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL")
needs_redis = pytest.mark.skipif(
    not TEST_REDIS_URL, reason="set TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/5) to run chat "
                               "across two server processes joined by Redis")


class ChatClient:
    """A python-socketio client on /chat that records the "message" events it hears."""

    def __init__(self, url: str, key: str, username: str):
        self.heard: list[dict] = []
        self._lock = threading.Lock()
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("message", self._on_message, namespace=CHAT_NAMESPACE)
        self.connect(url, key, username)

    def connect(self, url: str, key: str, username: str) -> None:
        self.sio.connect(url, namespaces=[CHAT_NAMESPACE], transports=["websocket"],
                         auth={"api_key": key, "api_username": username}, wait_timeout=15)

    def _on_message(self, data):
        with self._lock:
            self.heard.append(data)

    def ask(self, event: str, data: dict) -> dict:
        return self.sio.call(event, data, namespace=CHAT_NAMESPACE, timeout=15)

    def send(self, channel_id: int, raw: str) -> dict:
        ack = self.ask("send", {"channel_id": channel_id, "client_id": uuid.uuid4().hex,
                                "raw": raw})
        assert ack.get("ok"), ack
        return ack

    def heard_ids(self, count: int, timeout: float = 15) -> list[int]:
        """The ids heard, once `count` have arrived (or the timeout passed)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.heard) < count:
            time.sleep(0.05)
        time.sleep(0.2)  # a duplicate would arrive right behind
        with self._lock:
            return [m["id"] for m in self.heard]

    def close(self) -> None:
        if self.sio.connected:
            self.sio.disconnect()


@pytest.fixture
def workdir(tmp_path):
    return tmp_path


@pytest.fixture
def clients():
    made: list[ChatClient] = []

    def _make(url, setup, username):
        client = ChatClient(url, setup["keys"][username], username)
        made.append(client)
        return client

    yield _make
    for client in made:
        client.close()


def reconnect_and_catch_up(client: ChatClient, url: str, setup: dict, username: str,
                           last_seen: int) -> list[int]:
    """What a page does after a reconnect: watch again, then ask for everything after the last
    message it saw, page by page, merging by id."""
    client.connect(url, setup["keys"][username], username)
    channel_id = setup["channel_id"]
    client.ask("watch", {"channel_id": channel_id})
    ids, complete, after = [], False, last_seen
    while not complete:
        page = client.ask("catch_up", {"channel_id": channel_id, "after_id": after})
        ids += [m["id"] for m in page["messages"]]
        complete, after = page["complete"], (ids[-1] if ids else after)
    return ids


def test_a_message_sent_by_one_client_reaches_the_other(workdir, clients):
    env = server_env(workdir)
    setup = prepare_database(env)
    with gunicorn_server(env, workdir / "server.log") as url:
        anna, boris = clients(url, setup, "teacher0"), clients(url, setup, "teacher1")
        for client in (anna, boris):
            assert client.ask("watch", {"channel_id": setup["channel_id"]})["ok"]
        ack = anna.send(setup["channel_id"], "Добрый день, коллеги")
        assert boris.heard_ids(1) == [ack["id"]]
        assert boris.heard[0]["user"]["username"] == "teacher0"


def test_a_client_that_reconnects_catches_up_without_gaps_or_duplicates(workdir, clients):
    env = server_env(workdir)
    setup = prepare_database(env)
    channel_id = setup["channel_id"]
    with gunicorn_server(env, workdir / "server.log") as url:
        anna, boris = clients(url, setup, "teacher0"), clients(url, setup, "teacher1")
        boris.ask("watch", {"channel_id": channel_id})
        before = [anna.send(channel_id, f"До разрыва {i}")["id"] for i in range(2)]
        assert boris.heard_ids(2) == before
        boris.close()
        missed = [anna.send(channel_id, f"Пока вас не было {i}")["id"] for i in range(3)]
        caught = reconnect_and_catch_up(boris, url, setup, "teacher1", last_seen=before[-1])
        assert caught == missed
        after = anna.send(channel_id, "С возвращением")["id"]
        assert boris.heard_ids(3) == [*before, after]


@needs_redis
def test_two_processes_joined_by_redis_deliver_and_catch_up(workdir, clients):
    namespace = f"kafedra-test-{uuid.uuid4().hex[:8]}"
    env = server_env(workdir, redis_url=TEST_REDIS_URL, namespace=namespace)
    setup = prepare_database(env)
    channel_id = setup["channel_id"]
    try:
        with gunicorn_server(env, workdir / "one.log") as one, \
                gunicorn_server(env, workdir / "two.log") as two:
            anna, boris = clients(one, setup, "teacher0"), clients(two, setup, "teacher1")
            anna.ask("watch", {"channel_id": channel_id})
            watched = boris.ask("watch", {"channel_id": channel_id})
            # Presence is shared: the second process lists who watches on the first.
            assert {u["username"] for u in watched["presence"]} == {"teacher0", "teacher1"}
            first = anna.send(channel_id, "Через Redis")["id"]
            assert boris.heard_ids(1) == [first]
            boris.close()
            missed = [anna.send(channel_id, f"Пропущено {i}")["id"] for i in range(3)]
            # Back on the other process this time: the database, not the process, remembers.
            assert reconnect_and_catch_up(boris, one, setup, "teacher1", first) == missed
            last = anna.send(channel_id, "Снова вместе")["id"]
            assert boris.heard_ids(2) == [first, last]
    finally:
        _forget_redis_keys(namespace)


def _forget_redis_keys(namespace: str) -> None:
    import redis

    client = redis.Redis.from_url(TEST_REDIS_URL)
    for key in client.scan_iter(match=f"*{namespace}*", count=1000):
        client.delete(key)


# --- Redis outage -----------------------------------------------------------------------------

@pytest.fixture
def app_with_redis_down():
    """An app whose Socket.IO queue and rate limits point at a port where nothing listens."""
    from forum import create_app
    from forum.bootstrap import ensure_base_data
    from forum.config import TestConfig
    from forum.extensions import db

    closed = f"redis://127.0.0.1:{free_port()}/0"

    class RedisDownConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = "sqlite://"
        SOCKETIO_MESSAGE_QUEUE = closed
        RATELIMIT_STORAGE_URI = closed

    app = create_app(RedisDownConfig)
    with app.app_context():
        db.create_all()
        ensure_base_data()
        db.session.commit()
        yield app
        db.session.remove()
        db.engine.dispose()


def test_forum_pages_render_when_redis_is_unreachable(app_with_redis_down):
    response = app_with_redis_down.test_client().get("/latest")
    assert response.status_code == 200


def test_chat_stores_and_acknowledges_a_message_when_redis_is_unreachable(workdir, clients):
    closed = f"redis://127.0.0.1:{free_port()}/0"
    env = server_env(workdir, redis_url=closed, PAGE_CACHE_SECONDS="30")
    setup = prepare_database(env)
    channel_id = setup["channel_id"]
    with gunicorn_server(env, workdir / "server.log") as url:
        assert urllib.request.urlopen(url + "/latest", timeout=10).status == 200
        anna = clients(url, setup, "teacher0")
        watched = anna.ask("watch", {"channel_id": channel_id})
        assert watched["ok"] and watched["presence"] == []  # presence needs Redis
        sent = anna.send(channel_id, "Сохранится?")
        caught = anna.ask("catch_up", {"channel_id": channel_id, "after_id": 0})
        assert [m["id"] for m in caught["messages"]] == [sent["id"]]


@pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server to stop and "
                                                             "start a Redis of its own")
def test_live_delivery_between_processes_resumes_when_redis_comes_back(workdir, clients):
    port = free_port()
    redis_url = f"redis://127.0.0.1:{port}/0"
    env = server_env(workdir, redis_url=redis_url)
    setup = prepare_database(env)
    channel_id = setup["channel_id"]
    with own_redis(port, workdir) as redis_server, \
            gunicorn_server(env, workdir / "one.log") as one, \
            gunicorn_server(env, workdir / "two.log") as two:
        anna, boris = clients(one, setup, "teacher0"), clients(two, setup, "teacher1")
        boris.ask("watch", {"channel_id": channel_id})
        first = anna.send(channel_id, "До сбоя")["id"]
        assert boris.heard_ids(1) == [first]
        redis_server.stop()
        during = anna.send(channel_id, "Во время сбоя")["id"]  # stored and acknowledged
        redis_server.start()
        after = _send_until_heard(anna, boris, channel_id)
        caught = boris.ask("catch_up", {"channel_id": channel_id, "after_id": first})
        assert [m["id"] for m in caught["messages"]][:1] == [during]
        assert after in [m["id"] for m in caught["messages"]]


def _send_until_heard(sender: ChatClient, reader: ChatClient, channel_id: int) -> int:
    """The listener reconnects with a back-off of a few seconds; until then live delivery to
    the other process pauses (the messages are stored and a catch-up finds them)."""
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        sent = sender.send(channel_id, "После сбоя")["id"]
        if sent in reader.heard_ids(len(reader.heard) + 1, timeout=2):
            return sent
    raise AssertionError("live delivery did not resume after Redis came back")


class own_redis:  # noqa: N801 - a context manager used like a function
    """A throw-away redis-server on a free port that a test may stop and start."""

    def __init__(self, port: int, workdir):
        self.port, self.workdir, self.proc = port, workdir, None

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket_module.create_connection(
                    ("127.0.0.1", self.port), timeout=0.5):
                return
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.stop()
