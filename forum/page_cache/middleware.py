"""The WSGI layer in front of Flask that answers guests' GETs from the page cache.

A hit costs a cookie check, one indexed read of the content generation and a cache look-up:
no request context, no session, no hooks. A miss runs the app and, when Flask marked the
page cacheable, stores exactly what went on the wire (minus per-response headers).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from sqlalchemy.engine import Engine

from forum.page_cache.generation import read_generation
from forum.page_cache.keys import guest_cookies, page_key

log = logging.getLogger(__name__)
# The environ key of a guest request's PageVerdict, which the app fills in.
CACHEABLE = "kafedra.page_cache"
# Recomputed or meaningless for another response; a Set-Cookie page is never stored at all.
HEADERS_NOT_STORED = frozenset({"content-length", "set-cookie", "date", "server",
                                "x-page-cache"})


class GuestPageCache:
    """Wraps the app's WSGI callable; everything that is not a guest's GET passes through."""

    def __init__(self, app, wsgi_app: Callable, backend, engine: Callable[[], Engine]):
        self.config = app.config
        self.wsgi_app = wsgi_app
        self.backend = backend  # a cachelib cache: get/set work without an app context
        self.engine = engine

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        cookies = guest_cookies(environ, self.config) if self.config["PAGE_CACHE_SECONDS"] \
            else None
        if cookies is None:
            return self.wsgi_app(environ, start_response)
        generation = read_generation(self.engine())
        if generation is None:
            return self.wsgi_app(environ, start_response)
        key = page_key(environ, cookies, self.config, generation)
        hit = self._get(key)
        if hit is not None:
            status, headers, body = hit
            return _send(start_response, status, headers, body, "hit")
        return self._render_and_store(environ, start_response, key)

    def _render_and_store(self, environ: dict, start_response: Callable, key: str):
        verdict = environ[CACHEABLE] = PageVerdict()
        capture = _StartResponse(start_response)
        app_iter = self.wsgi_app(environ, capture)
        if not (capture.status and verdict.shared and capture.status.startswith("200 ")
                and not any(k.lower() == "set-cookie" for k, _v in capture.headers)):
            return capture.forward(app_iter)
        try:
            body = b"".join(app_iter)
        finally:
            if hasattr(app_iter, "close"):
                app_iter.close()
        headers = [(k, v) for k, v in capture.headers if k.lower() not in HEADERS_NOT_STORED]
        self._set(key, (capture.status, headers, body))
        return _send(start_response, capture.status, headers, body, "miss")


    def _get(self, key: str):
        """A cached page, or None also when the cache (Redis) is unreachable: pages go on."""
        try:
            return self.backend.get(key)
        except Exception:  # the backend's connection errors (redis.ConnectionError, OSError…)
            log.warning("Page cache unreachable; serving the page uncached")
            return None

    def _set(self, key: str, value) -> None:
        try:
            self.backend.set(key, value, timeout=self.config["PAGE_CACHE_SECONDS"])
        except Exception:
            log.warning("Page cache unreachable; the page is not stored")


class PageVerdict:
    """Set by the app (forum.page_cache.mark_cacheable) when every guest sees the same page.

    An object rather than an environ flag: middlewares below (Flask-SocketIO's) pass the app
    a copy of the environ, and a shared object survives the copy.
    """

    shared = False


def _send(start_response, status: str, headers: list, body: bytes, outcome: str):
    start_response(status, [*headers, ("Content-Length", str(len(body))),
                            ("X-Page-Cache", outcome)])
    return [body]


class _StartResponse:
    """Holds the app's status and headers until we know whether the page will be stored.

    Werkzeug calls start_response before it returns the body; should an app call it later
    (while its body is iterated), the call goes straight through instead.
    """

    def __init__(self, start_response: Callable):
        self.start_response = start_response
        self.status: str | None = None
        self.headers: list = []
        self.exc_info = None
        self.forwarding = False

    def __call__(self, status, headers, exc_info=None):
        if self.forwarding:
            return self.start_response(status, headers, exc_info)
        self.status, self.headers, self.exc_info = status, headers, exc_info
        return self._write

    def _write(self, data: bytes) -> None:  # the legacy write() callable; Flask never uses it
        raise RuntimeError("write() is not supported behind the guests' page cache")

    def forward(self, app_iter):
        self.forwarding = True
        if self.status is not None:
            self.start_response(self.status, self.headers, self.exc_info)
        return app_iter
