"""Helpers for the chat moderation tests: queued broadcasts, staff-log rows, notifications."""

from __future__ import annotations

from sqlalchemy import select

from forum.extensions import db
from forum.models import Notification, StaffAction


def queued_events(name: str | None = None) -> list[tuple]:
    """(event, data, room) of the broadcasts waiting for the commit."""
    pending = db.session.info.get("kafedra_pending_emits", [])
    return [(e, data, room) for e, data, room, _ns in pending if name is None or e == name]


def logged(action: str) -> list[StaffAction]:
    db.session.flush()
    return list(db.session.scalars(select(StaffAction).where(StaffAction.action == action)))


def notifications_of(user, kind: str | None = None) -> list[Notification]:
    db.session.flush()
    query = select(Notification).where(Notification.user_id == user.id)
    if kind is not None:
        query = query.where(Notification.kind == kind)
    return list(db.session.scalars(query.order_by(Notification.id)))
