"""The outgoing mail queue: one row per message to send, kept until it is sent (or has failed
every attempt), so nothing is lost when the worker or the server restarts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from forum.models.base import Base, utcnow

MAIL_PENDING = "pending"  # waiting for its (next) attempt
MAIL_SENDING = "sending"  # claimed by a worker
MAIL_SENT = "sent"
MAIL_FAILED = "failed"  # gave up after the last attempt; shown by `forum mail status`
MAIL_STATES = (MAIL_PENDING, MAIL_SENDING, MAIL_SENT, MAIL_FAILED)


class MailJob(Base):
    """A rendered message waiting for the mail worker (`flask --app wsgi forum mail work`)."""

    __tablename__ = "mail_jobs"
    __table_args__ = (Index("ix_mail_jobs_due", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str | None] = mapped_column(Text)
    headers: Mapped[dict] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(10), default=MAIL_PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A claimed job whose worker died is claimed again once this has passed.
    locked_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


__all__ = ["MailJob", "MAIL_STATES", "MAIL_PENDING", "MAIL_SENDING", "MAIL_SENT", "MAIL_FAILED"]
