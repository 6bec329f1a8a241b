"""The honour board «Доска почёта»: members who gained the most reputation, received the most
likes, shared the most library materials and gave the most expert reviews in a period, over the
whole forum or one category, as the viewer may see it.

Reputation is the sum of ledger points (ReputationEvent) dated in the period, so the likes
helper's weights decide what a like is worth: a burst of likes from fresh accounts earns
nothing there and moves nothing here. The likes column counts likes themselves and applies
the same fairness in SQL: only likes from established members count (see ESTABLISHED_DAYS).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import aliased

from forum import permissions
from forum.extensions import db
from forum.honour.periods import period_start
from forum.models import (
    POST_ACTION_LIKE,
    Category,
    ExpertReview,
    Post,
    PostAction,
    ReputationEvent,
    Resource,
    Topic,
    User,
    utcnow,
)
from forum.models.users import STAFF_ROLES

BOARD_SIZE = 10
# A like counts on the board when its giver has reached trust level 1 or has had an account
# for this many days: fresh accounts made to push one member up count for nothing.
ESTABLISHED_DAYS = 7


@dataclass(frozen=True)
class Leader:
    user: User
    value: int


def category_ids_under(category: Category, visible: list[Category]) -> list[int]:
    """The category and those of its subcategories the viewer may see (from their list)."""
    return [category.id] + [c.id for c in visible if c.parent_id == category.id]


def visible_events(viewer, category_ids: list[int] | None = None) -> ColumnElement[bool]:
    """A filter on ReputationEvent: events in the given categories, or (None) in any category
    the viewer may see plus events tied to no category (badges, seminars)."""
    if category_ids is not None:
        return ReputationEvent.category_id.in_(category_ids)
    readable = select(Category.id).where(permissions.visible_categories(viewer))
    return or_(ReputationEvent.category_id.is_(None), ReputationEvent.category_id.in_(readable))


def reputation_leaders(viewer, *, period: str, category_ids: list[int] | None = None,
                       limit: int = BOARD_SIZE) -> list[Leader]:
    """Members by reputation gained in the period (positive totals only), best first."""
    total = func.sum(ReputationEvent.points).label("total")
    query = (select(User, total).join(ReputationEvent, ReputationEvent.user_id == User.id)
             .where(User.deleted_at.is_(None), visible_events(viewer, category_ids)))
    since = period_start(period)
    if since is not None:
        query = query.where(ReputationEvent.created_at >= since)
    query = (query.group_by(User.id).having(total > 0)
             .order_by(total.desc(), User.username_lower).limit(limit))
    return [Leader(user, int(value)) for user, value in db.session.execute(query)]


def established_liker(liker) -> ColumnElement[bool]:
    """A filter on an aliased User who gave a like: a live account that is not fresh."""
    old_enough = liker.created_at <= utcnow() - timedelta(days=ESTABLISHED_DAYS)
    return liker.deleted_at.is_(None) & or_(liker.trust_level >= 1, old_enough,
                                            liker.role.in_(STAFF_ROLES))


def likes_leaders(viewer, *, period: str, category_ids: list[int] | None = None,
                  limit: int = BOARD_SIZE) -> list[Leader]:
    """Members by likes their visible posts received in the period from established members."""
    liker = aliased(User)
    likes = func.count(PostAction.id).label("likes")
    query = (select(User, likes).join(Post, Post.user_id == User.id)
             .join(PostAction, PostAction.post_id == Post.id)
             .join(liker, liker.id == PostAction.user_id)
             .where(User.deleted_at.is_(None), PostAction.action_type == POST_ACTION_LIKE,
                    PostAction.user_id != Post.user_id, established_liker(liker),
                    permissions.visible_posts(viewer)))
    if category_ids is not None:
        query = query.where(Post.topic_id.in_(
            select(Topic.id).where(Topic.category_id.in_(category_ids))))
    since = period_start(period)
    if since is not None:
        query = query.where(PostAction.created_at >= since)
    query = query.group_by(User.id).order_by(likes.desc(), User.username_lower).limit(limit)
    return [Leader(user, int(value)) for user, value in db.session.execute(query)]


def library_figure(name: str, viewer):
    """(select(user_id, value) over what the viewer may see in the library, its time column)
    for "materials" (materials shared) or "reviews" (expert reviews given); the users
    directory groups the same figures."""
    if name == "materials":
        query = (select(Resource.user_id.label("user_id"), func.count(Resource.id).label("value"))
                 .where(permissions.visible_resources(viewer)))
        return query, Resource.created_at
    query = (select(ExpertReview.user_id.label("user_id"),
                    func.count(ExpertReview.id).label("value"))
             .join(Resource, Resource.id == ExpertReview.resource_id)
             .where(permissions.visible_resources(viewer)))
    return query, ExpertReview.created_at


def library_leaders(viewer, name: str, *, period: str, category_ids: list[int] | None = None,
                    limit: int = BOARD_SIZE) -> list[Leader]:
    """Members by materials shared or expert reviews given in the period, most first."""
    query, column = library_figure(name, viewer)
    if category_ids is not None:
        query = query.where(Resource.category_id.in_(category_ids))
    since = period_start(period)
    if since is not None:
        query = query.where(column >= since)
    counts = query.group_by(query.selected_columns.user_id).subquery()
    rows = db.session.execute(
        select(User, counts.c.value).join(counts, counts.c.user_id == User.id)
        .where(User.deleted_at.is_(None))
        .order_by(counts.c.value.desc(), User.username_lower).limit(limit))
    return [Leader(user, int(value)) for user, value in rows]
