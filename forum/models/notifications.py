"""Notifications: one row per thing a member should learn about, rendered in their language."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.models.base import Base, utcnow


class Notification(Base):
    """A kind plus data; the text is rendered at display time, in the reader's locale."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_read", "user_id", "read_at", "id"),
                      Index("ix_notifications_unmailed", "emailed_at", "read_at", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"))
    post_number: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    # When it went out by e-mail (the mail job skips read and already-mailed ones).
    emailed_at: Mapped[datetime | None]

    user = relationship("User")
    topic = relationship("Topic")


__all__ = ["Notification"]
