"""Response headers (CSP and friends), CSRF enforcement for non-form requests, safe redirects."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app, request
from flask_login import current_user

from forum.extensions import csrf

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' https: data:",
    "connect-src 'self' ws: wss:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
])

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def csrf_in_form(view):
    """Mark a view whose WTForms form checks the CSRF token itself.

    Such views re-render the form with what was typed and an error when the token is
    missing or stale, instead of losing the text to a bare error page.
    """
    view.csrf_in_form = True
    return view


def is_safe_redirect(target: str | None) -> bool:
    """Only same-site paths are followed after login (no open redirects)."""
    # Backslashes and control characters are rewritten by browsers ("/\\evil.com", "/\t/evil.com").
    if not target or "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return False
    parts = urlsplit(target)
    if not parts.scheme and not parts.netloc:
        return target.startswith("/") and not target.startswith("//")
    # "http:evil.com" has a scheme but no host; Werkzeug sends it as "http:///evil.com",
    # which browsers open as http://evil.com — so a scheme needs our own host beside it.
    base = urlsplit(request.host_url)
    return parts.scheme in ("http", "https") and parts.netloc == base.netloc


def init_security(app: Flask) -> None:
    @app.before_request
    def enforce_csrf():
        if request.method not in UNSAFE_METHODS or not current_app.config.get(
                "WTF_CSRF_ENABLED", True):
            return
        # Discourse API clients authenticate with a key, not a browser session.
        if request.headers.get("Api-Key"):
            return
        # A guest's language switch only sets a cookie; a token would start a session.
        if request.endpoint == "accounts.set_language" and not current_user.is_authenticated:
            return
        view = current_app.view_functions.get(request.endpoint)
        if view is not None and getattr(view, "csrf_in_form", False):
            return
        csrf.protect()

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        return response
