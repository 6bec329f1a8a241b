"""Notification reads: a member's notifications, newest first, with what each links to."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from forum import permissions
from forum.extensions import db
from forum.models import Notification, Topic, User
from forum.notifications.texts import notification_text

PER_PAGE = 30
MAX_PAGE = 10_000


@dataclass
class Item:
    """One notification as the reader sees it: the sentence, and the topic only if visible."""

    note: Notification
    text: str
    topic: Topic | None

    @property
    def is_read(self) -> bool:
        return self.note.read_at is not None


@dataclass
class NotificationPage:
    items: list[Item]
    page: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def notification_page(user: User, page: int = 1) -> NotificationPage:
    """One page of the member's notifications, newest first, rendered in the current locale."""
    page = min(max(page, 1), MAX_PAGE)
    rows = list(db.session.scalars(
        select(Notification).where(Notification.user_id == user.id)
        .options(selectinload(Notification.topic).selectinload(Topic.category))
        .order_by(Notification.id.desc()).offset((page - 1) * PER_PAGE).limit(PER_PAGE + 1)))
    items = [item_for(user, note) for note in rows[:PER_PAGE]]
    return NotificationPage(items=items, page=page, has_next=len(rows) > PER_PAGE)


def item_for(user: User, note: Notification) -> Item:
    """The sentence and link target; a topic the reader can no longer see stays unnamed."""
    topic = note.topic
    if topic is not None and not permissions.can_view_topic(user, topic):
        topic = None
    return Item(note=note, text=notification_text(note, topic.title if topic else None),
                topic=topic)


def notification_for(user: User, notification_id: int) -> Notification | None:
    """The member's own notification by id (None for anyone else's)."""
    return db.session.scalar(select(Notification).where(
        Notification.id == notification_id, Notification.user_id == user.id))


def total_count(user: User) -> int:
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user.id)) or 0


def last_read_id(user: User) -> int | None:
    """The newest notification the member has read (Discourse's seen_notification_id)."""
    return db.session.scalar(select(func.max(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_not(None)))
