"""The mail queue: notification and summary mail is queued as rows, and the worker sends it
through SMTP, retrying a failed send with backoff until it goes out or is marked failed."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select

from forum.extensions import db
from forum.mailqueue import services as queue
from forum.mailqueue import worker
from forum.models import (
    MAIL_FAILED,
    MAIL_PENDING,
    MAIL_SENDING,
    MAIL_SENT,
    MailJob,
    Notification,
    utcnow,
)
from forum.notifications import digest, emails, preferences
from forum.topics import services as topics
from tests.notifications.conftest import free_port


def _jobs() -> list[MailJob]:
    return list(db.session.scalars(select(MailJob).order_by(MailJob.id)))


def _unseen_reply(app, topic, author):
    topics.reply(topic, author=author, raw="Ответ, о котором пора написать.")
    for note in db.session.scalars(select(Notification)):
        note.created_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    with app.test_request_context(base_url=app.config["SITE_URL"]):
        queued = emails.send_notification_emails()
        db.session.commit()
    return queued


def test_a_notification_mail_is_queued_not_sent(app, smtp_server, topic, member, other_member):
    assert _unseen_reply(app, topic, other_member) == 1
    assert smtp_server == []  # nothing went out in the cron job itself
    [job] = _jobs()
    assert job.recipient == member.email and job.state == MAIL_PENDING
    assert "ответил(а) в теме" in job.subject and job.html and "List-Unsubscribe" in job.headers
    assert db.session.scalar(select(Notification.emailed_at)) is not None  # queued once


def test_a_summary_is_queued(app, smtp_server, topic, student):
    preferences.update_preferences(student, channels={}, email_delay_minutes=10,
                                   digest_frequency="weekly")
    db.session.commit()
    with app.test_request_context(base_url=app.config["SITE_URL"]):
        assert digest.send_digests() == 1
        db.session.commit()
    [job] = _jobs()
    assert job.recipient == student.email and "[Кафедра]" in job.subject
    assert smtp_server == []


def test_the_worker_sends_through_smtp_once(app, smtp_server, topic, member, other_member):
    _unseen_reply(app, topic, other_member)
    result = worker.run_once()
    assert (result.sent, result.retried, result.failed) == (1, 0, 0)
    [received] = smtp_server
    assert received["To"] == member.email
    [job] = _jobs()
    assert job.state == MAIL_SENT and job.sent_at is not None and job.attempts == 1
    assert worker.run_once().handled == 0 and len(smtp_server) == 1  # never twice


def test_a_failed_send_is_retried_with_backoff_until_the_server_is_back(
        app, topic, member, other_member):
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    port = free_port()  # nothing listens there yet: the connection is refused
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    _unseen_reply(app, topic, other_member)
    start = utcnow()

    assert worker.run_once(now=start).retried == 1
    [job] = _jobs()
    assert job.state == MAIL_PENDING and job.attempts == 1
    assert "ConnectionRefusedError" in job.last_error
    assert job.next_attempt_at == start + timedelta(minutes=1)
    assert worker.run_once(now=start + timedelta(seconds=30)).handled == 0  # not due yet

    second = start + timedelta(minutes=2)
    assert worker.run_once(now=second).retried == 1
    db.session.refresh(job)
    assert job.attempts == 2 and job.next_attempt_at == second + timedelta(minutes=5)

    received = []

    class Collect(Message):
        def handle_message(self, message):
            received.append(message)

    controller = Controller(Collect(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert worker.run_once(now=second + timedelta(minutes=6)).sent == 1
    finally:
        controller.stop()
    db.session.refresh(job)
    assert job.state == MAIL_SENT and job.attempts == 3 and job.last_error is None
    assert [m["To"] for m in received] == [member.email]


def test_after_the_last_attempt_a_job_is_marked_failed_and_logged(app, caplog, member):
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(),
                      MAIL_MAX_ATTEMPTS=3)
    queue.enqueue_mail(member.email, "Тема", "Текст")
    db.session.commit()
    now = utcnow()
    with caplog.at_level(logging.WARNING, logger="forum.mail"):
        for _ in range(3):
            now += timedelta(hours=3)
            worker.run_once(now=now)
    [job] = _jobs()
    assert job.state == MAIL_FAILED and job.attempts == 3
    assert any(r.levelno == logging.ERROR and "failed for good" in r.getMessage()
               for r in caplog.records)
    assert worker.run_once(now=now + timedelta(days=30)).handled == 0  # given up, kept

    output = app.test_cli_runner().invoke(args=["forum", "mail", "status"]).output
    assert "failed: 1" in output and f"failed #{job.id} to {member.email}" in output
    assert "ConnectionRefusedError" in output


def test_jobs_are_rows_a_worker_that_died_does_not_lose_them(app, smtp_server, member):
    address = member.email
    queue.enqueue_mail(address, "Тема", "Текст")
    db.session.commit()
    [claimed] = worker.claim(10)  # a worker takes it, then dies before sending
    assert claimed.state == MAIL_SENDING
    assert worker.claim(10) == []  # no other worker takes it meanwhile
    db.session.remove()  # "restart"
    assert worker.run_once().handled == 0
    later = utcnow() + worker.CLAIM_TIMEOUT + timedelta(minutes=1)
    assert worker.run_once(now=later).sent == 1
    assert [m["To"] for m in smtp_server] == [address]


def test_the_work_command_sends_what_is_due(app, smtp_server, member):
    for n in range(3):
        queue.enqueue_mail(member.email, f"Тема {n}", "Текст")
    db.session.commit()
    output = app.test_cli_runner().invoke(
        args=["forum", "mail", "work", "--once", "--batch", "2"]).output
    assert "Mail sent: 2" in output and "Mail sent: 1" in output
    assert len(smtp_server) == 3
    assert "sent: 3" in app.test_cli_runner().invoke(args=["forum", "mail", "status"]).output
