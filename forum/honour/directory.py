"""The users directory (/u, Discourse's /directory_items.json): members with their figures over a
period, sorted by one of them, as the viewer may see them.

A page costs two queries whatever the data: the page of member ids ordered by the chosen figure
(one grouped subquery), then every figure for just those members. Figures count only what the
viewer can see: posts, topics and likes in visible places, ledger events in visible categories.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, func, literal, select
from sqlalchemy.orm import aliased

from forum import permissions
from forum.extensions import db
from forum.honour.board import library_figure, visible_events
from forum.honour.periods import ALL_TIME, period_start
from forum.models import (
    POST_ACTION_LIKE,
    Post,
    PostAction,
    ReputationEvent,
    Topic,
    User,
    UserStats,
    UserVisit,
)

PER_PAGE = 50
MAX_PAGE = 1000  # deeper offsets cost the database more than anyone reads
# Sortable figures, in the order the directory shows them.
ORDERS = ("reputation", "likes_received", "likes_given", "topic_count", "post_count",
          "materials", "reviews", "days_visited", "posts_read")
DEFAULT_ORDER = "likes_received"


@dataclass
class DirectoryItem:
    user: User
    figures: dict[str, int] = field(default_factory=dict)


@dataclass
class DirectoryPage:
    items: list[DirectoryItem]
    page: int
    has_more: bool


def _figure(name: str, viewer, since) -> Select:
    """select(user_id, value) grouped by member, for one figure over the period."""
    if name == "reputation":
        query = (select(ReputationEvent.user_id.label("user_id"),
                        func.sum(ReputationEvent.points).label("value"))
                 .where(visible_events(viewer)))
        column = ReputationEvent.created_at
    elif name in ("likes_received", "likes_given"):
        query, column = _likes(name, viewer)
    elif name in ("materials", "reviews"):
        query, column = library_figure(name, viewer)
    elif name == "post_count":
        query = (select(Post.user_id.label("user_id"), func.count(Post.id).label("value"))
                 .where(permissions.visible_posts(viewer)))
        column = Post.created_at
    elif name == "topic_count":
        query = (select(Topic.user_id.label("user_id"), func.count(Topic.id).label("value"))
                 .where(permissions.visible_topics(viewer)))
        column = Topic.created_at
    else:  # days_visited, posts_read: visits say nothing about places, nothing to hide
        value = (func.count(UserVisit.id) if name == "days_visited"
                 else func.sum(UserVisit.posts_read))
        query = select(UserVisit.user_id.label("user_id"), value.label("value"))
        column = UserVisit.visited_on
        since = since.date() if since is not None else None
    if since is not None:
        query = query.where(column >= since)
    return query


def _likes(name: str, viewer):
    liked = aliased(Post)
    owner = liked.user_id if name == "likes_received" else PostAction.user_id
    visible = liked.id.in_(select(Post.id).where(permissions.visible_posts(viewer)))
    query = (select(owner.label("user_id"), func.count(PostAction.id).label("value"))
             .join(liked, liked.id == PostAction.post_id)
             .where(PostAction.action_type == POST_ACTION_LIKE, visible))
    return query, PostAction.created_at


def _grouped(name: str, viewer, since, user_ids=None):
    query = _figure(name, viewer, since)
    key = query.selected_columns.user_id
    if user_ids is not None:
        query = query.where(key.in_(user_ids))
    return query.group_by(key).subquery(name)


def directory_page(viewer, *, period: str, order: str = DEFAULT_ORDER, asc: bool = False,
                   page: int = 1) -> DirectoryPage:
    """One page of live members sorted by `order` over the period (ties by name)."""
    since = period_start(period)
    sort = _grouped(order, viewer, since)
    value = func.coalesce(sort.c.value, 0)
    query = (select(User.id).outerjoin(sort, sort.c.user_id == User.id)
             .where(User.deleted_at.is_(None))
             .order_by(value.asc() if asc else value.desc(), User.username_lower)
             .limit(PER_PAGE + 1).offset((page - 1) * PER_PAGE))
    ids = list(db.session.scalars(query))
    has_more = len(ids) > PER_PAGE
    ids = ids[:PER_PAGE]
    return DirectoryPage(figures_for(viewer, ids, period), page, has_more)


def figures_for(viewer, user_ids: list[int], period: str) -> list[DirectoryItem]:
    """Every figure for the given members (kept in the given order), in one query."""
    if not user_ids:
        return []
    since = period_start(period)
    subqueries = {name: _grouped(name, viewer, since, user_ids) for name in ORDERS}
    columns = [func.coalesce(sub.c.value, 0).label(name) for name, sub in subqueries.items()]
    query = select(User, *columns, _topics_entered(period)).where(User.id.in_(user_ids))
    for sub in subqueries.values():
        query = query.outerjoin(sub, sub.c.user_id == User.id)
    query = query.outerjoin(UserStats, UserStats.user_id == User.id)
    rows = {row[0].id: row for row in db.session.execute(query)}
    items = []
    for user_id in user_ids:
        user, *values = rows[user_id]
        names = (*ORDERS, "topics_entered")
        items.append(DirectoryItem(user, {name: None if value is None else int(value)
                                          for name, value in zip(names, values, strict=True)}))
    return items


def _topics_entered(period: str):
    # Only the all-time figure is kept (per member, not per day): other periods show none.
    if period != ALL_TIME:
        return literal(None).label("topics_entered")
    return func.coalesce(UserStats.topics_entered, 0).label("topics_entered")


def live_member_count() -> int:
    """How many members the directory lists (Discourse's total_rows_directory_items)."""
    return db.session.scalar(select(func.count(User.id)).where(User.deleted_at.is_(None)))
