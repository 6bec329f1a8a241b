"""The summary e-mail (daily or weekly, as each member chose): popular topics and new library
materials since the last one, and upcoming seminars, only from what the member may read, in the
member's language.

`flask --app wsgi forum digest send`, from cron, queues them; the mail worker sends them.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import or_, select

from forum import permissions
from forum.extensions import db
from forum.mailqueue.services import enqueue_mail
from forum.models import (
    CHANNEL_SEMINAR,
    DIGEST_DAILY,
    DIGEST_WEEKLY,
    ChatChannel,
    Resource,
    Topic,
    User,
    UserOption,
    utcnow,
)
from forum.notifications import unsubscribe
from forum.notifications.emails import locale_of

log = logging.getLogger("forum.notifications")
PERIODS = {DIGEST_DAILY: timedelta(days=1), DIGEST_WEEKLY: timedelta(days=7)}
TOPICS_IN_DIGEST = 5
SEMINARS_IN_DIGEST = 5
MATERIALS_IN_DIGEST = 5


def due_members(now: datetime) -> list[tuple[User, UserOption]]:
    """Members whose chosen period has passed since their last summary."""
    rows = db.session.execute(
        select(User, UserOption).join(UserOption, UserOption.user_id == User.id).where(
            UserOption.digest_frequency.in_(list(PERIODS)),
            UserOption.email_unsubscribed.is_(False), User.deleted_at.is_(None))
        .order_by(User.id)).all()
    return [(user, opts) for user, opts in rows
            if opts.last_digest_at is None
            or opts.last_digest_at <= now - PERIODS[opts.digest_frequency]]


def popular_topics(user: User, since: datetime, limit: int = TOPICS_IN_DIGEST) -> list[Topic]:
    """The most liked and answered topics active since `since` that the member may read."""
    return list(db.session.scalars(
        select(Topic).where(permissions.visible_topics(user), Topic.is_visible.is_(True),
                            Topic.bumped_at > since)
        .order_by((Topic.like_count + Topic.posts_count).desc(), Topic.bumped_at.desc())
        .limit(limit)))


def new_materials(user: User, since: datetime, limit: int = MATERIALS_IN_DIGEST) -> list[Resource]:
    """Library materials shared since `since` that the member may see, newest first."""
    return list(db.session.scalars(
        select(Resource).where(permissions.visible_resources(user), Resource.created_at > since)
        .order_by(Resource.created_at.desc(), Resource.id.desc()).limit(limit)))


def upcoming_seminars(user: User, now: datetime, limit: int = SEMINARS_IN_DIGEST):
    rows = db.session.scalars(
        select(ChatChannel).where(ChatChannel.kind == CHANNEL_SEMINAR,
                                  ChatChannel.deleted_at.is_(None),
                                  or_(ChatChannel.starts_at > now, ChatChannel.ends_at > now))
        .order_by(ChatChannel.starts_at).limit(limit * 3))
    return [c for c in rows if permissions.can_view_channel(user, c)][:limit]


def send_digests(now: datetime | None = None) -> int:
    """Queue each due member's summary (none when there is nothing to tell); returns how
    many were queued."""
    now = now or utcnow()
    sent = 0
    for user, opts in due_members(now):
        since = opts.last_digest_at or now - PERIODS[opts.digest_frequency]
        topics = popular_topics(user, since)
        seminars = upcoming_seminars(user, now)
        materials = new_materials(user, since)
        opts.last_digest_at = now
        if not user.email or (not topics and not seminars and not materials):
            continue
        _send(user, opts, topics, seminars, materials)
        sent += 1
    db.session.flush()
    return sent


def _send(user: User, opts: UserOption, topics: list[Topic], seminars,
          materials: list[Resource]) -> None:
    from forum.chat.links import channel_url

    with force_locale(locale_of(user)):
        absolute = unsubscribe.absolute
        context = {
            "user": user, "daily": opts.digest_frequency == DIGEST_DAILY,
            "topics": [(t, absolute(url_for("topics.show", slug=t.slug, topic_id=t.id)))
                       for t in topics],
            "seminars": [(c, absolute(channel_url(c))) for c in seminars],
            "materials": [(r, absolute(url_for("library.show", resource_id=r.id)))
                          for r in materials],
            "unsubscribe_url": unsubscribe.unsubscribe_url(user, "digest"),
            "preferences_url": absolute(url_for("accounts.preferences")),
            "site_name": current_app.config["SITE_NAME"]}
        subject = (_("[%(site)s] Your daily summary", site=context["site_name"])
                   if context["daily"] else
                   _("[%(site)s] Your weekly summary", site=context["site_name"]))
        enqueue_mail(user.email, subject, render_template("emails/digest.txt", **context),
                  html=render_template("emails/digest.html", **context),
                  headers=unsubscribe.headers(user, "digest"))
