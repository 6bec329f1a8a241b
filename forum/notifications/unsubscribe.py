"""Signed one-click unsubscribe links (RFC 8058) for every mail the forum sends a member."""

from __future__ import annotations

from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeSerializer

from forum.extensions import db
from forum.models import User

SALT = "email-unsubscribe"
SCOPES = ("all", "digest")


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(user: User, scope: str = "all") -> str:
    return _serializer().dumps({"u": user.id, "s": scope})


def read_token(token: str) -> tuple[User, str] | None:
    """The member and scope a token names; None when it was tampered with or is unknown."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("s") not in SCOPES \
            or not isinstance(data.get("u"), int):
        return None
    user = db.session.get(User, data["u"])
    if user is None or user.deleted_at is not None:
        return None
    return user, data["s"]


def unsubscribe_url(user: User, scope: str = "all") -> str:
    return absolute(url_for("notifications.unsubscribe_page", token=make_token(user, scope)))


def absolute(path: str) -> str:
    return current_app.config["SITE_URL"].rstrip("/") + path


def headers(user: User, scope: str = "all") -> dict[str, str]:
    """List-Unsubscribe with One-Click (RFC 8058): mail clients POST to the link."""
    return {"List-Unsubscribe": f"<{unsubscribe_url(user, scope)}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
