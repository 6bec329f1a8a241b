"""Which requests the guests' page cache may answer, and the key a page is stored under.

Both the WSGI layer (serving hits) and the storing side read the raw WSGI environ through
these functions, so a page is always looked up under the key it was stored with.
"""

from __future__ import annotations

from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header, parse_cookie

from forum.i18n import LOCALE_COOKIE, guest_locale

FLASK_LOGIN_REMEMBER_COOKIE = "remember_token"  # Flask-Login's default name


def guest_cookies(environ: dict, config) -> dict | None:
    """The cookies of a guest's GET, or None when the answer may be personal.

    A session cookie (a signed-in user, a flash message, a CSRF token), a remember-me
    cookie or an API key each mean the page may hold someone's own content.
    """
    if environ.get("REQUEST_METHOD") != "GET" or "HTTP_API_KEY" in environ:
        return None
    # A WebSocket handshake (Socket.IO) is a long-lived exchange, never a page to share.
    if "HTTP_UPGRADE" in environ or "wsgi.websocket" in environ:
        return None
    cookies = parse_cookie(environ)
    remember = config.get("REMEMBER_COOKIE_NAME", FLASK_LOGIN_REMEMBER_COOKIE)
    if config["SESSION_COOKIE_NAME"] in cookies or remember in cookies:
        return None
    return cookies


def page_key(environ: dict, cookies: dict, config, generation: int) -> str:
    """generation : locale : host + path ? query.

    The host is part of the key so that a page is only ever served to a host name that
    Flask accepted (TRUSTED_HOSTS) when it rendered the page.
    """
    accept = parse_accept_header(environ.get("HTTP_ACCEPT_LANGUAGE"), LanguageAccept)
    locale = guest_locale(cookies.get(LOCALE_COOKIE), accept, config)
    path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    return (f"{generation}:{locale}:{environ.get('HTTP_HOST', '')}{path}"
            f"?{environ.get('QUERY_STRING', '')}")
