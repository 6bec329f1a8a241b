"""Notification and summary e-mails: delay, preferences, permissions at sending time, both
parts, the member's language, and the signed one-click unsubscribe link — delivered through a
real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import re
from datetime import timedelta
from email import message_from_bytes, policy

from sqlalchemy import select

from forum.chat import channels
from forum.extensions import db
from forum.mail import outbox
from forum.mailqueue.worker import run_once
from forum.models import CHANNEL_SEMINAR, Notification, utcnow
from forum.notifications import digest, emails, preferences, unsubscribe
from forum.topics import services as topics
from tests import factories


def _parsed(message):
    return message_from_bytes(message.as_bytes(), policy=policy.default)


def _reply_an_hour_ago(topic, author, raw="Ответ, о котором пора написать."):
    post = topics.reply(topic, author=author, raw=raw)
    for note in db.session.scalars(select(Notification)):
        note.created_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    return post


def _send(app, **kwargs):
    with app.test_request_context(base_url=app.config["SITE_URL"]):
        sent = emails.send_notification_emails(**kwargs)
        db.session.commit()
    assert run_once().sent == sent  # the worker delivers what was queued
    return sent


def test_an_unseen_reply_is_mailed_through_smtp_with_both_parts(app, smtp_server, topic,
                                                                member, other_member):
    member.locale = "ru"
    _reply_an_hour_ago(topic, other_member)
    assert _send(app) == 1
    [raw] = smtp_server
    mail = _parsed(raw)
    assert mail["To"] == member.email
    assert "boris ответил(а) в теме «Как объяснять дроби»." in mail["Subject"]
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert f"/t/{topic.slug}/{topic.id}/2#post_2" in text and "<a href=" in html
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.search(r"<http://.+/email/unsubscribe/[\w.-]+>", mail["List-Unsubscribe"])
    assert db.session.scalar(select(Notification.emailed_at)) is not None
    assert _send(app) == 0  # never twice


def test_nothing_is_mailed_before_the_delay(app, topic, member, other_member):
    topics.reply(topic, author=other_member, raw="Свежий ответ.")
    db.session.commit()
    outbox.clear()
    assert _send(app) == 0 and outbox == []
    assert _send(app, now=utcnow() + timedelta(minutes=11)) == 1


def test_a_notification_seen_in_the_app_is_not_mailed(app, topic, member, other_member):
    _reply_an_hour_ago(topic, other_member)
    from forum.notifications.services import mark_read

    mark_read(member)
    db.session.commit()
    assert _send(app) == 0


def test_kinds_kept_in_the_app_are_not_mailed(app, topic, member, other_member):
    preferences.update_preferences(member, channels={"replied": "app"}, email_delay_minutes=0,
                                   digest_frequency="off")
    _reply_an_hour_ago(topic, other_member)
    assert _send(app) == 0
    assert db.session.scalar(select(Notification.emailed_at)) is not None  # decided


def test_nothing_is_mailed_about_a_post_deleted_meanwhile(app, topic, member, other_member,
                                                          moderator):
    post = _reply_an_hour_ago(topic, other_member)
    topics.delete_post(post, actor=moderator)
    db.session.commit()
    outbox.clear()
    assert _send(app) == 0 and outbox == []


def test_an_unsubscribed_member_gets_no_mail(app, topic, member, other_member):
    preferences.unsubscribe_member(member, scope="all")
    _reply_an_hour_ago(topic, other_member)
    assert _send(app) == 0


def test_the_unsubscribe_link_is_signed_and_works_in_one_click(app, client, member):
    with app.test_request_context():
        token = unsubscribe.make_token(member)
    page = client.get(f"/email/unsubscribe/{token}")
    assert page.status_code == 200 and member.email in page.get_data(as_text=True)
    assert preferences.options_of(member) is None  # a GET changes nothing
    # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click", with no session or token.
    done = client.post(f"/email/unsubscribe/{token}", data="List-Unsubscribe=One-Click",
                       content_type="application/x-www-form-urlencoded")
    assert done.status_code == 200
    assert preferences.options_of(member).email_unsubscribed is True


def test_a_tampered_unsubscribe_token_is_refused(app, client, member, other_member):
    with app.test_request_context():
        token = unsubscribe.make_token(member)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.post(f"/email/unsubscribe/{forged}").status_code == 404
    assert "недействительна" in client.get(f"/email/unsubscribe/{forged}").get_data(as_text=True)
    assert preferences.options_of(member) is None


def test_choosing_email_again_lifts_the_unsubscribe(member):
    preferences.unsubscribe_member(member, scope="all")
    preferences.update_preferences(member, channels={}, email_delay_minutes=5,
                                   digest_frequency="off")
    assert preferences.options_of(member).email_unsubscribed is False


def _send_digests(app, **kwargs):
    with app.test_request_context(base_url=app.config["SITE_URL"]):
        sent = digest.send_digests(**kwargs)
        db.session.commit()
    assert run_once().sent == sent
    return sent


def test_the_weekly_summary_lists_popular_topics_and_seminars_the_member_may_read(
        app, topic, member, moderator, private_category, student):
    secret = factories.make_topic(category=private_category, author=member,
                                  title="Секретное совещание учителей")
    now = utcnow()
    channels.create_channel(CHANNEL_SEMINAR, actor=moderator, name="Семинар о дробях",
                            host=moderator, starts_at=now + timedelta(days=2),
                            ends_at=now + timedelta(days=2, hours=1))
    preferences.update_preferences(student, channels={}, email_delay_minutes=10,
                                   digest_frequency="weekly")
    student.locale = "en"
    db.session.commit()
    outbox.clear()
    assert _send_digests(app) == 1
    mail = outbox[-1]
    text = mail.get_body(("plain",)).get_content()
    assert topic.title in text and "Семинар о дробях" in text
    assert secret.title not in mail.as_string()
    assert "Your weekly summary" in mail["Subject"]
    assert "/email/unsubscribe/" in mail["List-Unsubscribe"]
    assert _send_digests(app) == 0  # not again within the week
    preferences.options_of(student).last_digest_at = now - timedelta(days=8)
    db.session.commit()
    assert _send_digests(app) == 1


def test_the_summary_lists_new_library_materials_the_member_may_see(
        app, topic, member, private_category, student):
    from tests.library.builders import first_post, make_resource

    shared = make_resource(first_post(topic), filename="Дроби_5_класс.pdf")
    secret_topic = factories.make_topic(category=private_category, author=member,
                                        title="Секретное совещание учителей")
    secret = make_resource(first_post(secret_topic), filename="Секретный_план.pdf")
    preferences.update_preferences(student, channels={}, email_delay_minutes=10,
                                   digest_frequency="daily")
    student.locale = "en"
    db.session.commit()
    outbox.clear()
    assert _send_digests(app) == 1
    text = outbox[-1].get_body(("plain",)).get_content()
    assert "New materials in the library" in text
    assert shared.title in text and f"/library/{shared.id}" in text
    assert secret.title not in outbox[-1].as_string()


def test_the_digest_unsubscribe_stops_only_summaries(app, client, member):
    preferences.update_preferences(member, channels={}, email_delay_minutes=10,
                                   digest_frequency="daily")
    db.session.commit()
    with app.test_request_context():
        token = unsubscribe.make_token(member, "digest")
    client.post(f"/email/unsubscribe/{token}")
    options = preferences.options_of(member)
    assert options.digest_frequency == "off" and options.email_unsubscribed is False


def test_the_cron_commands_run(app):
    runner = app.test_cli_runner()
    assert "Notification e-mails queued: 0" in runner.invoke(
        args=["forum", "notifications", "email"]).output
    assert "Summaries queued: 0" in runner.invoke(args=["forum", "digest", "send"]).output
