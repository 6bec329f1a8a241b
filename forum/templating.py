"""Jinja set-up: filters for localised dates, the permission module in templates, shared globals."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_timedelta
from flask import Flask, current_app
from flask_babel import get_locale

from forum import permissions
from forum.i18n import install_template_gettext
from forum.models import utcnow


def timeago(value: datetime | None) -> str:
    """"5 минут назад" / "5 minutes ago" in the reader's language."""
    return relative_times()(value)


def relative_times() -> Callable[[datetime | None], str]:
    """timeago for many values at once: the locale and the clock are read once.

    A list page fills thirty rows' times, and each locale lookup walks Flask-Babel's context
    proxies."""
    locale = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    now = utcnow()

    def words(value: datetime | None) -> str:
        if value is None:
            return ""
        return _relative_time(locale, round((value - now).total_seconds()))

    return words


@functools.lru_cache(maxsize=1024)
def _relative_time(locale: str, seconds: int) -> str:
    # Whole seconds: the text never shows less, and every row of every page rendered in
    # the same second shares the (slow) Babel formatting. An entry is reused only within
    # its second, so the cache need hold about one second's pages' times: more would keep
    # ~250 bytes an entry of stale ones in each worker.
    return format_timedelta(timedelta(seconds=seconds), add_direction=True, threshold=1.1,
                            locale=locale)


def full_datetime(value: datetime | None) -> str:
    """"22.11.2026 14:05" in the site's time zone: numeric, so it reads the same in both
    languages, and formatted without Babel because lists show it on every row."""
    if value is None:
        return ""
    return value.astimezone(_site_zone()).strftime("%d.%m.%Y %H:%M")


def _site_zone() -> ZoneInfo:
    return _zone(current_app.config["BABEL_DEFAULT_TIMEZONE"])


@functools.cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def iso(value: datetime | None) -> str:
    return value.isoformat().replace("+00:00", "Z") if value else ""


def init_templating(app: Flask) -> None:
    from forum.fragments import GLOBALS as FRAGMENTS  # it uses this module's filters

    install_template_gettext(app)  # replaces Flask-Babel's slower per-call lookups
    app.jinja_env.globals.update(FRAGMENTS)
    from forum.page_header import site_header
    from forum.topics.list_rows import topic_rows
    from forum.topics.post_html import post_contents

    app.jinja_env.globals.update(topic_rows=topic_rows, post_contents=post_contents,
                                site_header=site_header)
    app.jinja_env.filters["timeago"] = timeago
    app.jinja_env.filters["full_datetime"] = full_datetime
    app.jinja_env.filters["iso"] = iso
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def globals_for_templates():
        return {
            "perm": permissions,
            "site_name": current_app.config["SITE_NAME"],
            "current_locale": str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"]),
            "languages": current_app.config["LANGUAGES"],
        }
