"""The query planner's table statistics on SQLite, kept fresh off the request path.

SQLite plans from `sqlite_stat1`, which only ANALYZE fills; PostgreSQL's autovacuum keeps its
own statistics. A community database starts empty, so the statistics it was migrated with
describe empty tables, and SQLite 3.40's `PRAGMA optimize` never analyzes a table it has no
statistics for. Without them a member's New/Unread counts on the 100,000-post benchmark
took 2.5 ms of SQL instead of 0.2 ms (a plan that starts from the wrong index).

ANALYZE with an `analysis_limit` samples each index instead of reading it whole: a few
milliseconds on the benchmark's database, whatever its size, so the activity timer runs it
once an hour in each worker.
"""

from __future__ import annotations

import logging
import time

from sqlalchemy import Connection

log = logging.getLogger(__name__)
# Rows sampled per index (SQLite's recommendation for a bounded ANALYZE is a few hundred).
ANALYSIS_LIMIT = 1000
_last_refresh: float | None = None


def refresh(connection: Connection) -> bool:
    """Gather the planner's statistics now; False where the database keeps its own."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("ANALYZE")
        return True
    if connection.dialect.name != "sqlite":
        return False
    connection.exec_driver_sql(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
    connection.exec_driver_sql("ANALYZE")
    return True


def refresh_sqlite_if_due(connection: Connection, every_seconds: float) -> bool:
    """Refresh SQLite's statistics when this process last did so over every_seconds ago
    (or never). PostgreSQL is left to autovacuum."""
    global _last_refresh
    if connection.dialect.name != "sqlite" or every_seconds <= 0:
        return False
    now = time.monotonic()
    if _last_refresh is not None and now - _last_refresh < every_seconds:
        return False
    _last_refresh = now
    refresh(connection)
    return True


def forget_last_refresh() -> None:
    """Tests: make the next refresh_sqlite_if_due run."""
    global _last_refresh
    _last_refresh = None
