"""SQLite's planner statistics (forum.planner_statistics): gathered by the activity timer at
most once per interval, and by seed-bench, so plans describe the tables as they are."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from forum import activity, planner_statistics
from forum.extensions import db


@pytest.fixture
def sqlite_only(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL keeps its own statistics (autovacuum)")
    planner_statistics.forget_last_refresh()
    yield
    planner_statistics.forget_last_refresh()


def _statistics_rows() -> list[str]:
    with db.engine.connect() as connection:
        if connection.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first() is None:
            return []
        return [row[0] for row in connection.exec_driver_sql("SELECT tbl FROM sqlite_stat1")]


def test_the_activity_timer_gathers_statistics_for_tables_with_rows(
        app, sqlite_only, topic):
    app.config["PLANNER_STATISTICS_SECONDS"] = 3600
    assert "topics" not in _statistics_rows()

    activity._flush_in_app(app)

    assert "topics" in _statistics_rows()


def test_statistics_are_gathered_at_most_once_per_interval(app, sqlite_only, topic):
    with db.engine.begin() as connection:
        assert planner_statistics.refresh_sqlite_if_due(connection, 3600) is True
        assert planner_statistics.refresh_sqlite_if_due(connection, 3600) is False
        connection.execute(text("DELETE FROM sqlite_stat1"))
    with db.engine.begin() as connection:
        assert planner_statistics.refresh_sqlite_if_due(connection, 0) is False  # switched off
    assert _statistics_rows() == []

    planner_statistics.forget_last_refresh()
    with db.engine.begin() as connection:
        assert planner_statistics.refresh_sqlite_if_due(connection, 3600) is True
    assert "topics" in _statistics_rows()
