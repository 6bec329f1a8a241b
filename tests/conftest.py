"""Fixtures: app, db (fresh schema per test), client, login, socket_client, count_queries.

TEST_DATABASE_URL switches the whole suite to PostgreSQL (the schema is dropped and
re-created for every test, so the database must be one the tests may own). Under
pytest-xdist (`make test` runs one worker per core) each worker gets a database of its own,
named after the given one with the worker's id appended, created when missing.
"""

from __future__ import annotations

import contextlib
import os

import pytest
from sqlalchemy import event, inspect, text

from forum import activity, create_app
from forum.bootstrap import ensure_base_data
from forum.config import TestConfig
from forum.extensions import db as _db
from forum.extensions import limiter, socketio
from tests import factories


def pytest_configure(config):
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    url = os.environ.get("TEST_DATABASE_URL")
    if worker and url and url.startswith("postgresql"):
        url = _worker_database(url, worker)
        os.environ["TEST_DATABASE_URL"] = url
        TestConfig.SQLALCHEMY_DATABASE_URI = url


def _worker_database(url: str, worker: str) -> str:
    """The worker's own PostgreSQL database beside the given one, created when missing."""
    import psycopg
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{worker}"
    server = base.set(drivername="postgresql", database="postgres")
    with psycopg.connect(server.render_as_string(hide_password=False),
                         autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() \
                is None:
            conn.execute(f'CREATE DATABASE "{name}"')
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture
def app(tmp_path):
    app = create_app(TestConfig)
    app.config["UPLOADS_DIR"] = str(tmp_path / "uploads")
    with app.app_context():
        _empty_schema()
        ensure_base_data()
        _db.session.commit()
        limiter.reset()
        activity.discard_pending()
        yield app
        _db.session.remove()
        _db.engine.dispose()  # in-memory SQLite vanishes with its engine


def _empty_schema() -> None:
    """A fresh in-memory SQLite schema, or PostgreSQL's tables emptied (created when missing).

    Truncating is many times faster than dropping and re-creating every table per test.
    """
    if _db.engine.dialect.name == "sqlite":
        _db.create_all()
        return
    if not all(inspect(_db.engine).has_table(t.name) for t in _db.metadata.sorted_tables):
        _db.drop_all()
        _db.create_all()
        return
    names = ", ".join(f'"{t.name}"' for t in _db.metadata.sorted_tables)
    with _db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def login(client):
    """Sign a user in through the login form, as a person would."""

    def _login(user, password: str = factories.PASSWORD):
        _db.session.commit()
        response = client.post("/login", data={"login": user.username, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return _login


@pytest.fixture
def socket_client(app, client):
    """A Socket.IO test client on /live sharing the Flask test client's cookies."""

    def _connect(namespace: str = "/live"):
        return socketio.test_client(app, namespace=namespace, flask_test_client=client)

    return _connect


@pytest.fixture
def count_queries(app):
    """Count SQL statements run inside the `with` block."""

    @contextlib.contextmanager
    def _count():
        statements: list[str] = []

        def before(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        engine = _db.engine
        event.listen(engine, "before_cursor_execute", before)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", before)

    return _count


@pytest.fixture
def without_badges(app):
    """Badge receivers off: for tests that count every notification a member has (a first post
    earns badges, and each grant is a notification). Badges are tested in tests/reputation."""
    from forum.reputation.badges.receivers import register_receivers, unregister_receivers

    unregister_receivers()
    yield
    register_receivers()


# --- named states -----------------------------------------------------------------------------

@pytest.fixture
def member(db):
    user = factories.make_user("anna", name="Анна Петровна")
    db.session.commit()
    return user


@pytest.fixture
def other_member(db):
    user = factories.make_user("boris")
    db.session.commit()
    return user


@pytest.fixture
def admin(db):
    user = factories.make_user("coordinator", role="admin")
    db.session.commit()
    return user


@pytest.fixture
def moderator(db):
    user = factories.make_user("moder", role="moderator")
    db.session.commit()
    return user


@pytest.fixture
def student(db):
    user = factories.make_user("pupil", role="student")
    db.session.commit()
    return user


@pytest.fixture
def parent(db):
    user = factories.make_user("mama", role="parent")
    db.session.commit()
    return user


@pytest.fixture
def category(db):
    cat = factories.make_category("Математика", slug="matematika")
    db.session.commit()
    return cat


@pytest.fixture
def private_category(db):
    cat = factories.make_private_category()
    db.session.commit()
    return cat


@pytest.fixture
def topic(db, category, member):
    t = factories.make_topic(category=category, author=member, title="Как объяснять дроби")
    db.session.commit()
    return t


@pytest.fixture
def subject_moderator(db, category):
    """Moderates the `category` fixture only."""
    user = factories.make_subject_moderator(category, "matmod")
    db.session.commit()
    return user


@pytest.fixture
def other_subject_moderator(db):
    """Moderates a different category (Physics), not the `category` fixture."""
    physics = factories.make_category("Физика", slug="fizika")
    user = factories.make_subject_moderator(physics, "fizmod")
    db.session.commit()
    return user


@pytest.fixture
def silenced_member(db):
    user = factories.silence(factories.make_user("tikhon"))
    db.session.commit()
    return user


@pytest.fixture
def suspended_member(db):
    user = factories.suspend(factories.make_user("zapret"))
    db.session.commit()
    return user
