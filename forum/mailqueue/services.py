"""Enqueue mail (never sends: the caller's transaction commits the job with its cause) and
read the queue's state."""

from __future__ import annotations

from sqlalchemy import func, select

from forum.extensions import db
from forum.models import MAIL_FAILED, MailJob, utcnow


def enqueue_mail(to: str, subject: str, text: str, *, html: str | None = None,
                 headers: dict[str, str] | None = None) -> MailJob:
    """Queue one message for the mail worker; it goes out once the caller commits."""
    job = MailJob(recipient=to, subject=subject, text=text, html=html,
                  headers=dict(headers or {}), next_attempt_at=utcnow())
    db.session.add(job)
    return job


def counts_by_state() -> dict[str, int]:
    return dict(db.session.execute(
        select(MailJob.state, func.count(MailJob.id)).group_by(MailJob.state)).all())


def failed_jobs(limit: int = 50) -> list[MailJob]:
    """The messages given up on, newest first (for `forum mail status`)."""
    return list(db.session.scalars(select(MailJob).where(MailJob.state == MAIL_FAILED)
                                   .order_by(MailJob.id.desc()).limit(limit)))
