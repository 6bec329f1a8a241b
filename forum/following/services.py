"""Following writes: watching levels for topics and categories, automatic tracking, read marks."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select, update

from forum import permissions
from forum.errors import DomainError
from forum.extensions import db, dialect_insert
from forum.following.filters import forget_viewer_mutes
from forum.models import (
    LEVEL_NORMAL,
    LEVEL_TRACKING,
    LEVEL_WATCHING,
    NOTIFICATION_LEVELS,
    REASON_CREATED_POST,
    REASON_CREATED_TOPIC,
    REASON_USER_CHANGED,
    Category,
    CategoryUser,
    Post,
    Topic,
    TopicRead,
    TopicUser,
    User,
    utcnow,
)
from forum.notifications.preferences import ensure_options


def parse_level(value) -> int:
    """A notification level from a form or API value (0–3 or its Discourse name)."""
    names = {"muted": 0, "regular": 1, "normal": 1, "tracking": 2, "watching": 3}
    if isinstance(value, str) and value.strip().lower() in names:
        return names[value.strip().lower()]
    try:
        level = int(value)
    except (TypeError, ValueError):
        level = -1
    if level not in NOTIFICATION_LEVELS:
        raise DomainError(_("Choose one of the notification levels."),
                          field="notification_level")
    return level


def topic_level_row(user: User, topic: Topic) -> TopicUser | None:
    return db.session.scalar(select(TopicUser).where(TopicUser.user_id == user.id,
                                                     TopicUser.topic_id == topic.id))


def set_topic_level(topic: Topic, *, user: User, level: int,
                    reason: int = REASON_USER_CHANGED) -> TopicUser:
    """Watch, track, leave normal or mute a topic the member can read."""
    if not permissions.is_signed_in(user):
        raise DomainError(_("You need to sign in to do that."), status_code=403)
    permissions.require(permissions.can_view_topic(user, topic), hide=True)
    row = topic_level_row(user, topic)
    if row is None:
        row = TopicUser(user_id=user.id, topic_id=topic.id)
        db.session.add(row)
    row.notification_level = parse_level(level)
    row.notifications_reason = reason
    row.changed_at = utcnow()
    db.session.flush()
    forget_viewer_mutes(user)
    return row


def set_category_level(category: Category, *, user: User, level: int) -> CategoryUser:
    """Watch, track, leave normal or mute a category the member can read."""
    if not permissions.is_signed_in(user):
        raise DomainError(_("You need to sign in to do that."), status_code=403)
    permissions.require(permissions.can_view_category(user, category), hide=True)
    row = db.session.scalar(select(CategoryUser).where(CategoryUser.user_id == user.id,
                                                       CategoryUser.category_id == category.id))
    if row is None:
        row = CategoryUser(user_id=user.id, category_id=category.id)
        db.session.add(row)
    row.notification_level = parse_level(level)
    db.session.flush()
    forget_viewer_mutes(user)
    return row


def track_on_post(post: Post, author: User) -> None:
    """As Discourse: a topic's creator watches it, a replier tracks it (unless the member
    chose a level before), and posting marks the topic read up to the new post."""
    row = topic_level_row(author, post.topic)
    if row is None:
        creator = post.post_number == 1
        db.session.add(TopicUser(
            user_id=author.id, topic_id=post.topic_id,
            notification_level=LEVEL_WATCHING if creator else LEVEL_TRACKING,
            notifications_reason=REASON_CREATED_TOPIC if creator else REASON_CREATED_POST))
    elif row.notification_level == LEVEL_NORMAL and row.notifications_reason != \
            REASON_USER_CHANGED:
        row.notification_level = LEVEL_TRACKING
    mark_read_up_to(author, post.topic, post.post_number)


def mark_read_up_to(user: User, topic: Topic, post_number: int, *, enter: bool = False) -> None:
    """Raise the member's read position in the topic to post_number (never lower it).

    Posting only raises an existing position: a TopicRead row means "entered by reading"
    for the trust-level statistics, and the page's reading reports create it. enter=True
    creates it too (imports, tests)."""
    if enter:
        now = utcnow()
        db.session.execute(dialect_insert(TopicRead).values(
            user_id=user.id, topic_id=topic.id, last_read_post_number=post_number,
            first_read_at=now, last_read_at=now)
            .on_conflict_do_nothing(index_elements=["user_id", "topic_id"]))
    db.session.execute(update(TopicRead).where(
        TopicRead.user_id == user.id, TopicRead.topic_id == topic.id,
        TopicRead.last_read_post_number < post_number).values(last_read_post_number=post_number))


def dismiss_new(*, user: User) -> None:
    """"Dismiss new": every topic created until now stops counting as new for the member."""
    ensure_options(user).new_dismissed_at = utcnow()
    db.session.flush()
