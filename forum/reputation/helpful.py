"""Helpful replies: the topic's author marks the replies that helped them (a few per topic).

Marking sends domain_events.reply_marked_helpful — the reputation ledger credits the reply's
author — and announces the change to the topic's readers after the commit.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from forum import domain_events, permissions
from forum.errors import DomainError
from forum.extensions import db
from forum.models import Post, User, utcnow
from forum.realtime import EVENT_POST_UPDATED, emit_after_commit, room_for_topic
from forum.settings import get_setting


def mark_helpful(post: Post, *, user: User) -> Post:
    """Mark a reply helpful; refuses with the reason and changes nothing then."""
    permissions.require(permissions.can_view_post(user, post), hide=True)
    if not permissions.can_mark_helpful(user, post):
        raise DomainError(_refusal(post, user), status_code=403)
    if post.helpful_at is not None:
        raise DomainError(_("This reply is already marked helpful."), status_code=409)
    limit = get_setting("helpful_replies_per_topic")
    marked = db.session.scalar(select(func.count()).select_from(Post).where(
        Post.topic_id == post.topic_id, Post.helpful_at.is_not(None), Post.deleted_at.is_(None)))
    if marked >= limit:
        raise DomainError(ngettext(
            "You can mark at most %(num)d reply in a topic as helpful; take a mark back first.",
            "You can mark at most %(num)d replies in a topic as helpful; take a mark back first.",
            limit), status_code=422)
    post.helpful_at = utcnow()
    db.session.flush()
    domain_events.reply_marked_helpful.send(post, actor=user)
    _announce(post)
    return post


def unmark_helpful(post: Post, *, user: User) -> Post:
    """Take a helpful mark back."""
    permissions.require(permissions.can_view_post(user, post), hide=True)
    if post.helpful_at is None:
        raise DomainError(_("This reply is not marked helpful."), status_code=409)
    if not permissions.can_mark_helpful(user, post):
        raise DomainError(_refusal(post, user), status_code=403)
    post.helpful_at = None
    db.session.flush()
    domain_events.reply_unmarked_helpful.send(post, actor=user)
    _announce(post)
    return post


def _refusal(post: Post, user: User) -> str:
    topic = post.topic
    if topic.user_id != getattr(user, "id", None):
        return _("Only the topic's author can mark replies helpful.")
    if post.is_first:
        return _("The first post of a topic cannot be marked helpful.")
    if post.user_id == user.id:
        return _("You cannot mark your own reply helpful.")
    if post.deleted_at is not None or post.hidden_at is not None:
        return _("This reply is deleted or hidden.")
    if topic.is_closed or topic.is_archived or topic.deleted_at is not None:
        return _("This topic is closed.")
    return _("You cannot mark replies helpful.")


def _announce(post: Post) -> None:
    emit_after_commit(db.session, EVENT_POST_UPDATED,
                      {"topic_id": post.topic_id, "post_id": post.id,
                       "post_number": post.post_number},
                      room=room_for_topic(post.topic_id))
