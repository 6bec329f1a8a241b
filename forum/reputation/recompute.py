"""`forum reputation recompute`: the ledger and the like counters rebuilt from the source rows.

The entries are derived by the very rules the incremental receivers use (forum.reputation.
points), then compared with the stored ledger: only differences are written, so a second run
changes nothing and entry ids stay stable. Kinds this module does not know are left alone.
One transaction: the caller commits once, so readers never see a half-rebuilt ledger.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, func, insert, select, update

from forum.extensions import db
from forum.models import (
    POST_ACTION_LIKE,
    Badge,
    Post,
    PostAction,
    ReputationEvent,
    Topic,
    User,
    UserBadge,
    UserStats,
)
from forum.models.chat import CHANNEL_SEMINAR, ChatChannel, ChatMessage
from forum.reputation import points
from forum.reputation.points import KINDS, Weights

BATCH = 5_000
EVENTS = ReputationEvent.__table__
FIELDS = ("points", "actor_id", "post_id", "category_id", "created_at")


@dataclass
class RecomputeResult:
    entries: int = 0
    added: int = 0
    changed: int = 0
    removed: int = 0
    members_updated: int = 0


def work_units() -> int:
    """How far the progress bar goes: one unit per like, per other source and per member."""
    return sum(db.session.scalar(select(func.count()).select_from(table)) or 0
               for table in (PostAction, UserBadge, User))


def recompute(advance: Callable[[int], object] = lambda n: None) -> RecomputeResult:
    """Bring the ledger, the like counters and every member's score in line with the sources."""
    rules = points.weights()
    wanted: dict[tuple, dict] = {}
    for row in _desired_entries(rules, advance):
        wanted[(row["user_id"], row["kind"], row["source_key"])] = row
    result = _apply(wanted)
    _recount_likes()
    result.members_updated = _update_stats(advance)
    db.session.expire_all()  # rows changed under the ORM's feet
    return result


# --- what the ledger should hold --------------------------------------------------------------

def _desired_entries(rules: Weights, advance) -> Iterator[dict]:
    yield from _like_entries(rules, advance)
    yield from _removal_entries(rules)
    yield from _badge_entries(rules, advance)
    yield from _seminar_entries(rules)


def _like_entries(rules: Weights, advance) -> Iterator[dict]:
    # Sorted so each (liker, author, day) group arrives in order: its rank is a running count.
    rows = db.session.execute(
        select(PostAction.id, PostAction.user_id, PostAction.post_id, PostAction.created_at,
               Post.user_id.label("author_id"), Topic.category_id, User.trust_level)
        .join(Post, Post.id == PostAction.post_id).join(Topic, Topic.id == Post.topic_id)
        .join(User, User.id == PostAction.user_id)
        .where(PostAction.action_type == POST_ACTION_LIKE, Post.user_id.is_not(None),
               Post.user_id != PostAction.user_id)
        .order_by(PostAction.user_id, Post.user_id, PostAction.created_at, PostAction.id)
        .execution_options(yield_per=BATCH))
    group, rank, seen = None, 0, 0
    for row in rows:
        key = (row.user_id, row.author_id, points.utc_day(row.created_at))
        rank = rank + 1 if key == group else 1
        group = key
        yield {"user_id": row.author_id, "kind": points.KIND_LIKE,
               "source_key": points.like_key(row.id),
               "points": rules.like_points(rank=rank, liker_level=row.trust_level),
               "actor_id": row.user_id, "post_id": row.post_id,
               "category_id": row.category_id, "created_at": row.created_at}
        seen += 1
        if seen % 1000 == 0:
            advance(1000)
    advance(seen % 1000)


def _removal_entries(rules: Weights) -> Iterator[dict]:
    rows = db.session.execute(
        select(Post.id, Post.user_id, Post.deleted_at, Post.deleted_by_id, Topic.category_id)
        .join(Topic, Topic.id == Post.topic_id)
        .where(Post.deleted_at.is_not(None), Post.user_id.is_not(None),
               Post.deleted_by_id.is_not(None), Post.deleted_by_id != Post.user_id))
    # Only moderators delete other people's posts (forum.permissions), so this is their removals.
    for row in rows:
        yield {"user_id": row.user_id, "kind": points.KIND_POST_REMOVED,
               "source_key": points.post_removal_key(row.id), "points": rules.post_removed,
               "actor_id": row.deleted_by_id, "post_id": row.id,
               "category_id": row.category_id, "created_at": row.deleted_at}


def _badge_entries(rules: Weights, advance) -> Iterator[dict]:
    rows = db.session.execute(
        select(UserBadge.id, UserBadge.user_id, UserBadge.granted_at, UserBadge.post_id,
               Badge.tier).join(Badge, Badge.id == UserBadge.badge_id)).all()
    for row in rows:
        yield {"user_id": row.user_id, "kind": points.KIND_BADGE, "source_key": f"badge:{row.id}",
               "points": rules.badge.get(row.tier, 0), "actor_id": None,
               "post_id": row.post_id, "category_id": None, "created_at": row.granted_at}
    advance(len(rows))


