"""Models: UTC datetimes on every database, and a migrated schema identical to the models."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from forum.extensions import db
from forum.models import Base, Topic, User, utcnow
from tests import factories

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
MOSCOW = timezone(timedelta(hours=3))



def reload(model, ident):
    db.session.commit()
    db.session.expire_all()
    return db.session.get(model, ident)


def test_utcnow_is_aware_utc():
    now = utcnow()
    assert now.tzinfo is not None and now.utcoffset() == timedelta(0)


@pytest.mark.parametrize(("stored", "expected"), [
    (datetime(2024, 9, 1, 8, 30, tzinfo=UTC), datetime(2024, 9, 1, 8, 30, tzinfo=UTC)),
    (datetime(2024, 9, 1, 11, 30, tzinfo=MOSCOW), datetime(2024, 9, 1, 8, 30, tzinfo=UTC)),
    (datetime(2024, 9, 1, 8, 30), datetime(2024, 9, 1, 8, 30, tzinfo=UTC)),  # naive = UTC
    (datetime(2024, 12, 31, 23, 59, 59, 123456, tzinfo=UTC),
     datetime(2024, 12, 31, 23, 59, 59, 123456, tzinfo=UTC)),
])
def test_datetimes_come_back_as_aware_utc(db, stored, expected):
    user = factories.make_user("anna")
    user.last_seen_at = stored
    loaded = reload(User, user.id).last_seen_at
    assert loaded == expected
    assert loaded.tzinfo is not None and loaded.utcoffset() == timedelta(0)


def test_null_datetimes_stay_null(db):
    user = factories.make_user("anna")
    assert reload(User, user.id).last_seen_at is None


def test_defaults_are_aware_after_a_round_trip(db, topic):
    loaded = reload(Topic, topic.id)
    for value in (loaded.created_at, loaded.bumped_at, loaded.last_posted_at):
        assert value.utcoffset() == timedelta(0)
    assert abs(utcnow() - loaded.created_at) < timedelta(minutes=5)


def test_datetime_comparisons_in_sql_respect_time_zones(db, topic):
    moment = reload(Topic, topic.id).bumped_at
    just_before_in_moscow = (moment - timedelta(seconds=1)).astimezone(MOSCOW)
    just_after_in_moscow = (moment + timedelta(seconds=1)).astimezone(MOSCOW)
    assert db.session.scalar(select(Topic.id).where(Topic.bumped_at > just_before_in_moscow))
    assert db.session.scalar(select(Topic.id).where(
        Topic.bumped_at > just_after_in_moscow)) is None


def test_every_datetime_column_uses_the_utc_type():
    from forum.models.base import UTCDateTime

    columns = [(t.name, c.name) for t in Base.metadata.sorted_tables for c in t.columns
               if c.name.endswith("_at")]
    assert columns
    for table, column in columns:
        assert isinstance(Base.metadata.tables[table].c[column].type, UTCDateTime), (
            table, column)


# --- migrations match the models -------------------------------------------------------------

def _has_revisions() -> bool:
    versions = MIGRATIONS / "versions"
    return versions.is_dir() and any(versions.glob("*.py"))


@pytest.fixture
def migrated_app(tmp_path):
    """An app whose empty database was built by `flask db upgrade`, not by create_all()."""
    from forum import create_app
    from forum.config import TestConfig

    config = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    url = os.environ.get("TEST_DATABASE_URL")
    config["SQLALCHEMY_DATABASE_URI"] = url or f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    app = create_app(config)
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        yield app
        db.session.remove()
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.engine.dispose()


@pytest.mark.skipif(not _has_revisions(), reason="migrations/versions has no revision yet")
def test_migrated_schema_matches_the_models(migrated_app):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from flask_migrate import upgrade

    upgrade(directory=str(MIGRATIONS))
    with db.engine.connect() as conn:
        from forum.models.alembic_filter import include_object

        context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                         "compare_server_default": True,
                                                         "include_object": include_object})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


@pytest.mark.skipif(not _has_revisions(), reason="migrations/versions has no revision yet")
def test_migrations_create_every_model_table(migrated_app):
    from flask_migrate import upgrade

    upgrade(directory=str(MIGRATIONS))
    tables = set(inspect(db.engine).get_table_names())
    assert set(db.metadata.tables) <= tables


@pytest.mark.skipif(not _has_revisions(), reason="migrations/versions has no revision yet")
def test_migrations_downgrade_to_nothing_and_up_again(migrated_app):
    from flask_migrate import downgrade, upgrade

    upgrade(directory=str(MIGRATIONS))
    downgrade(directory=str(MIGRATIONS), revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade(directory=str(MIGRATIONS))
    assert set(db.metadata.tables) <= set(inspect(db.engine).get_table_names())


def test_the_pinned_topics_index_is_partial_on_both_databases():
    from sqlalchemy.dialects import postgresql, sqlite
    from sqlalchemy.schema import CreateIndex

    from forum import create_app
    from forum.config import TestConfig

    # Building an app for PostgreSQL connects to nothing, so this runs on every machine.
    create_app({**{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
                "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none"})
    index = next(i for i in Topic.__table__.indexes if i.name == "ix_topics_pinned_globally")
    assert str(CreateIndex(index).compile(dialect=postgresql.dialect())).endswith(
        "WHERE is_pinned_globally")
    assert str(CreateIndex(index).compile(dialect=sqlite.dialect())).endswith(
        "WHERE is_pinned_globally IS 1")


def test_sqlite_connections_are_set_up_for_a_small_worker(db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's connection settings")
    with db.engine.connect() as conn:
        settings = {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                    for name in ("foreign_keys", "busy_timeout", "cache_size")}
    # Each pooled connection's page cache lives inside a worker's ~100 MB.
    assert settings == {"foreign_keys": 1, "busy_timeout": 5000, "cache_size": -1024}
