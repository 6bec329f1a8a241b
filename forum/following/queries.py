"""Following reads: the "new" and "unread" lists and counts, per-topic unread marks for a
page of topics, and the viewer's levels — each one query, whatever the forum's size."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import ColumnElement, and_, bindparam, func, select

from forum.column_reads import read_columns
from forum.following.filters import not_muted, not_muted_filter, viewer_mutes
from forum.models import (
    LEVEL_NORMAL,
    LEVEL_TRACKING,
    Category,
    CategoryUser,
    Topic,
    TopicRead,
    TopicUser,
    User,
    UserOption,
    utcnow,
)
from forum.topics.queries import (
    TopicList,
    _listed_ids,
    _paginate,
    listed_conditions,
    listed_visibility,
)


def _new_cutoff(user: User, now: datetime | None = None) -> datetime:
    """The member's "new" cutoff: the last few days, and not before the member joined."""
    now = now or utcnow()
    return max(now - timedelta(days=current_app.config["NEW_TOPIC_DAYS"]), user.created_at)


# The conditions below take the member's id and cutoff either as values (a statement built for
# this request) or as parameters (a statement built once and kept: see _kept).

def _created_since(cutoff, user_id) -> ColumnElement[bool]:
    """Topics created after the member's "new" cutoff, and not before they last dismissed new
    topics (read in the same query)."""
    dismissed = select(UserOption.new_dismissed_at).where(
        UserOption.user_id == user_id).scalar_subquery()
    return (Topic.created_at > cutoff) & (Topic.created_at > func.coalesce(dismissed, cutoff))


def _read_row(user_id):
    return and_(TopicRead.topic_id == Topic.id, TopicRead.user_id == user_id)


def _topic_level(user_id):
    return and_(TopicUser.topic_id == Topic.id, TopicUser.user_id == user_id)


def _category_level(user_id):
    return and_(CategoryUser.category_id == Topic.category_id, CategoryUser.user_id == user_id)


def _new_condition(cutoff, user_id) -> ColumnElement[bool]:
    return _created_since(cutoff, user_id) & TopicRead.id.is_(None) & (Topic.user_id != user_id)


def _level():
    # Tracked: the topic's own level, or (with none set) its category's.
    return func.coalesce(TopicUser.notification_level, CategoryUser.notification_level,
                         LEVEL_NORMAL)


def _unread_condition() -> ColumnElement[bool]:
    return (TopicRead.last_read_post_number < Topic.highest_post_number) \
        & (_level() >= LEVEL_TRACKING)


def _base(user: User, columns) -> object:
    return (_listed_ids(user).with_only_columns(*columns)
            .outerjoin(TopicRead, _read_row(user.id))
            .outerjoin(TopicUser, _topic_level(user.id))
            .outerjoin(CategoryUser, _category_level(user.id))
            .where(not_muted(user)))


def new_topics(user: User, page: int = 1) -> TopicList:
    """Topics created since the member's cutoff that they have not opened, newest first."""
    query = _base(user, [Topic.id]).where(_new_condition(_new_cutoff(user), user.id))
    return _paginate(query.order_by(Topic.created_at.desc(), Topic.id.desc()), page)


def unread_topics(user: User, page: int = 1) -> TopicList:
    """Tracked or watched topics with posts past the member's read position, by activity."""
    query = _base(user, [Topic.id]).where(_unread_condition())
    return _paginate(query.order_by(Topic.bumped_at.desc(), Topic.id.desc()), page)


# Statements every member's page runs are built once per shape and kept, then run with the
# viewer's values as parameters: building one of a few joins costs SQLAlchemy about a
# millisecond, several times what running it costs.
def _kept_user_id():
    return bindparam("user_id", required=True)


def _kept_cutoff():
    return bindparam("new_cutoff", type_=Topic.created_at.type, required=True)


def _member_values(user: User) -> dict:
    return {"user_id": user.id, "new_cutoff": _new_cutoff(user)}


@dataclass(frozen=True)
class Counts:
    new: int
    unread: int


def counts(user) -> Counts:
    """How many topics are new and unread for the member, in one query (zero for guests).

    Each count starts from its own small side instead of every listed topic: new topics
    from the recent end of the creation-time index, unread ones from the member's read rows.
    Every page a member opens shows them, so a scan of the whole forum would cost each view.
    """
    if not getattr(user, "is_authenticated", False):
        return Counts(0, 0)
    visibility = listed_visibility(user)
    mutes = viewer_mutes(user)
    row = read_columns(_counts_statement(visibility.shape, mutes.shape), {
        **visibility.values, **mutes.values, **_member_values(user)}).one()
    return Counts(new=row[0] or 0, unread=row[1] or 0)


