"""The reputation ledger: weighted entries from likes, moderators' removals, badges and seminars.

A member's score is the sum of their ReputationEvent rows, kept in UserStats.reputation. Each
entry is derived from a source row by the rules here — weights are admin settings — so the
incremental updates below (receivers of the domain events) and `forum reputation recompute`
(forum.reputation.recompute) give the same ledger.

Anti-farming rules for a like (the lowest applicable weight wins):
- a like from a new member (trust level 0) earns `reputation_points_like_from_new_member`;
- past `reputation_pair_likes_per_day` likes from one member to the same author in a UTC day,
  each further like earns `reputation_points_like_beyond_pair_cap`;
- self-likes cannot happen (forum.permissions refuses them); silenced members cannot like.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from forum import domain_events, permissions
from forum.extensions import db
from forum.models import (
    POST_ACTION_LIKE,
    Post,
    PostAction,
    ReputationEvent,
    Topic,
    User,
    UserStats,
)
from forum.models.chat import CHANNEL_SEMINAR, ChatChannel
from forum.settings import get_setting

KIND_LIKE = "like_received"
KIND_POST_REMOVED = "post_removed"
KIND_BADGE = "badge"
KIND_SEMINAR = "seminar"
KIND_HELPFUL = "helpful_reply"
KIND_RESOURCE = "resource_recommended"
KINDS = (KIND_LIKE, KIND_POST_REMOVED, KIND_BADGE, KIND_SEMINAR, KIND_HELPFUL, KIND_RESOURCE)


@dataclass(frozen=True)
class Weights:
    """The admin's current weights, read once per operation."""

    like: int
    like_from_new: int
    pair_cap: int
    like_beyond_cap: int
    post_removed: int
    badge: dict[str, int]
    seminar: int
    helpful: int
    resource_recommended: int = 0

    def like_points(self, *, rank: int, liker_level: int) -> int:
        """Points for the `rank`-th like (1-based) of the day from one member to one author."""
        points = self.like
        if liker_level == 0:
            points = min(points, self.like_from_new)
        if rank > self.pair_cap:
            points = min(points, self.like_beyond_cap)
        return points


def weights() -> Weights:
    return Weights(
        like=get_setting("reputation_points_like_received"),
        like_from_new=get_setting("reputation_points_like_from_new_member"),
        pair_cap=get_setting("reputation_pair_likes_per_day"),
        like_beyond_cap=get_setting("reputation_points_like_beyond_pair_cap"),
        post_removed=-get_setting("reputation_penalty_post_removed"),
        badge={tier: get_setting(f"reputation_points_badge_{tier}")
               for tier in ("bronze", "silver", "gold")},
        seminar=get_setting("reputation_points_seminar"),
        helpful=get_setting("reputation_points_helpful_reply"),
        resource_recommended=get_setting("reputation_points_resource_recommended"))


def like_key(action_id: int) -> str:
    return f"like:{action_id}"


def utc_day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


# --- the ledger -------------------------------------------------------------------------------

def entry(user_id: int, kind: str, source_key: str) -> ReputationEvent | None:
    return db.session.scalar(select(ReputationEvent).where(
        ReputationEvent.user_id == user_id, ReputationEvent.kind == kind,
        ReputationEvent.source_key == source_key))


def record(user_id: int, kind: str, source_key: str, points: int, *, created_at: datetime,
           actor_id: int | None = None, post_id: int | None = None,
           category_id: int | None = None) -> ReputationEvent:
    """Add an entry, or set the points of the one already there (a source counts once)."""
    event = entry(user_id, kind, source_key)
    if event is None:
        event = ReputationEvent(user_id=user_id, kind=kind, source_key=source_key, points=0,
                                actor_id=actor_id, post_id=post_id, category_id=category_id,
                                created_at=created_at)
        db.session.add(event)
    _set_points(event, points)
    return event


def revoke(user_id: int, kind: str, source_key: str) -> None:
    event = entry(user_id, kind, source_key)
    if event is not None:
        _adjust(user_id, -event.points)
        db.session.delete(event)
        db.session.flush()


def _set_points(event: ReputationEvent, points: int) -> None:
    delta = points - (event.points or 0)
    event.points = points
    db.session.flush()
    if delta:
        _adjust(event.user_id, delta)


def _adjust(user_id: int, delta: int) -> None:
    from forum.reputation.likes import stats_for

    stats = stats_for(user_id)
    stats.reputation = UserStats.reputation + delta  # SQL increment: concurrent likes add up
    db.session.flush()


# --- likes ------------------------------------------------------------------------------------

def score_likes_between(liker: User, author_id: int, day: date) -> None:
    """(Re)score every like `liker` gave `author_id`'s posts on `day`: their ranks decide."""
    start = datetime.combine(day, time.min, tzinfo=UTC)
    rows = db.session.execute(
        select(PostAction.id, PostAction.post_id, PostAction.created_at, Topic.category_id)
        .join(Post, Post.id == PostAction.post_id).join(Topic, Topic.id == Post.topic_id)
        .where(PostAction.user_id == liker.id, PostAction.action_type == POST_ACTION_LIKE,
               Post.user_id == author_id, PostAction.created_at >= start,
               PostAction.created_at < start + timedelta(days=1))
        .order_by(PostAction.created_at, PostAction.id)).all()
    rules = weights()
    for rank, row in enumerate(rows, 1):
        record(author_id, KIND_LIKE, like_key(row.id),
               rules.like_points(rank=rank, liker_level=liker.trust_level),
               created_at=row.created_at, actor_id=liker.id, post_id=row.post_id,
               category_id=row.category_id)


