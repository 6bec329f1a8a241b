"""Following: watching levels for categories and topics, bookmarks, and notification options.

Discourse's CategoryUser / TopicUser notification levels, Bookmark, and UserOption (how each
notification kind reaches a member, e-mail delay and digest).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.models.base import Base, utcnow

# Discourse's numbers, so the API speaks the same language.
LEVEL_MUTED, LEVEL_NORMAL, LEVEL_TRACKING, LEVEL_WATCHING = 0, 1, 2, 3
NOTIFICATION_LEVELS = (LEVEL_MUTED, LEVEL_NORMAL, LEVEL_TRACKING, LEVEL_WATCHING)
LEVEL_NAMES = {LEVEL_MUTED: "muted", LEVEL_NORMAL: "regular", LEVEL_TRACKING: "tracking",
               LEVEL_WATCHING: "watching"}

# Why a member has a topic level (Discourse's notifications_reason_id, simplified).
REASON_USER_CHANGED, REASON_CREATED_TOPIC, REASON_CREATED_POST = 1, 2, 3

DIGEST_OFF, DIGEST_DAILY, DIGEST_WEEKLY = "off", "daily", "weekly"
DIGEST_FREQUENCIES = (DIGEST_OFF, DIGEST_DAILY, DIGEST_WEEKLY)


class CategoryUser(Base):
    """A member's watching level for a category (no row: normal)."""

    __tablename__ = "category_users"
    __table_args__ = (UniqueConstraint("user_id", "category_id"),
                      Index("ix_category_users_category_level", "category_id",
                            "notification_level"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="CASCADE"))
    notification_level: Mapped[int] = mapped_column(default=LEVEL_NORMAL)


class TopicUser(Base):
    """A member's watching level for a topic; set by the member or by posting in it."""

    __tablename__ = "topic_users"
    __table_args__ = (UniqueConstraint("user_id", "topic_id"),
                      Index("ix_topic_users_topic_level", "topic_id", "notification_level"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"))
    notification_level: Mapped[int] = mapped_column(default=LEVEL_NORMAL)
    notifications_reason: Mapped[int] = mapped_column(default=REASON_USER_CHANGED)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class Bookmark(Base):
    """A member's bookmark on a post, with an optional reminder (sent once, by a cron job)."""

    __tablename__ = "bookmarks"
    __table_args__ = (UniqueConstraint("user_id", "post_id"),
                      Index("ix_bookmarks_reminder_due", "reminded_at", "reminder_at"),
                      Index("ix_bookmarks_user_created", "user_id", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100), default="")
    reminder_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    post = relationship("Post")
    user = relationship("User")


class UserOption(Base):
    """A member's notification settings: per kind "app", "email" or "off" (missing: default),
    the e-mail delay, the digest frequency and the "new topics" cutoff."""

    __tablename__ = "user_options"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    notification_channels: Mapped[dict] = mapped_column(JSON, default=dict)
    email_delay_minutes: Mapped[int] = mapped_column(default=10, server_default="10")
    digest_frequency: Mapped[str] = mapped_column(String(10), default=DIGEST_OFF,
                                                  server_default=DIGEST_OFF)
    last_digest_at: Mapped[datetime | None]
    # "Dismiss new": topics created before this no longer count as new.
    new_dismissed_at: Mapped[datetime | None]
    # Every e-mail stops (the one-click unsubscribe sets it).
    email_unsubscribed: Mapped[bool] = mapped_column(default=False, server_default=false())


__all__ = [
    "CategoryUser", "TopicUser", "Bookmark", "UserOption",
    "LEVEL_MUTED", "LEVEL_NORMAL", "LEVEL_TRACKING", "LEVEL_WATCHING", "NOTIFICATION_LEVELS",
    "LEVEL_NAMES", "REASON_USER_CHANGED", "REASON_CREATED_TOPIC", "REASON_CREATED_POST",
    "DIGEST_OFF", "DIGEST_DAILY", "DIGEST_WEEKLY", "DIGEST_FREQUENCIES",
]
