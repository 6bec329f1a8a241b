"""Response headers (CSP and friends), CSRF tokens and their enforcement for non-form requests,
safe redirects."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app, g, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

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
# Sessions whose signed CSRF token this process keeps; past the bound it starts afresh.
MAX_SIGNED_TOKENS = 2000
_signed_tokens: dict[tuple, str] = {}


def csrf_token() -> str:
    """The session's CSRF token, signed (Flask-WTF's generate_csrf), for forms and the page's
    meta tag.

    generate_csrf signs the session's token anew on every request, which cost each member's
    page about 2 %. Tokens have no time limit here (WTF_CSRF_TIME_LIMIT is None), so one
    signature of a session's token stays as valid as the next: each is signed once per
    process and reused. With a time limit set, every request signs its own as before, and so
    does a request that builds a FlaskForm first (its CSRF field asks generate_csrf itself).
    """
    config = current_app.config
    field = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    if config.get("WTF_CSRF_TIME_LIMIT") is not None or field in g:
        return generate_csrf()
    key = (config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key, session.get(field))
    signed = _signed_tokens.get(key) if key[1] else None
    if signed is None:
        signed = generate_csrf()
        if len(_signed_tokens) >= MAX_SIGNED_TOKENS:
            _signed_tokens.clear()
        _signed_tokens[key[0], session[field]] = signed
    else:
        setattr(g, field, signed)  # as generate_csrf does: this request's forms use it too
    return signed


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
    # In place of Flask-WTF's, which it gives templates both as a global and through a
    # context processor (registered before this one, so this one's value wins).
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.context_processor(lambda: {"csrf_token": csrf_token})

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
