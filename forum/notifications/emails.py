"""Notification e-mails: what a member has not seen in the app within their delay, mailed by
a cron job (`flask --app wsgi forum notifications email`) into the mail queue, which the mail
worker (`flask --app wsgi forum mail work`) sends with retries; in the member's language.

Nothing is mailed about what the member may no longer read: the permission is asked again
at sending time, not only when the notification was made.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from forum import permissions
from forum.extensions import db
from forum.mailqueue.services import enqueue_mail
from forum.models import Notification, Topic, UserOption, utcnow
from forum.notifications import unsubscribe
from forum.notifications.preferences import CHANNEL_EMAIL, channel_from
from forum.notifications.queries import item_for, link_for

log = logging.getLogger("forum.notifications")
BATCH = 500


def locale_of(user) -> str:
    return user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]


def send_notification_emails(now: datetime | None = None) -> int:
    """Queue a mail for each unread, unmailed notification older than its member's delay whose
    kind the member gets by e-mail; returns how many were queued. Sending (and retrying a
    failed send) is the mail worker's job."""
    now = now or utcnow()
    oldest = now - timedelta(hours=current_app.config["NOTIFICATION_EMAIL_MAX_AGE_HOURS"])
    notes = list(db.session.scalars(
        select(Notification).where(Notification.emailed_at.is_(None),
                                   Notification.read_at.is_(None),
                                   Notification.created_at > oldest)
        .options(joinedload(Notification.user),
                 selectinload(Notification.topic).selectinload(Topic.category))
        .order_by(Notification.id).limit(BATCH)))
    options = _options([n.user_id for n in notes])
    sent = 0
    for note in notes:
        user, opts = note.user, options.get(note.user_id)
        delay = opts.email_delay_minutes if opts else \
            current_app.config["NOTIFICATION_EMAIL_DELAY_MINUTES"]
        if note.created_at > now - timedelta(minutes=delay):
            continue  # the member may still see it in the app
        if not _wants_mail(user, opts, note.kind):
            note.emailed_at = now  # decided: never mailed
            continue
        if _send_one(note, user):
            sent += 1
        note.emailed_at = now
    db.session.flush()
    return sent


def _options(user_ids: list[int]) -> dict[int, UserOption]:
    if not user_ids:
        return {}
    return {o.user_id: o for o in db.session.scalars(
        select(UserOption).where(UserOption.user_id.in_(set(user_ids))))}


def _wants_mail(user, opts, kind: str) -> bool:
    if user is None or user.deleted_at is not None or not user.email or user.is_suspended:
        return False
    if opts is not None and opts.email_unsubscribed:
        return False
    return channel_from(opts, kind) == CHANNEL_EMAIL


def _send_one(note: Notification, user) -> bool:
    """Render and queue; False (nothing queued) when the member can no longer read the subject."""
    with force_locale(locale_of(user)):
        item = item_for(user, note)
        if item.gone:
            return False
        about_topic = note.topic_id is not None
        if (about_topic and item.topic is None) or ("channel_id" in (note.data or {})
                                                    and item.channel is None):
            return False
        if about_topic and note.post_number and not _post_readable(user, item.topic, note):
            return False
        link = unsubscribe.absolute(link_for(item))
        context = {"user": user, "text": item.text, "link": link,
                   "unsubscribe_url": unsubscribe.unsubscribe_url(user),
                   "preferences_url": unsubscribe.absolute(url_for("accounts.preferences")),
                   "site_name": current_app.config["SITE_NAME"]}
        subject = _("[%(site)s] %(text)s", site=context["site_name"], text=_short(item.text))
        enqueue_mail(user.email, subject, render_template("emails/notification.txt", **context),
                  html=render_template("emails/notification.html", **context),
                  headers=unsubscribe.headers(user))
    return True


def _post_readable(user, topic, note: Notification) -> bool:
    from forum.models import Post

    post = db.session.scalar(select(Post).where(Post.topic_id == topic.id,
                                                Post.post_number == note.post_number))
    return post is not None and post.deleted_at is None and permissions.can_view_post(user, post)


def _short(text: str, length: int = 90) -> str:
    return text if len(text) <= length else text[:length - 1].rstrip() + "…"
