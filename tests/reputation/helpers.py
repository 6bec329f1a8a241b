"""Builders for the likes and reputation tests: members at a trust level, likes, the ledger."""

from __future__ import annotations

from sqlalchemy import select

from forum.extensions import db
from forum.models import ReputationEvent, UserStats
from forum.reputation import likes
from tests import factories


def member_at(level: int = 1, username: str | None = None, **kwargs):
    """A member of the given trust level (registration starts everyone at 0)."""
    user = factories.make_user(username, **kwargs)
    user.trust_level = level
    db.session.flush()
    return user


def like(post, *users):
    for user in users:
        likes.like_post(post, user=user)
    db.session.flush()


def reputation_of(user) -> int:
    db.session.flush()
    stats = db.session.get(UserStats, user.id)
    db.session.refresh(stats) if stats is not None else None
    return stats.reputation if stats is not None else 0


def ledger(user=None) -> list[tuple]:
    """The ledger as comparable tuples (every column but the id)."""
    db.session.flush()
    query = select(ReputationEvent).order_by(ReputationEvent.user_id, ReputationEvent.kind,
                                             ReputationEvent.source_key)
    if user is not None:
        query = query.where(ReputationEvent.user_id == user.id)
    return [(e.user_id, e.kind, e.source_key, e.points, e.actor_id, e.post_id, e.category_id,
             e.created_at) for e in db.session.scalars(query)]