def _seminar_entries(rules: Weights) -> Iterator[dict]:
    rows = db.session.execute(
        select(ChatMessage.user_id, ChatMessage.channel_id,
               func.min(ChatMessage.created_at).label("first_at"))
        .join(ChatChannel, ChatChannel.id == ChatMessage.channel_id)
        .where(ChatChannel.kind == CHANNEL_SEMINAR, ChatMessage.user_id.is_not(None))
        .group_by(ChatMessage.user_id, ChatMessage.channel_id))
    for row in rows:
        yield {"user_id": row.user_id, "kind": points.KIND_SEMINAR,
               "source_key": f"seminar:{row.channel_id}", "points": rules.seminar,
               "actor_id": None, "post_id": None, "category_id": None,
               "created_at": row.first_at}


# --- writing the differences ------------------------------------------------------------------

def _apply(wanted: dict[tuple, dict]) -> RecomputeResult:
    result = RecomputeResult(entries=len(wanted))
    stale, changes = [], []
    stored = db.session.execute(
        select(EVENTS.c.id, EVENTS.c.user_id, EVENTS.c.kind, EVENTS.c.source_key,
               *(EVENTS.c[name] for name in FIELDS))
        .where(EVENTS.c.kind.in_(KINDS)).execution_options(yield_per=BATCH))
    for row in stored:
        desired = wanted.pop((row.user_id, row.kind, row.source_key), None)
        if desired is None:
            stale.append(row.id)
        elif any(getattr(row, name) != desired[name] for name in FIELDS):
            changes.append({"row_id": row.id, **{f"new_{name}": desired[name] for name in FIELDS}})
    for start in range(0, len(stale), BATCH):
        db.session.execute(delete(EVENTS).where(EVENTS.c.id.in_(stale[start:start + BATCH])))
    if changes:
        db.session.execute(update(EVENTS).where(EVENTS.c.id == bindparam("row_id"))
                           .values({name: bindparam(f"new_{name}") for name in FIELDS}), changes)
    fresh = list(wanted.values())
    for start in range(0, len(fresh), BATCH):
        db.session.execute(insert(EVENTS), fresh[start:start + BATCH])
    result.added, result.changed, result.removed = len(fresh), len(changes), len(stale)
    return result


def _recount_likes() -> None:
    """Post and topic like counts from the likes themselves, written where they differ."""
    likes = Counter(dict(db.session.execute(
        select(PostAction.post_id, func.count()).where(PostAction.action_type == POST_ACTION_LIKE)
        .group_by(PostAction.post_id)).all()))
    _write_counts(Post.__table__, "like_count", likes, select(Post.id, Post.like_count))
    by_topic = Counter(dict(db.session.execute(
        select(Post.topic_id, func.count()).join(PostAction, PostAction.post_id == Post.id)
        .where(PostAction.action_type == POST_ACTION_LIKE).group_by(Post.topic_id)).all()))
    _write_counts(Topic.__table__, "like_count", by_topic, select(Topic.id, Topic.like_count))


def _write_counts(table, column: str, counts: Counter, current) -> None:
    rows = [{"row_id": key, "value": counts.get(key, 0)}
            for key, value in db.session.execute(current) if value != counts.get(key, 0)]
    if rows:
        db.session.execute(update(table).where(table.c.id == bindparam("row_id"))
                           .values({column: bindparam("value")}), rows)


def _update_stats(advance) -> int:
    """Each member's likes given and received and score; rows created for those without one."""
    given = Counter(dict(db.session.execute(
        select(PostAction.user_id, func.count()).where(PostAction.action_type == POST_ACTION_LIKE)
        .group_by(PostAction.user_id)).all()))
    received = Counter(dict(db.session.execute(
        select(Post.user_id, func.count()).join(PostAction, PostAction.post_id == Post.id)
        .where(PostAction.action_type == POST_ACTION_LIKE, Post.user_id.is_not(None))
        .group_by(Post.user_id)).all()))
    score = Counter(dict(db.session.execute(
        select(EVENTS.c.user_id, func.sum(EVENTS.c.points)).group_by(EVENTS.c.user_id)).all()))
    stats = UserStats.__table__
    current = {row.user_id: row for row in db.session.execute(
        select(stats.c.user_id, stats.c.likes_given, stats.c.likes_received,
               stats.c.reputation))}
    user_ids = db.session.scalars(select(User.id)).all()
    missing = [{"user_id": uid} for uid in user_ids if uid not in current]
    if missing:
        db.session.execute(insert(stats), missing)
    changes = []
    for uid in user_ids:
        wanted = (given[uid], received[uid], int(score[uid] or 0))
        row = current.get(uid)
        if row is None or (row.likes_given, row.likes_received, row.reputation) != wanted:
            changes.append({"row_id": uid, "given": wanted[0], "received": wanted[1],
                            "score": wanted[2]})
    if changes:
        db.session.execute(update(stats).where(stats.c.user_id == bindparam("row_id")).values(
            likes_given=bindparam("given"), likes_received=bindparam("received"),
            reputation=bindparam("score")), changes)
    advance(len(user_ids))
    return len(changes)
