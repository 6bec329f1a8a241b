"""Batched activity writes: topic views and members' "last seen", flushed off the request path.

A plain page view must write nothing to the database in the request, so views are
counted in memory and a background timer (or an explicit flush) writes them in one go.
"""

from __future__ import annotations

import atexit
import logging
import threading
from collections import Counter
from datetime import datetime

from flask import Flask, current_app
from sqlalchemy import update

from forum import planner_statistics
from forum.extensions import db
from forum.models import Topic, User, utcnow

log = logging.getLogger(__name__)
_lock = threading.Lock()
_topic_views: Counter[int] = Counter()
_last_seen: dict[int, datetime] = {}
_timer: threading.Timer | None = None
# A flush is scheduled and has not started yet. A plain flag, read without a lock: under
# gevent, Timer.is_alive() takes a lock and yields to other requests, and a request that
# yields while it holds a database connection makes the others open more connections.
_flush_scheduled = False


def record_topic_view(topic_id: int) -> None:
    with _lock:
        _topic_views[topic_id] += 1
    _schedule_flush()


def record_user_seen(user_id: int) -> None:
    with _lock:
        _last_seen[user_id] = utcnow()
    _schedule_flush()


def pending_counts() -> tuple[dict[int, int], dict[int, datetime]]:
    with _lock:
        return dict(_topic_views), dict(_last_seen)


def discard_pending() -> None:
    """Forget buffered counts (tests start each case from a clean slate)."""
    with _lock:
        _topic_views.clear()
        _last_seen.clear()


def flush() -> None:
    """Write buffered counts in one transaction (call inside an app context)."""
    with _lock:
        views, seen = dict(_topic_views), dict(_last_seen)
        _topic_views.clear()
        _last_seen.clear()
    if not views and not seen:
        return
    for topic_id, n in views.items():
        db.session.execute(update(Topic).where(Topic.id == topic_id)
                           .values(views=Topic.views + n))
    for user_id, when in seen.items():
        db.session.execute(update(User).where(User.id == user_id).values(last_seen_at=when))
    if seen:  # days visited (and member_visited) ride on the same batched write
        from forum.reputation.stats import record_visits
        record_visits(seen)
    db.session.commit()


def _schedule_flush() -> None:
    global _timer, _flush_scheduled
    seconds = current_app.config.get("STATS_FLUSH_SECONDS", 10)
    if seconds <= 0 or _flush_scheduled:
        return
    app = current_app._get_current_object()
    with _lock:
        if _flush_scheduled:
            return
        _flush_scheduled = True
        _timer = threading.Timer(seconds, _flush_in_app, args=(app,))
        _timer.daemon = True
        _timer.start()


def _flush_in_app(app: Flask) -> None:
    global _flush_scheduled
    with _lock:
        # What is recorded from now on schedules the next flush.
        _flush_scheduled = False
    try:
        with app.app_context():
            flush()
            _refresh_planner_statistics(app)
    except Exception:  # never let a stats flush take a worker down
        log.exception("Could not flush activity counters")


def _refresh_planner_statistics(app: Flask) -> None:
    # The only timer a worker runs, and off the request path: the statistics ride on it.
    with db.engine.begin() as connection:
        planner_statistics.refresh_sqlite_if_due(
            connection, app.config.get("PLANNER_STATISTICS_SECONDS", 0))


def register_exit_flush(app: Flask) -> None:
    atexit.register(_flush_in_app, app)
