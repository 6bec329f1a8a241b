"""Who is asking: session users for browsers, Discourse-style Api-Key/Api-Username for scripts."""

from __future__ import annotations

from flask import Flask, abort, g, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from forum import activity
from forum.extensions import db, load_by_id, login_manager
from forum.models import SIGNED_IN_USER_OPTIONS, ApiKey, User
from forum.text import fold


def current_viewer():
    """The request's user itself (a User, or Flask-Login's anonymous user), not the
    `current_user` proxy: a page asks the permission rules about its viewer a hundred times or
    more, and through the proxy every attribute read is a lookup of its own."""
    return current_user._get_current_object()


def init_login(app: Flask) -> None:
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to continue.")
    login_manager.login_message_category = "info"
    # Unset: a changed IP must not sign teachers out mid-lesson on mobile networks.
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str):
        if not user_id.isdigit() or int(user_id) >= 2**63:
            return None
        # With the header's facts (unread count, moderates any) in the same query.
        user = load_by_id(User, int(user_id), SIGNED_IN_USER_OPTIONS)
        return user if user is not None and user.is_active else None

    @login_manager.request_loader
    def load_user_from_api_key(_request):
        return g.get("api_user")

    @app.after_request
    def remember_last_seen(response):
        # Buffered and written off the request path (forum.activity), never per request.
        # Not for a page's stylesheets, scripts and icons: the page itself counted, and
        # asking would load the account from the database for each of them.
        if request.endpoint != "static" and current_user.is_authenticated:
            activity.record_user_seen(current_user.id)
        return response

    @app.before_request
    def authenticate_api_key():
        key = request.headers.get("Api-Key")
        if not key:
            return
        user = user_for_api_key(key, request.headers.get("Api-Username"))
        if user is None:
            abort(403)
        g.api_user = user


def user_for_api_key(key: str, username: str | None) -> User | None:
    """The user a key acts as: its own user, or for an all-users key the named one."""
    api_key = db.session.scalar(
        select(ApiKey).where(ApiKey.key_digest == ApiKey.digest(key), ApiKey.revoked_at.is_(None))
    )
    if api_key is None:
        return None
    if api_key.user_id is not None:
        user = api_key.user
        if username and fold(username) != user.username_lower:
            return None
    else:
        if not username:
            return None
        user = db.session.scalar(select(User).where(User.username_lower == fold(username)))
    if user is None or not user.is_active:
        return None
    return user


def is_api_request() -> bool:
    return g.get("api_user") is not None
