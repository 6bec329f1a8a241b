"""Notification writes: notify() stores one and tells the member's open pages after commit."""

from __future__ import annotations

from sqlalchemy import func, select, update

from forum.extensions import db
from forum.models import Notification, Topic, User, utcnow
from forum.realtime import EVENT_NOTIFICATION, emit_after_commit, room_for_user

# Kinds this capabilities send; each has a sentence in notifications/texts.py.
KIND_POST_HIDDEN = "post_hidden"  # your post was hidden (by flags or a moderator)
KIND_POST_APPROVED = "post_approved"
KIND_POST_REJECTED = "post_rejected"
KIND_FLAG_OUTCOME = "flag_outcome"  # what moderators decided about your flag
KIND_MODERATOR_ACTION = "moderator_action"  # a moderator closed, moved, deleted… your content
KIND_SILENCED = "silenced"
KIND_SUSPENDED = "suspended"
# Chat: data carries channel_id (and message_id); the link goes to the channel.
KIND_CHAT_MENTION = "chat_mention"
KIND_CHAT_SILENCED = "chat_silenced"
KIND_CHAT_MESSAGE_DELETED = "chat_message_deleted"  # a moderator agreed with flags on it
KIND_TRUST_LEVEL_PROMOTED = "trust_level_promoted"  # data: level, and what it unlocks
KIND_BADGE_GRANTED = "badge_granted"  # data: badge_slug, badge_id, user_badge_id


def notify(user: User, kind: str, *, data: dict | None = None, topic: Topic | None = None,
           post_number: int | None = None) -> Notification | None:
    """Store a notification for the user (never for deleted accounts) and push the new count."""
    if user is None or user.deleted_at is not None:
        return None
    note = Notification(user_id=user.id, kind=kind, data=data or {},
                        topic_id=topic.id if topic is not None else None,
                        post_number=post_number, created_at=utcnow())
    db.session.add(note)
    db.session.flush()
    emit_after_commit(db.session, EVENT_NOTIFICATION,
                      {"unread": unread_count(user)}, room=room_for_user(user.id))
    return note


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
        emit_after_commit(db.session, EVENT_NOTIFICATION,
                          {"unread": unread_count(user)}, room=room_for_user(user.id))
    return changed
