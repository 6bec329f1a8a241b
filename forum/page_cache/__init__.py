"""A short-lived page cache for guests, invalidated by any change to what guests can see.

Guests (no session or remember-me cookie, no API key) asking for a cacheable page get a
stored copy keyed by host, path, query, locale and the site's content generation. Every
flush that touches content bumps the generation in the same transaction (`generation.py`),
so a new post shows at once in every process; the cache timeout only bounds memory.

Hits are answered by a WSGI layer in front of Flask (`middleware.py`); the app's part is to
say which pages every guest shares (`mark_cacheable`).
"""

from __future__ import annotations

from flask import Flask, Response, request
from flask_caching import Cache

from forum.extensions import db
from forum.page_cache import generation  # noqa: F401 - registers the flush listener
from forum.page_cache.middleware import CACHEABLE, GuestPageCache

cache = Cache()

# Pages whose guest version is the same for every guest.
CACHEABLE_ENDPOINTS = frozenset({
    "topics.latest", "topics.show", "categories.index", "categories.show", "accounts.profile",
    "api.latest", "api.categories", "api.category_topics", "api.topic", "api.site",
})


def init_page_cache(app: Flask) -> None:
    """Put the guests' cache in front of the whole app (call after extensions wrap wsgi_app)."""
    redis_url = app.config.get("REDIS_URL")
    cache.init_app(app, config={
        "CACHE_TYPE": "RedisCache" if redis_url else "SimpleCache",
        "CACHE_REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": f"{app.config.get('REDIS_NAMESPACE', 'kafedra')}-page:",
        # A Redis that went away must not hold a page for long (the middleware then serves
        # pages uncached).
        "CACHE_OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2} if redis_url else {},
        # Each page is stored with the PAGE_CACHE_SECONDS in force at the time.
        "CACHE_DEFAULT_TIMEOUT": app.config["PAGE_CACHE_SECONDS"] or 1,
        # An in-process cache lives in each worker, inside its memory budget.
        "CACHE_THRESHOLD": app.config["PAGE_CACHE_ENTRIES"],
    })
    backend = app.extensions["cache"][cache]
    engine = _engine_of(app)
    app.after_request(mark_cacheable)
    app.wsgi_app = GuestPageCache(app, app.wsgi_app, backend, engine)


def _engine_of(app: Flask):
    """The app's engine, looked up once (Flask-SQLAlchemy needs an app context for it)."""
    engine = None

    def get():
        nonlocal engine
        if engine is None:
            with app.app_context():
                engine = db.engine
        return engine

    return get


def mark_cacheable(response: Response) -> Response:
    """Tell the WSGI layer that this page is the same for every guest."""
    verdict = request.environ.get(CACHEABLE)  # present only for guests' GETs
    if (verdict is not None and request.endpoint in CACHEABLE_ENDPOINTS
            and not response.direct_passthrough and not response.is_streamed):
        verdict.shared = True
    return response
