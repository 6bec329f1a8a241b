"""Rows the reputation helpers will write, inserted directly: likes (with the post's counter),
ledger entries, badges held, visits and seminar messages."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

from forum.extensions import db
from forum.markup import cook
from forum.models import (
    CHANNEL_SEMINAR,
    Badge,
    ChatChannel,
    ChatMessage,
    Post,
    PostAction,
    ReputationEvent,
    User,
    UserBadge,
    UserStats,
    UserVisit,
    utcnow,
)
from tests import factories

_seq = itertools.count(1)


def established(user: User, *, trust_level: int = 1) -> User:
    """A member whose likes count on the honour board (not a fresh account)."""
    user.trust_level = trust_level
    db.session.flush()
    return user


def fresh_accounts(count: int) -> list[User]:
    """Brand-new TL0 accounts, as a like-farming burst would use."""
    accounts = [factories.make_user(f"fresh{next(_seq)}") for _ in range(count)]
    for account in accounts:
        account.trust_level = 0  # whatever the factory's default
    db.session.flush()
    return accounts


def like(post: Post, liker: User, *, at: datetime | None = None, points: int | None = 1
         ) -> PostAction:
    """A like with its ledger entry as forum.reputation.points writes it (points=None: none)."""
    at = at or utcnow()
    action = PostAction(post_id=post.id, user_id=liker.id, created_at=at)
    db.session.add(action)
    post.like_count += 1
    db.session.flush()
    if points is not None:
        ledger(post.user, points, kind="like_received", source_key=f"like:{action.id}",
               actor=liker, post=post, at=at)
    return action


def ledger(user: User, points: int, *, kind: str = "like_received", source_key: str | None = None,
           actor: User | None = None, post: Post | None = None, category_id: int | None = None,
           at: datetime | None = None) -> ReputationEvent:
    if post is not None and category_id is None:
        category_id = post.topic.category_id
    event = ReputationEvent(user_id=user.id, kind=kind, points=points,
                            source_key=source_key or f"test:{next(_seq)}",
                            actor_id=actor.id if actor else None,
                            post_id=post.id if post else None, category_id=category_id,
                            created_at=at or utcnow())
    db.session.add(event)
    db.session.flush()
    return event


def grant(user: User, slug: str, *, tier: str = "bronze", at: datetime | None = None,
          reason: str = "", enabled: bool = True) -> UserBadge:
    badge = db.session.query(Badge).filter_by(slug=slug).one_or_none()
    if badge is None:
        badge = Badge(slug=slug, tier=tier, is_enabled=enabled)
        db.session.add(badge)
        db.session.flush()
    held = UserBadge(badge_id=badge.id, user_id=user.id, granted_at=at or utcnow(),
                     reason=reason, grant_key=str(next(_seq)) if badge.allow_multiple else "")
    badge.grant_count += 1
    db.session.add(held)
    db.session.flush()
    return held


def visits(user: User, days: int, *, posts_read: int = 0, until: date | None = None) -> None:
    until = until or utcnow().date()
    for n in range(days):
        db.session.add(UserVisit(user_id=user.id, visited_on=until - timedelta(days=n),
                                 posts_read=posts_read))
    stats = db.session.get(UserStats, user.id) or UserStats(user_id=user.id)
    stats.days_visited = (stats.days_visited or 0) + days
    stats.posts_read = (stats.posts_read or 0) + days * posts_read
    db.session.add(stats)
    db.session.flush()


def seminar(name: str, *, host: User | None = None, starts_at: datetime | None = None
            ) -> ChatChannel:
    start = starts_at or utcnow() - timedelta(days=1)
    room = ChatChannel(kind=CHANNEL_SEMINAR, name=name, slug=f"seminar-{next(_seq)}",
                       host_id=host.id if host else None, starts_at=start,
                       ends_at=start + timedelta(hours=2))
    db.session.add(room)
    db.session.flush()
    return room


def say(channel: ChatChannel, user: User, raw: str = "Спасибо за семинар!",
        *, deleted: bool = False) -> ChatMessage:
    message = ChatMessage(channel_id=channel.id, user_id=user.id, raw=raw, cooked=cook(raw),
                          deleted_at=utcnow() if deleted else None)
    db.session.add(message)
    db.session.flush()
    return message


def first_post(topic) -> Post:
    return db.session.query(Post).filter_by(topic_id=topic.id, post_number=1).one()


def days_ago(days: float) -> datetime:
    return utcnow() - timedelta(days=days)
