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
    Resource,
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
    # (user_id, kind, source_key) -> (points, actor_id, post_id, category_id, created_at):
    # plain tuples, as ~150,000 of them are built and compared per 100,000 posts.
    wanted = {entry[:3]: entry[3:] for entry in _desired_entries(rules, advance)}
    result = _apply(wanted)
    _recount_likes()
    result.members_updated = _update_stats(advance)
    db.session.expire_all()  # rows changed under the ORM's feet
    return result


# --- what the ledger should hold --------------------------------------------------------------

def _desired_entries(rules: Weights, advance) -> Iterator[tuple]:
    yield from _like_entries(rules, advance)
    yield from _removal_entries(rules)
    yield from _badge_entries(rules, advance)
    yield from _seminar_entries(rules)
    yield from _helpful_entries(rules)
    yield from _resource_entries(rules)


def _rows(statement):
    """Core rows, fetched at once: the ORM's per-row work is not needed here. Not streamed:
    PostgreSQL plans a server-side cursor for the first rows (nested loops), ~10x slower here
    than hashing and sorting the lot; 150,000 short rows fit in memory comfortably."""
    return db.session.connection().execute(statement).all()


def _like_entries(rules: Weights, advance) -> Iterator[tuple]:
    # Sorted so each (liker, author, day) group arrives in order: its rank is a running count.
    rows = _rows(
        select(PostAction.id, PostAction.user_id, PostAction.post_id, PostAction.created_at,
               Post.user_id.label("author_id"), Topic.category_id, User.trust_level)
        .join(Post, Post.id == PostAction.post_id).join(Topic, Topic.id == Post.topic_id)
        .join(User, User.id == PostAction.user_id)
        .where(PostAction.action_type == POST_ACTION_LIKE, Post.user_id.is_not(None),
               Post.user_id != PostAction.user_id)
        .order_by(PostAction.user_id, Post.user_id, PostAction.created_at, PostAction.id))
    group, rank, seen = None, 0, 0
    like_points, utc_day, like_key = rules.like_points, points.utc_day, points.like_key
    for action_id, liker, post_id, created_at, author, category_id, level in rows:
        key = (liker, author, utc_day(created_at))
        rank = rank + 1 if key == group else 1
        group = key
        yield (author, points.KIND_LIKE, like_key(action_id),
               like_points(rank=rank, liker_level=level), liker, post_id, category_id,
               created_at)
        seen += 1
        if seen % BATCH == 0:
            advance(BATCH)
    advance(seen % BATCH)


def _removal_entries(rules: Weights) -> Iterator[tuple]:
    rows = _rows(
        select(Post.id, Post.user_id, Post.deleted_at, Post.deleted_by_id, Topic.category_id)
        .join(Topic, Topic.id == Post.topic_id)
        .where(Post.deleted_at.is_not(None), Post.user_id.is_not(None),
               Post.deleted_by_id.is_not(None), Post.deleted_by_id != Post.user_id))
    # Only moderators delete other people's posts (forum.permissions), so this is their removals.
    for post_id, author, deleted_at, deleted_by, category_id in rows:
        yield (author, points.KIND_POST_REMOVED, points.post_removal_key(post_id),
               rules.post_removed, deleted_by, post_id, category_id, deleted_at)


def _badge_entries(rules: Weights, advance) -> Iterator[tuple]:
    rows = _rows(select(UserBadge.id, UserBadge.user_id, UserBadge.granted_at,
                        UserBadge.post_id, Badge.tier).join(Badge, Badge.id == UserBadge.badge_id))
    count = 0
    for grant_id, user_id, granted_at, post_id, tier in rows:
        count += 1
        yield (user_id, points.KIND_BADGE, f"badge:{grant_id}", rules.badge.get(tier, 0), None,
               post_id, None, granted_at)
    advance(count)


def _seminar_entries(rules: Weights) -> Iterator[tuple]:
    rows = _rows(
        select(ChatMessage.user_id, ChatMessage.channel_id, func.min(ChatMessage.created_at))
        .join(ChatChannel, ChatChannel.id == ChatMessage.channel_id)
        .where(ChatChannel.kind == CHANNEL_SEMINAR, ChatMessage.user_id.is_not(None))
        .group_by(ChatMessage.user_id, ChatMessage.channel_id))
    for user_id, channel_id, first_at in rows:  # min() keeps the column's type: aware UTC
        yield (user_id, points.KIND_SEMINAR, f"seminar:{channel_id}", rules.seminar, None, None,
               None, first_at)


def _helpful_entries(rules: Weights) -> Iterator[tuple]:
    rows = _rows(
        select(Post.id, Post.user_id, Post.helpful_at, Topic.category_id)
        .join(Topic, Topic.id == Post.topic_id)
        .where(Post.helpful_at.is_not(None), Post.user_id.is_not(None)))
    for post_id, author, marked_at, category_id in rows:
        yield (author, points.KIND_HELPFUL, points.helpful_key(post_id), rules.helpful, None,
               post_id, category_id, marked_at)
def _resource_entries(rules: Weights) -> Iterator[tuple]:
    """Materials in the library that the experts recommend (the flag the review service keeps
    from the current version's reviews)."""
    rows = _rows(select(Resource.id, Resource.user_id, Resource.post_id, Resource.category_id,
                        Resource.created_at)
                 .where(Resource.is_recommended.is_(True), Resource.removed_at.is_(None),
                        Resource.user_id.is_not(None)))
    for resource_id, user_id, post_id, category_id, created_at in rows:
        yield (user_id, points.KIND_RESOURCE, points.resource_key(resource_id),
               rules.resource_recommended, None, post_id, category_id, created_at)


# --- writing the differences ------------------------------------------------------------------

def _apply(wanted: dict[tuple, tuple]) -> RecomputeResult:
    result = RecomputeResult(entries=len(wanted))
    stale, changes = [], []
    stored = _rows(select(EVENTS.c.id, EVENTS.c.user_id, EVENTS.c.kind, EVENTS.c.source_key,
                          *(EVENTS.c[name] for name in FIELDS))
                   .where(EVENTS.c.kind.in_(KINDS)))
    for row in stored:
        desired = wanted.pop(tuple(row[1:4]), None)
        if desired is None:
            stale.append(row[0])
        elif tuple(row[4:]) != desired:
            new_values = zip(FIELDS, desired, strict=True)
            changes.append({"row_id": row[0], **{f"new_{name}": v for name, v in new_values}})
    for start in range(0, len(stale), BATCH):
        db.session.execute(delete(EVENTS).where(EVENTS.c.id.in_(stale[start:start + BATCH])))
    if changes:
        db.session.execute(update(EVENTS).where(EVENTS.c.id == bindparam("row_id"))
                           .values({name: bindparam(f"new_{name}") for name in FIELDS}), changes)
    _insert_entries([(*key, *values) for key, values in wanted.items()])
    result.added, result.changed, result.removed = len(wanted), len(changes), len(stale)
    return result


def _insert_entries(rows: list[tuple]) -> None:
    """Insert (user_id, kind, source_key, *FIELDS) rows; PostgreSQL copies them in (a first
    recompute inserts ~150,000 entries per 100,000 posts, and COPY is the cheapest way)."""
    columns = ("user_id", "kind", "source_key", *FIELDS)
    connection = db.session.connection()
    if connection.dialect.name == "postgresql" and rows:
        cursor = connection.connection.driver_connection.cursor()
        with cursor.copy(f"COPY {EVENTS.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    for start in range(0, len(rows), BATCH):
        connection.execute(insert(EVENTS), [dict(zip(columns, row, strict=True))
                                            for row in rows[start:start + BATCH]])


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