def _on_like_given(action: PostAction, **_kwargs) -> None:
    post = db.session.get(Post, action.post_id)
    if post.user_id is not None and post.user_id != action.user_id:
        score_likes_between(db.session.get(User, action.user_id), post.user_id,
                            utc_day(action.created_at))


def _on_like_removed(post: Post, *, user: User, action_id: int | None = None, **_kwargs) -> None:
    if post.user_id is None or action_id is None:
        return
    event = entry(post.user_id, KIND_LIKE, like_key(action_id))
    if event is None:
        return
    day = utc_day(event.created_at)
    revoke(post.user_id, KIND_LIKE, like_key(action_id))
    score_likes_between(user, post.user_id, day)  # later likes that day may now count more


def _on_trust_level_changed(user: User, *, old: int, new: int, **_kwargs) -> None:
    """A member leaving (or falling back to) trust level 0 changes what their likes earn."""
    if (old == 0) == (new == 0):
        return
    groups = db.session.execute(
        select(ReputationEvent.user_id, ReputationEvent.created_at)
        .where(ReputationEvent.actor_id == user.id, ReputationEvent.kind == KIND_LIKE)).all()
    for author_id, day in {(row.user_id, utc_day(row.created_at)) for row in groups}:
        score_likes_between(user, author_id, day)


# --- moderators' removals ---------------------------------------------------------------------

def post_removal_key(post_id: int) -> str:
    return f"post:{post_id}"


def _on_post_deleted(post: Post, *, actor: User | None = None, **_kwargs) -> None:
    """A post a moderator removed costs its author points; their own deletions cost nothing."""
    if (actor is None or post.user_id is None or actor.id == post.user_id
            or not permissions.can_moderate(actor, post.topic.category)):
        return
    record(post.user_id, KIND_POST_REMOVED, post_removal_key(post.id), weights().post_removed,
           created_at=post.deleted_at, actor_id=actor.id, post_id=post.id,
           category_id=post.topic.category_id)


def _on_post_restored(post: Post, **_kwargs) -> None:
    if post.user_id is not None:
        revoke(post.user_id, KIND_POST_REMOVED, post_removal_key(post.id))


# --- helpful replies -------------------------------------------------------------------------

def helpful_key(post_id: int) -> str:
    return f"helpful:{post_id}"


def _on_reply_marked_helpful(post: Post, **_kwargs) -> None:
    # No actor: it is always the topic's author, and recompute cannot tell who that was if
    # the reply later moves to another topic.
    if post.user_id is not None:
        record(post.user_id, KIND_HELPFUL, helpful_key(post.id), weights().helpful,
               created_at=post.helpful_at, post_id=post.id,
               category_id=post.topic.category_id)


def _on_reply_unmarked_helpful(post: Post, **_kwargs) -> None:
    if post.user_id is not None:
        revoke(post.user_id, KIND_HELPFUL, helpful_key(post.id))


# --- badges and seminars ----------------------------------------------------------------------

def _on_badge_granted(user_badge, **_kwargs) -> None:
    if user_badge.id is None:
        db.session.flush()
    record(user_badge.user_id, KIND_BADGE, f"badge:{user_badge.id}",
           weights().badge.get(user_badge.badge.tier, 0), created_at=user_badge.granted_at,
           post_id=user_badge.post_id)


def _on_badge_revoked(user_badge, **_kwargs) -> None:
    revoke(user_badge.user_id, KIND_BADGE, f"badge:{user_badge.id}")


def _on_chat_message_sent(message, **_kwargs) -> None:
    """Writing in a seminar's room is taking part in it: once per seminar, from the first word."""
    channel = db.session.get(ChatChannel, message.channel_id)
    if channel is None or channel.kind != CHANNEL_SEMINAR or message.user_id is None:
        return
    key = f"seminar:{channel.id}"
    if entry(message.user_id, KIND_SEMINAR, key) is None:
        record(message.user_id, KIND_SEMINAR, key, weights().seminar,
               created_at=message.created_at)


# --- the library --------------------------------------------------------------------------------

def resource_key(resource_id: int) -> str:
    return f"resource:{resource_id}"


def _on_resource_recommendation_changed(resource, *, recommended: bool, **_kwargs) -> None:
    """A material the experts recommend credits its author; losing the mark takes it back."""
    if resource.user_id is None:
        return
    if recommended and resource.removed_at is None:
        record(resource.user_id, KIND_RESOURCE, resource_key(resource.id),
               weights().resource_recommended, created_at=resource.created_at,
               post_id=resource.post_id, category_id=resource.category_id)
    else:
        revoke(resource.user_id, KIND_RESOURCE, resource_key(resource.id))


def connect_receivers() -> None:
    domain_events.resource_recommendation_changed.connect(_on_resource_recommendation_changed)
    domain_events.like_given.connect(_on_like_given)
    domain_events.like_removed.connect(_on_like_removed)
    domain_events.trust_level_changed.connect(_on_trust_level_changed)
    domain_events.post_deleted.connect(_on_post_deleted)
    domain_events.post_restored.connect(_on_post_restored)
    domain_events.badge_granted.connect(_on_badge_granted)
    domain_events.badge_revoked.connect(_on_badge_revoked)
    domain_events.chat_message_sent.connect(_on_chat_message_sent)
    domain_events.reply_marked_helpful.connect(_on_reply_marked_helpful)
    domain_events.reply_unmarked_helpful.connect(_on_reply_unmarked_helpful)
