"""Notification writes: notify() stores one and tells the member's open pages after commit."""

from __future__ import annotations

from sqlalchemy import delete, func, select, update

from forum.extensions import db
from forum.models import Notification, Topic, User, utcnow
from forum.notifications.kinds import *  # noqa: F403 - the kinds are part of this module's API
from forum.notifications.kinds import KIND_LIKED
from forum.realtime import EVENT_NOTIFICATION, emit_after_commit, room_for_user

# How many likers a grouped like notification names (the rest are counted).
LIKED_NAMES_KEPT = 3


def notify(user: User, kind: str, *, data: dict | None = None, topic: Topic | None = None,
           post_number: int | None = None) -> Notification | None:
    """Store a notification for the user and push the new count; nothing for deleted
    accounts or when the member turned this kind off."""
    from forum.notifications.preferences import CHANNEL_OFF, channel_for

    if user is None or user.deleted_at is not None:
        return None
    if channel_for(user, kind) == CHANNEL_OFF:
        return None
    note = Notification(user_id=user.id, kind=kind, data=data or {},
                        topic_id=topic.id if topic is not None else None,
                        post_number=post_number, created_at=utcnow())
    db.session.add(note)
    db.session.flush()
    _push_count(user)
    return note


def notify_liked(user: User, *, liker: User, topic: Topic, post_number: int,
                 post_id: int) -> Notification | None:
    """One notification per liked post, consolidated as Discourse does: while unread, a new
    like replaces it with one that names the newest likers and counts them all."""
    previous = db.session.scalar(select(Notification).where(
        Notification.user_id == user.id, Notification.kind == KIND_LIKED,
        Notification.topic_id == topic.id, Notification.post_number == post_number,
        Notification.read_at.is_(None)).order_by(Notification.id.desc()).limit(1))
    names, count = [liker.username], 1
    if previous is not None:
        data = previous.data if isinstance(previous.data, dict) else {}
        earlier = [n for n in data.get("usernames", []) if isinstance(n, str)]
        names += [n for n in earlier if n != liker.username]
        old_count = data.get("count")
        count = (old_count if isinstance(old_count, int) else len(earlier)) + 1
        # Replaced, not edited: the fresh row leads the list and is unread once.
        db.session.execute(delete(Notification).where(Notification.id == previous.id))
    return notify(user, KIND_LIKED, topic=topic, post_number=post_number, data={
        "by": liker.username, "usernames": names[:LIKED_NAMES_KEPT], "count": count,
        "post_id": post_id})


def _push_count(user: User) -> None:
    emit_after_commit(db.session, EVENT_NOTIFICATION,
                      {"unread": unread_count(user)}, room=room_for_user(user.id))


def unread_count(user) -> int:
    """How many notifications the member has not read yet."""
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def mark_read(user: User, notification_id: int | None = None) -> int:
    """Mark one notification (or all of them) read; returns how many changed."""
    condition = (Notification.user_id == user.id) & Notification.read_at.is_(None)
    if notification_id is not None:
        condition &= Notification.id == notification_id
    result = db.session.execute(update(Notification).where(condition).values(read_at=utcnow()))
    changed = result.rowcount or 0
    if changed:  # the member's other open pages update their bell too
        _push_count(user)
    return changed
