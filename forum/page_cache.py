"""A short-lived page cache for guests, invalidated by any change to what guests can see.

Guests (no session or remember-me cookie, no API key) asking for a cacheable page get a
stored copy keyed by path, query, locale and the site's content generation. Every flush
that touches content bumps the generation in the same transaction, so a new post shows
at once in every process; the cache timeout only bounds memory.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request
from flask_caching import Cache
from sqlalchemy import event, text, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from forum.extensions import db
from forum.models import (
    Category,
    CategoryPermission,
    Group,
    Post,
    SitePage,
    SiteSetting,
    SiteState,
    Topic,
    User,
)

cache = Cache()

# Pages whose guest version is the same for every guest.
CACHEABLE_ENDPOINTS = frozenset({
    "topics.latest", "topics.show", "categories.index", "categories.show", "accounts.profile",
    "api.latest", "api.categories", "api.category_topics", "api.topic", "api.site",
})
# Models whose changes alter what guests see.
CONTENT_MODELS = (Topic, Post, Category, CategoryPermission, User, Group, SitePage,
                  SiteSetting)
HEADERS_KEPT = ("Content-Type", "Cache-Control")


def init_page_cache(app: Flask) -> None:
    """Register the cache before other request hooks so a hit costs as little as possible."""
    redis_url = app.config.get("REDIS_URL")
    cache.init_app(app, config={
        "CACHE_TYPE": "RedisCache" if redis_url else "SimpleCache",
        "CACHE_REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": "kafedra-page:",
        "CACHE_DEFAULT_TIMEOUT": app.config["PAGE_CACHE_SECONDS"] or 1,
        "CACHE_THRESHOLD": 2000,
    })
    app.before_request_funcs.setdefault(None, []).insert(0, serve_cached_page)
    app.after_request(store_page)


def _is_cacheable_request() -> bool:
    if not current_app.config["PAGE_CACHE_SECONDS"] or request.method != "GET":
        return False
    if request.endpoint not in CACHEABLE_ENDPOINTS:
        return False
    cookies = request.cookies
    session_cookie = current_app.config.get("SESSION_COOKIE_NAME", "session")
    return (session_cookie not in cookies and "remember_token" not in cookies
            and "Api-Key" not in request.headers)


def _cache_key() -> str | None:
    generation = current_generation()
    if generation is None:
        return None
    languages = current_app.config["LANGUAGES"]
    locale = request.cookies.get("locale")
    if locale not in languages:
        locale = request.accept_languages.best_match(languages) or "default"
    return f"{generation}:{locale}:{request.full_path}"


def current_generation() -> int | None:
    """The content generation, or None when it cannot be read (then nothing is cached)."""
    try:
        with db.engine.connect() as conn:
            return conn.execute(text("SELECT generation FROM site_state WHERE id = 1")).scalar()
    except SQLAlchemyError:
        return None


def serve_cached_page():
    if not _is_cacheable_request():
        return None
    key = _cache_key()
    if key is None:
        return None
    request.environ["kafedra.page_cache_key"] = key
    hit = cache.get(key)
    if hit is None:
        return None
    status, body, headers = hit
    response = Response(body, status=status, headers=headers)
    response.headers["X-Page-Cache"] = "hit"
    return response


def store_page(response: Response) -> Response:
    key = request.environ.get("kafedra.page_cache_key")
    if (key is None or response.status_code != 200 or response.direct_passthrough
            or response.headers.get("X-Page-Cache") == "hit"):
        return response
    if "Set-Cookie" in response.headers:  # something personal happened: never share it
        return response
    headers = {h: response.headers[h] for h in HEADERS_KEPT if h in response.headers}
    cache.set(key, (response.status_code, response.get_data(), headers))
    response.headers["X-Page-Cache"] = "miss"
    return response


@event.listens_for(Session, "before_flush")
def _bump_generation_on_content_change(session: Session, flush_context, instances) -> None:
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(obj, CONTENT_MODELS) for obj in changed):
        session.execute(update(SiteState).where(SiteState.id == 1)
                        .values(generation=SiteState.generation + 1))