@functools.cache
def _counts_statement(visibility_shape: tuple, mutes_shape: tuple):
    user_id, cutoff = _kept_user_id(), _kept_cutoff()
    listed = (select(func.count()).select_from(Topic)
              .where(*listed_conditions(visibility_shape), not_muted_filter(mutes_shape)))
    new = listed.where(_created_since(cutoff, user_id), Topic.user_id != user_id,
                       ~select(TopicRead.id).where(_read_row(user_id)).exists())
    unread = (listed.join(TopicRead, _read_row(user_id))
              .outerjoin(TopicUser, _topic_level(user_id))
              .outerjoin(CategoryUser, _category_level(user_id))
              .where(_unread_condition()))
    return select(new.scalar_subquery(), unread.scalar_subquery())


@dataclass(frozen=True)
class TopicMark:
    unread: int  # posts past the read position (tracked topics only)
    is_new: bool


def marks_for(user, ids: list[int]) -> dict[int, TopicMark]:
    """The viewer's new/unread marks for a page of topics, in one query."""
    if not ids or not getattr(user, "is_authenticated", False):
        return {}
    rows = read_columns(_marks_statement(), {**_member_values(user), "topic_ids": ids})
    marks = {}
    for topic_id, highest, last_read, lvl, is_new in rows:
        unread = highest - last_read if last_read is not None and lvl >= LEVEL_TRACKING else 0
        if unread > 0 or is_new:
            marks[topic_id] = TopicMark(unread=max(unread, 0), is_new=bool(is_new))
    return marks


@functools.cache
def _marks_statement():
    user_id = _kept_user_id()
    return (select(Topic.id, Topic.highest_post_number, TopicRead.last_read_post_number,
                   _level(), _new_condition(_kept_cutoff(), user_id))
            .outerjoin(TopicRead, _read_row(user_id))
            .outerjoin(TopicUser, _topic_level(user_id))
            .outerjoin(CategoryUser, _category_level(user_id))
            .where(Topic.id.in_(bindparam("topic_ids", expanding=True, required=True))))


@dataclass(frozen=True)
class TopicState:
    """The viewer's level for a topic (its own, else its category's, else normal) and where
    they stopped reading (0: never opened)."""
    level: int
    last_read: int


def topic_state(user, topic: Topic) -> TopicState:
    """The viewer's TopicState, in one query (the topic page is performance-critical)."""
    if not getattr(user, "is_authenticated", False):
        return TopicState(LEVEL_NORMAL, 0)
    own, category, last_read = read_columns(_topic_state_statement(), {
        "user_id": user.id, "topic_id": topic.id, "category_id": topic.category_id}).one()
    level = own if own is not None else (LEVEL_NORMAL if category is None else category)
    return TopicState(level=level, last_read=last_read or 0)


@functools.cache
def _topic_state_statement():
    user_id, topic_id = bindparam("user_id", required=True), bindparam("topic_id", required=True)
    return select(
        select(TopicUser.notification_level).where(
            TopicUser.user_id == user_id, TopicUser.topic_id == topic_id).scalar_subquery(),
        select(CategoryUser.notification_level).where(
            CategoryUser.user_id == user_id,
            CategoryUser.category_id == bindparam("category_id", required=True)
        ).scalar_subquery(),
        select(TopicRead.last_read_post_number).where(
            TopicRead.user_id == user_id, TopicRead.topic_id == topic_id).scalar_subquery(),
    )


def category_level(user, category: Category) -> int:
    if not getattr(user, "is_authenticated", False):
        return LEVEL_NORMAL
    level = read_columns(_category_level_statement(), {
        "user_id": user.id, "category_id": category.id}).scalar()
    return LEVEL_NORMAL if level is None else level


@functools.cache
def _category_level_statement():
    # Built once: a member's category page asks on every view.
    return select(CategoryUser.notification_level).where(
        CategoryUser.user_id == bindparam("user_id", required=True),
        CategoryUser.category_id == bindparam("category_id", required=True))


def first_unread_post_number(state: TopicState, topic: Topic) -> int | None:
    """Where a returning reader resumes: the post after their read position (None when the
    topic was never opened or is read to the end)."""
    if state.last_read < 1 or state.last_read >= topic.highest_post_number:
        return None
    return state.last_read + 1

