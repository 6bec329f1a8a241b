"""The mail worker: claims due jobs, sends them through forum.mail, and reschedules failures
with exponential backoff until MAIL_MAX_ATTEMPTS, then marks them failed (logged, listed by
`forum mail status`). It commits: it is a job runner, not a service.

Claiming is an UPDATE conditional on the state the job was read in, so two workers never send
the same job; on PostgreSQL the read also takes row locks with SKIP LOCKED so concurrent
workers pick different jobs instead of waiting on each other.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, select, update

from forum.extensions import db
from forum.mail import send_mail
from forum.models import MAIL_FAILED, MAIL_PENDING, MAIL_SENDING, MAIL_SENT, MailJob, utcnow

log = logging.getLogger("forum.mail")
# A claimed job whose worker died mid-send is taken again after this long.
CLAIM_TIMEOUT = timedelta(minutes=10)


@dataclass
class RunResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.failed


def backoff(attempts: int) -> timedelta:
    """Delay before the next attempt after `attempts` failures: 1, 5, 25, 125 … minutes."""
    base = current_app.config["MAIL_RETRY_BASE_MINUTES"]
    return timedelta(minutes=base * 5 ** max(attempts - 1, 0))


def _due(now: datetime):
    return or_(and_(MailJob.state == MAIL_PENDING, MailJob.next_attempt_at <= now),
               and_(MailJob.state == MAIL_SENDING, MailJob.locked_until < now))


def claim(batch: int, now: datetime | None = None) -> list[MailJob]:
    """Take up to `batch` due jobs for this worker and commit the claim."""
    now = now or utcnow()
    candidates = db.session.execute(
        select(MailJob.id, MailJob.state).where(_due(now))
        .order_by(MailJob.next_attempt_at, MailJob.id).limit(batch)
        .with_for_update(skip_locked=True)).all()
    claimed = []
    for job_id, state in candidates:
        result = db.session.execute(
            update(MailJob).where(MailJob.id == job_id, MailJob.state == state, _due(now))
            .values(state=MAIL_SENDING, locked_until=now + CLAIM_TIMEOUT)
            .execution_options(synchronize_session=False))
        if result.rowcount == 1:
            claimed.append(job_id)
    db.session.commit()
    if not claimed:
        return []
    return list(db.session.scalars(select(MailJob).where(MailJob.id.in_(claimed))
                                   .order_by(MailJob.next_attempt_at, MailJob.id)
                                   .execution_options(populate_existing=True)))


def deliver(job: MailJob, now: datetime | None = None) -> str:
    """Send one claimed job and record the outcome (committed); returns the new state."""
    try:
        send_mail(job.recipient, job.subject, job.text, html=job.html,
                  headers=job.headers or None)
    except Exception as error:  # noqa: BLE001 - any failure is recorded, never lost
        now = now or utcnow()
        job.attempts += 1
        job.last_error = f"{type(error).__name__}: {error}"[:2000]
        job.locked_until = None
        if job.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
            job.state = MAIL_FAILED
            log.error("Mail job %s to %s failed for good after %s attempts: %s", job.id,
                      job.recipient, job.attempts, job.last_error)
        else:
            job.state = MAIL_PENDING
            job.next_attempt_at = now + backoff(job.attempts)
            log.warning("Mail job %s to %s failed (attempt %s), retried at %s: %s", job.id,
                        job.recipient, job.attempts, job.next_attempt_at, job.last_error)
    else:
        job.attempts += 1
        job.state = MAIL_SENT
        job.sent_at = now or utcnow()
        job.locked_until = None
        job.last_error = None
    db.session.commit()
    return job.state


def run_once(batch: int = 50, now: datetime | None = None) -> RunResult:
    """Claim one batch of due jobs and send them."""
    result = RunResult()
    for job in claim(batch, now):
        state = deliver(job, now)
        if state == MAIL_SENT:
            result.sent += 1
        elif state == MAIL_FAILED:
            result.failed += 1
        else:
            result.retried += 1
    return result
