"""Likes: like and unlike a post (not one's own), within a daily limit set by trust level.

The service keeps the like counters right (post, topic, both members' statistics), sends
domain_events.like_given / like_removed — the reputation ledger reacts to those — and
announces the new count to the topic's readers after the commit.
"""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from forum import domain_events, permissions
from forum.errors import DomainError
from forum.extensions import db
from forum.models import POST_ACTION_LIKE, Post, PostAction, Topic, User, UserStats, utcnow
from forum.models.users import TEACHER_ROLES
from forum.realtime import EVENT_POST_LIKES, emit_after_commit, room_for_topic
from forum.settings import get_setting

LIMIT_WINDOW = timedelta(hours=24)  # "per day" is a rolling day: no time-zone edge to game


def daily_limit(level: int) -> int:
    """How many likes a member of this trust level may give per day (an admin setting)."""
    return get_setting(f"likes_per_day_tl{min(max(level, 0), 4)}")


def likes_given_recently(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(PostAction).where(
        PostAction.user_id == user.id, PostAction.action_type == POST_ACTION_LIKE,
        PostAction.created_at > utcnow() - LIMIT_WINDOW))


def like_of(post: Post, user: User) -> PostAction | None:
    return db.session.scalar(select(PostAction).where(
        PostAction.post_id == post.id, PostAction.user_id == user.id,
        PostAction.action_type == POST_ACTION_LIKE))


def like_post(post: Post, *, user: User) -> PostAction:
    """Like a post; refuses with the reason (own, deleted, hidden, closed, silenced, twice,
    over the daily limit) and changes nothing then."""
    permissions.require(permissions.can_view_post(user, post), hide=True)
    if not permissions.can_like_post(user, post):
        raise DomainError(_refusal(post, user), status_code=403)
    if like_of(post, user) is not None:
        raise DomainError(_("You have already liked this post."), status_code=409)
    _check_daily_limit(user)
    action = PostAction(post_id=post.id, user_id=user.id, action_type=POST_ACTION_LIKE,
                        created_at=utcnow())
    try:
        with db.session.begin_nested():  # a savepoint: a double click must not spoil the rest
            db.session.add(action)
    except IntegrityError:
        raise DomainError(_("You have already liked this post."), status_code=409) from None
    _count(post, liker_id=user.id, delta=1)
    domain_events.like_given.send(action)
    return action


def unlike_post(post: Post, *, user: User) -> None:
    """Take one's like back; refuses when there is none or the topic no longer takes likes."""
    permissions.require(permissions.can_view_post(user, post), hide=True)
    action = like_of(post, user)
    if action is None:
        raise DomainError(_("You have not liked this post."), status_code=409)
    if not permissions.can_unlike_post(user, post):
        raise DomainError(_refusal(post, user), status_code=403)
    db.session.delete(action)
    db.session.flush()
    _count(post, liker_id=user.id, delta=-1)
    domain_events.like_removed.send(post, user=user, action_id=action.id)


def stats_for(user_id: int) -> UserStats:
    """The member's statistics row, created on first use (accounts start without one)."""
    stats = db.session.get(UserStats, user_id)
    if stats is None:
        stats = UserStats(user_id=user_id)
        db.session.add(stats)
        db.session.flush()
    return stats


def _count(post: Post, *, liker_id: int, delta: int) -> None:
    # SQL increments: two readers liking at once must both count.
    post.like_count = Post.like_count + delta
    topic = db.session.get(Topic, post.topic_id)
    topic.like_count = Topic.like_count + delta
    liker = stats_for(liker_id)
    liker.likes_given = UserStats.likes_given + delta
    if post.user_id is not None:
        author = stats_for(post.user_id)
        author.likes_received = UserStats.likes_received + delta
    db.session.flush()
    emit_after_commit(db.session, EVENT_POST_LIKES,
                      {"topic_id": post.topic_id, "post_id": post.id,
                       "like_count": post.like_count},
                      room=room_for_topic(post.topic_id))


def _refusal(post: Post, user: User) -> str:
    """Why this member may not like (or unlike) this post, in words."""
    topic = post.topic
    if user.is_authenticated and user.is_silenced:
        return _("You are silenced and cannot like posts until the silence ends.")
    if user.is_authenticated and user.role not in TEACHER_ROLES:
        return _("Only teachers can like posts.")
    if post.user_id == user.id:
        return _("You cannot like your own post.")
    if post.deleted_at is not None or topic.deleted_at is not None:
        return _("This post was deleted; it cannot be liked.")
    if post.hidden_at is not None:
        return _("This post is hidden; it cannot be liked.")
    if topic.is_closed or topic.is_archived:
        return _("This topic is closed; its posts can no longer be liked.")
    return _("You cannot like this post.")


def _check_daily_limit(user: User) -> None:
    limit = daily_limit(user.trust_level)
    if likes_given_recently(user) < limit:
        return
    message = ngettext("You have used your %(num)d like for today.",
                       "You have used all %(num)d likes for today.", limit)
    higher = next(((level, daily_limit(level)) for level in range(user.trust_level + 1, 5)
                   if daily_limit(level) > limit), None)
    if higher is not None:
        message += " " + _("Trust level %(level)d raises the limit to %(more)d a day.",
                           level=higher[0], more=higher[1])
    else:
        message += " " + _("You can like again tomorrow.")
    raise DomainError(message, status_code=429)
