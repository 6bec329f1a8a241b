"""A member's electronic portfolio «Электронное портфолио»: the summary of their work, reputation
with where it came from, badges, best posts and seminars attended, as the viewer may see them.

Every part is one query, however active the member. Posts, topics, likes and seminars are
counted through forum.permissions, so a reader never learns of posts or likes in places hidden
from them; the reputation score is the member's own and is shown whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from forum import permissions
from forum.extensions import db
from forum.models import (
    CHANNEL_SEMINAR,
    POST_ACTION_LIKE,
    Badge,
    ChatChannel,
    ChatMessage,
    Post,
    PostAction,
    ReputationEvent,
    Topic,
    User,
    UserBadge,
    UserStats,
)

BEST_POSTS = 5
MAX_SEMINARS = 50


@dataclass(frozen=True)
class Summary:
    topic_count: int
    post_count: int
    likes_given: int
    likes_received: int
    days_visited: int
    posts_read: int
    topics_entered: int
    time_read_seconds: int


@dataclass(frozen=True)
class LedgerLine:
    """One kind of reputation event: how many there were and the points they brought."""
    kind: str
    count: int
    points: int


@dataclass
class Portfolio:
    user: User
    summary: Summary
    breakdown: list[LedgerLine]
    badges: list[UserBadge]
    best_posts: list[Post]
    seminars: list[ChatChannel]
    materials: list = field(default_factory=list)  # library Resources the viewer may see
    reviews_given: int = 0

    @property
    def reputation(self) -> int:
        return sum(line.points for line in self.breakdown)


def build_portfolio(viewer, user: User) -> Portfolio:
    """Everything the portfolio page and summary.json show about `user` to `viewer`."""
    return Portfolio(user=user, summary=summary(viewer, user),
                     breakdown=reputation_breakdown(user),
                     badges=badges_held(user), best_posts=best_posts(viewer, user),
                     seminars=seminars_attended(viewer, user),
                     materials=materials_shared(viewer, user),
                     reviews_given=reviews_given(viewer, user))


def summary(viewer, user: User) -> Summary:
    """Counts the viewer may see, and the member's reading habits (which reveal no place)."""
    def count(query):
        return query.scalar_subquery()

    visible_post_ids = select(Post.id).where(permissions.visible_posts(viewer))
    topics = select(func.count(Topic.id)).where(Topic.user_id == user.id,
                                               permissions.visible_topics(viewer))
    posts = select(func.count(Post.id)).where(Post.user_id == user.id,
                                             permissions.visible_posts(viewer))
    likes = select(func.count(PostAction.id)).where(PostAction.action_type == POST_ACTION_LIKE,
                                                    PostAction.post_id.in_(visible_post_ids))
    given = likes.where(PostAction.user_id == user.id)
    received = likes.where(PostAction.post_id.in_(
        select(Post.id).where(Post.user_id == user.id)), PostAction.user_id != user.id)
    habits = [func.coalesce(select(column).where(UserStats.user_id == user.id)
                            .scalar_subquery(), 0)
              for column in (UserStats.days_visited, UserStats.posts_read,
                             UserStats.topics_entered, UserStats.time_read_seconds)]
    row = db.session.execute(
        select(count(topics), count(posts), count(given), count(received), *habits)).one()
    return Summary(*(int(value) for value in row))


def reputation_breakdown(user: User) -> list[LedgerLine]:
    """The member's whole ledger grouped by kind, biggest share first.

    The score is the member's own, so it is counted whole, as the reputation breakdown
    (forum.reputation) counts it; kinds and totals name no place, and the posts behind them
    are listed only where the viewer may read them.
    """
    points = func.sum(ReputationEvent.points)
    rows = db.session.execute(
        select(ReputationEvent.kind, func.count(ReputationEvent.id), points)
        .where(ReputationEvent.user_id == user.id)
        .group_by(ReputationEvent.kind).order_by(points.desc(), ReputationEvent.kind))
    return [LedgerLine(kind, int(n), int(total)) for kind, n, total in rows]


def badges_held(user: User) -> list[UserBadge]:
    """The member's enabled badges, newest first, with their badge rows loaded."""
    return list(db.session.scalars(
        select(UserBadge).join(Badge, Badge.id == UserBadge.badge_id)
        .where(UserBadge.user_id == user.id, Badge.is_enabled.is_(True))
        .order_by(UserBadge.granted_at.desc(), UserBadge.id.desc())
        .options(joinedload(UserBadge.badge))))


def best_posts(viewer, user: User, limit: int = BEST_POSTS) -> list[Post]:
    """The member's most liked posts among those the viewer may see."""
    return list(db.session.scalars(
        select(Post).where(Post.user_id == user.id, Post.like_count > 0,
                           permissions.visible_posts(viewer))
        .order_by(Post.like_count.desc(), Post.created_at.desc()).limit(limit)
        .options(joinedload(Post.topic).joinedload(Topic.category))))


def seminars_attended(viewer, user: User, limit: int = MAX_SEMINARS) -> list[ChatChannel]:
    """Seminar rooms the viewer may see in which the member sent a (live) message."""
    spoke_in = select(ChatMessage.channel_id).where(ChatMessage.user_id == user.id,
                                                    ChatMessage.deleted_at.is_(None))
    when = func.coalesce(ChatChannel.starts_at, ChatChannel.created_at)
    return list(db.session.scalars(
        select(ChatChannel).where(ChatChannel.kind == CHANNEL_SEMINAR,
                                  ChatChannel.id.in_(spoke_in),
                                  permissions.visible_channels(viewer))
        .order_by(when.desc(), ChatChannel.id.desc()).limit(limit)
        .options(joinedload(ChatChannel.host))))


MAX_MATERIALS = 50


def materials_shared(viewer, user: User, limit: int = MAX_MATERIALS) -> list:
    """The member's library materials the viewer may see, newest first."""
    from forum.library.queries import resources_of

    return resources_of(viewer, user, limit=limit)


def reviews_given(viewer, user: User) -> int:
    """Expert reviews the member wrote, of materials the viewer may see."""
    from forum.models import ExpertReview, Resource

    return db.session.scalar(
        select(func.count(ExpertReview.id)).join(Resource, Resource.id == ExpertReview.resource_id)
        .where(ExpertReview.user_id == user.id, permissions.visible_resources(viewer))) or 0
