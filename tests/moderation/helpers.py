"""Shared builders for the flag, review and approval tests."""

from __future__ import annotations

from forum.extensions import db
from forum.models import Notification, Reviewable, StaffAction
from forum.moderation import flags
from forum.settings import set_setting
from tests import factories


def reply_by(topic, author=None, raw="Спорное сообщение в теме."):
    post = factories.make_post(topic, author=author, raw=raw)
    db.session.commit()
    return post


def flag_by(post, *users, kind="spam", message=""):
    """Each user flags the post; committed."""
    for user in users:
        flags.flag_post(post, flagger=user, kind=kind, message=message)
    db.session.commit()
    return post


def flagged_item(post, flaggers=None, kind="inappropriate"):
    """A pending flagged-post item on the post (one flag from a fresh member by default)."""
    flag_by(post, *(flaggers or [factories.make_user()]), kind=kind)
    return db.session.query(Reviewable).filter_by(post_id=post.id).one()


def setting(name, value):
    set_setting(name, value)
    db.session.commit()


def notes_of(user, kind=None):
    query = db.session.query(Notification).filter_by(user_id=user.id)
    if kind:
        query = query.filter_by(kind=kind)
    return query.all()


def log_actions():
    return [entry.action for entry in db.session.query(StaffAction).order_by(StaffAction.id)]
