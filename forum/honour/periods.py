"""The periods the honour board and the users directory count over (Discourse's names)."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from forum.models import utcnow

ALL_TIME = "all"
# Discourse's directory periods; the honour board offers the four the issue names.
PERIOD_DAYS: dict[str, int | None] = {
    "daily": 1, "weekly": 7, "monthly": 30, "quarterly": 91, "yearly": 365, ALL_TIME: None,
}
PERIOD_LABELS = {
    "daily": _l("Today"), "weekly": _l("Week"), "monthly": _l("Month"),
    "quarterly": _l("Quarter"), "yearly": _l("Year"), ALL_TIME: _l("All time"),
}
BOARD_PERIODS = ("weekly", "monthly", "yearly", ALL_TIME)


def is_period(name: str | None) -> bool:
    return name in PERIOD_DAYS


def period_start(name: str, now: datetime | None = None) -> datetime | None:
    """When the period began (None for all time): a rolling window ending now."""
    days = PERIOD_DAYS[name]
    if days is None:
        return None
    return (now or utcnow()) - timedelta(days=days)
