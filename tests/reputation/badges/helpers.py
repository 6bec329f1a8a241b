"""Builders for badge tests: likes, seminars and visits inserted as the other services will."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from forum import domain_events
from forum.extensions import db
from forum.models import (
    CHANNEL_SEMINAR,
    Badge,
    ChatChannel,
    ChatMessage,
    Post,
    PostAction,
    User,
    UserBadge,
    UserStats,
    utcnow,
)


def like(post: Post, user: User, *, announce: bool = True) -> PostAction:
    """What the like service does: a PostAction row, the counters, the like_given event."""
    action = PostAction(post_id=post.id, user_id=user.id, created_at=utcnow())
    db.session.add(action)
    post.like_count += 1
    post.topic.like_count += 1
    db.session.flush()
    if announce:
        domain_events.like_given.send(action)
    return action


def set_likes(post: Post, count: int, *, announce_by: User | None = None) -> None:
    """Set a post's like counter (and its topic's) as if `count` members had liked it."""
    post.topic.like_count += count - post.like_count
    post.like_count = count
    db.session.flush()
    if announce_by is not None:
        domain_events.like_given.send(PostAction(post_id=post.id, post=post,
                                                 user_id=announce_by.id, created_at=utcnow()))


def seminar(host: User, *, name: str = "Семинар", days_ago: int = 1) -> ChatChannel:
    channel = ChatChannel(kind=CHANNEL_SEMINAR, name=name, slug="seminar", host_id=host.id,
                          starts_at=utcnow() - timedelta(days=days_ago),
                          ends_at=utcnow() + timedelta(hours=2))
    db.session.add(channel)
    db.session.flush()
    return channel


def say(channel: ChatChannel, user: User, raw: str = "Здравствуйте!") -> ChatMessage:
    """What the chat service does: a message row and the chat_message_sent event."""
    message = ChatMessage(channel_id=channel.id, channel=channel, user_id=user.id, raw=raw,
                          cooked=f"<p>{raw}</p>", created_at=utcnow())
    db.session.add(message)
    db.session.flush()
    domain_events.chat_message_sent.send(message)
    return message


def visit_days(user: User, days: int) -> None:
    """The member has visited on `days` days; then a visit on a new day is announced."""
    stats = db.session.get(UserStats, user.id) or UserStats(user_id=user.id)
    stats.days_visited = days
    db.session.add(stats)
    db.session.flush()
    domain_events.member_visited.send(user, day=utcnow().date())


def change_trust_level(user: User, level: int) -> None:
    old, user.trust_level = user.trust_level, level
    db.session.flush()
    domain_events.trust_level_changed.send(user, old=old, new=level)


def grants(user: User, slug: str) -> list[UserBadge]:
    return list(db.session.scalars(
        select(UserBadge).join(Badge, Badge.id == UserBadge.badge_id)
        .where(UserBadge.user_id == user.id, Badge.slug == slug).order_by(UserBadge.id)))


def holds(user: User, slug: str) -> bool:
    return bool(grants(user, slug))
