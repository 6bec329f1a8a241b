"""Badge rules as SQL: each answers "who is due this badge, with which grant key", set-based.

A rule takes a Scope and returns a SELECT of (user_id, grant_key, post_id, granted_at). The
same statement serves the domain-event path (scoped to the members an event concerns) and the
backfill (unscoped), so both grant exactly the same badges. Content counts only where its
member may read it (permissions.category_readers) and only while it is live: not deleted,
not hidden, not awaiting approval.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    cast,
    distinct,
    func,
    literal,
    null,
    select,
)

from forum import permissions
from forum.extensions import db
from forum.models import (
    CHANNEL_SEMINAR,
    ChatChannel,
    ChatMessage,
    ExpertReview,
    Post,
    PostAction,
    Resource,
    Topic,
    User,
    UserStats,
    UTCDateTime,
    utcnow,
)
from forum.models.reputation import POST_ACTION_LIKE
from forum.settings import get_setting

DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class Scope:
    """Which members (None: everyone) and, optionally, which posts, topics or chat channels an
    evaluation may narrow to; narrowing only saves work, it never changes the answer."""

    user_ids: frozenset[int] | None = None
    post_ids: frozenset[int] | None = None
    topic_ids: frozenset[int] | None = None
    channel_ids: frozenset[int] | None = None
    now: datetime = field(default_factory=utcnow)


Rule = Callable[[Scope], Select]
EMPTY_KEY = ""


def _users(scope: Scope, column) -> list[ColumnElement[bool]]:
    return [] if scope.user_ids is None else [column.in_(sorted(scope.user_ids) or [-1])]


def _narrow(ids: frozenset[int] | None, column) -> list[ColumnElement[bool]]:
    return [] if ids is None else [column.in_(sorted(ids) or [-1])]


def _readers(scope: Scope):
    return permissions.category_readers(scope.user_ids).subquery("readers")


def _live_posts() -> list[ColumnElement[bool]]:
    return [Post.deleted_at.is_(None), Post.hidden_at.is_(None), Topic.deleted_at.is_(None),
            Topic.is_awaiting_approval.is_(False)]


def _readable_by(readers, member_column) -> ColumnElement[bool]:
    return and_(readers.c.user_id == member_column, readers.c.category_id == Topic.category_id)


def _keyed(prefix: str, column) -> ColumnElement[str]:
    return literal(prefix) + cast(column, String)


def _row(user_id, grant_key, post_id=None, granted_at=None) -> list:
    return [user_id.label("user_id"), grant_key.label("grant_key"),
            # Typed NULLs: PostgreSQL must know a column's type through the subquery.
            (post_id if post_id is not None else cast(null(), Integer)).label("post_id"),
            (granted_at if granted_at is not None else cast(null(), UTCDateTime()))
            .label("granted_at")]


# --- posting ------------------------------------------------------------------------------------

def _own_posts(scope: Scope, *conditions) -> Select:
    """The member's own live posts where they can read them, grouped by member."""
    readers = _readers(scope)
    return (select(*_row(Post.user_id, literal(EMPTY_KEY), func.min(Post.id),
                         func.min(Post.created_at)))
            .join(Topic, Topic.id == Post.topic_id)
            .join(readers, _readable_by(readers, Post.user_id))
            .where(Post.user_id.is_not(None), *_live_posts(), *_users(scope, Post.user_id),
                   *conditions)
            .group_by(Post.user_id))


def first_post(scope: Scope) -> Select:
    return _own_posts(scope)


def first_topic(scope: Scope) -> Select:
    return _own_posts(scope, Post.post_number == 1)


def first_reply(scope: Scope) -> Select:
    # A reply in someone else's topic: answering oneself is not yet taking part.
    return _own_posts(scope, Post.post_number > 1, Topic.user_id.is_distinct_from(Post.user_id))


def posts_count_at_least(count: int) -> Rule:
    def rule(scope: Scope) -> Select:
        query = _own_posts(scope).having(func.count(Post.id) >= count)
        # The date the member reached the count is not the first post's: grant it now.
        return query.with_only_columns(*_row(Post.user_id, literal(EMPTY_KEY)))
    return rule


# --- likes --------------------------------------------------------------------------------------

def _likes_given(scope: Scope) -> Select:
    readers = _readers(scope)
    return (select(PostAction.user_id)
            .join(Post, Post.id == PostAction.post_id).join(Topic, Topic.id == Post.topic_id)
            .join(readers, _readable_by(readers, PostAction.user_id))
            .where(PostAction.action_type == POST_ACTION_LIKE, *_live_posts(),
                   *_users(scope, PostAction.user_id))
            .group_by(PostAction.user_id))


def likes_given_at_least(count: int) -> Rule:
    def rule(scope: Scope) -> Select:
        query = _likes_given(scope).having(func.count(PostAction.id) >= count)
        granted_at = func.min(PostAction.created_at) if count == 1 else None
        return query.with_only_columns(*_row(PostAction.user_id, literal(EMPTY_KEY),
                                             granted_at=granted_at))
    return rule


def first_like_received(scope: Scope) -> Select:
    readers = _readers(scope)
    return (select(*_row(Post.user_id, literal(EMPTY_KEY), None, func.min(PostAction.created_at)))
            .select_from(PostAction)
            .join(Post, Post.id == PostAction.post_id).join(Topic, Topic.id == Post.topic_id)
            .join(readers, _readable_by(readers, Post.user_id))
            .where(PostAction.action_type == POST_ACTION_LIKE,
                   PostAction.user_id != Post.user_id, *_live_posts(),
                   *_users(scope, Post.user_id))
            .group_by(Post.user_id))


def reply_liked_at_least(count: int) -> Rule:
    """One grant per reply (not a topic's first post) with at least `count` likes."""
    def rule(scope: Scope) -> Select:
        readers = _readers(scope)
        return (select(*_row(Post.user_id, _keyed("post:", Post.id), Post.id))
                .join(Topic, Topic.id == Post.topic_id)
                .join(readers, _readable_by(readers, Post.user_id))
                .where(Post.post_number > 1, Post.like_count >= count, *_live_posts(),
                       *_users(scope, Post.user_id), *_narrow(scope.post_ids, Post.id)))
    return rule


def topic_liked_at_least(setting: str) -> Rule:
    """One grant per topic whose posts together have at least the setting's number of likes."""
    def rule(scope: Scope) -> Select:
        readers = _readers(scope)
        first = select(Post.id).where(Post.topic_id == Topic.id, Post.post_number == 1)
        return (select(*_row(Topic.user_id, _keyed("topic:", Topic.id),
                             first.scalar_subquery()))
                .join(readers, _readable_by(readers, Topic.user_id))
                .where(Topic.like_count >= get_setting(setting), Topic.deleted_at.is_(None),
                       Topic.is_awaiting_approval.is_(False), *_users(scope, Topic.user_id),
                       *_narrow(scope.topic_ids, Topic.id)))
    return rule


def mentor(scope: Scope) -> Select:
    """Likes on the member's replies in other members' topics, summed, reach the setting."""
    readers = _readers(scope)
    return (select(*_row(Post.user_id, literal(EMPTY_KEY)))
            .join(Topic, Topic.id == Post.topic_id)
            .join(readers, _readable_by(readers, Post.user_id))
            .where(Post.post_number > 1, Post.like_count > 0,
                   Topic.user_id.is_distinct_from(Post.user_id), *_live_posts(),
                   *_users(scope, Post.user_id))
            .group_by(Post.user_id)
            .having(func.sum(Post.like_count) >= get_setting("badges_mentor_likes")))


# --- seminars -----------------------------------------------------------------------------------

def _seminar_messages(scope: Scope, column) -> Select:
    return (select(column).select_from(ChatMessage)
            .join(ChatChannel, ChatChannel.id == ChatMessage.channel_id)
            .where(ChatChannel.kind == CHANNEL_SEMINAR, ChatChannel.deleted_at.is_(None),
                   ChatMessage.deleted_at.is_(None), ChatMessage.user_id.is_not(None)))


def seminars_attended_at_least(count: int) -> Rule:
    """A member took part in a seminar by writing in its room (seminar rooms are public)."""
    def rule(scope: Scope) -> Select:
        query = (_seminar_messages(scope, ChatMessage.user_id)
                 .where(*_users(scope, ChatMessage.user_id)).group_by(ChatMessage.user_id)
                 .having(func.count(distinct(ChatMessage.channel_id)) >= count))
        granted_at = func.min(ChatMessage.created_at) if count == 1 else None
        return query.with_only_columns(*_row(ChatMessage.user_id, literal(EMPTY_KEY),
                                             granted_at=granted_at))
    return rule


def seminar_host(scope: Scope) -> Select:
    """One grant per seminar room the member hosted in which another member took part."""
    query = (_seminar_messages(scope, ChatChannel.host_id)
             .where(ChatChannel.host_id.is_not(None),
                    ChatMessage.user_id != ChatChannel.host_id,
                    *_users(scope, ChatChannel.host_id),
                    *_narrow(scope.channel_ids, ChatChannel.id))
             .group_by(ChatChannel.host_id, ChatChannel.id))
    return query.with_only_columns(*_row(ChatChannel.host_id, _keyed("channel:", ChatChannel.id),
                                         granted_at=func.min(ChatMessage.created_at)))


# --- visits, profile, trust levels, membership -------------------------------------------------

def days_visited(scope: Scope) -> Select:
    return (select(*_row(UserStats.user_id, literal(EMPTY_KEY)))
            .where(UserStats.days_visited >= get_setting("badges_active_member_days"),
                   *_users(scope, UserStats.user_id)))


def profile_filled(scope: Scope) -> Select:
    """An introduction: the about text and where the member teaches or what."""
    return (select(*_row(User.id, literal(EMPTY_KEY)))
            .where(User.about != "", (User.organisation != "") | (User.subjects != ""),
                   *_users(scope, User.id)))


def trust_level_at_least(level: int) -> Rule:
    def rule(scope: Scope) -> Select:
        return (select(*_row(User.id, literal(EMPTY_KEY)))
                .where(User.trust_level >= level, *_users(scope, User.id)))
    return rule


def anniversary(scope: Scope) -> Select:
    """One grant per full year of membership in which the member posted (key "year:N")."""
    years = _member_years(scope)
    return _anniversary_of_year(scope, 1, years)


def _member_years(scope: Scope) -> int:
    """The most full years any member in scope has been with the community."""
    joined = db.session.scalar(select(func.min(User.created_at)).where(*_users(scope, User.id)))
    return 0 if joined is None else int((scope.now - joined).days // DAYS_PER_YEAR)


def _anniversary_of_year(scope: Scope, first: int, last: int) -> Select:
    readers = _readers(scope)
    now = literal(scope.now, UTCDateTime())
    membership = _days_between(now, User.created_at)
    year = cast(_floor(_days_between(Post.created_at, User.created_at) / DAYS_PER_YEAR),
                Integer) + 1
    return (select(*_row(Post.user_id, _keyed("year:", year), None, None))
            .join(User, User.id == Post.user_id).join(Topic, Topic.id == Post.topic_id)
            .join(readers, _readable_by(readers, Post.user_id))
            .where(*_live_posts(), *_users(scope, Post.user_id), year >= first, year <= last,
                   membership >= year * DAYS_PER_YEAR)
            .group_by(Post.user_id, year))


def _days_between(later, earlier):
    if db.session.get_bind().dialect.name == "sqlite":
        return func.julianday(later) - func.julianday(earlier)
    return func.extract("epoch", later - earlier) / 86400.0


def _floor(value):
    # SQLite's CAST truncates, which is floor for these non-negative values; PostgreSQL rounds.
    return value if db.session.get_bind().dialect.name == "sqlite" else func.floor(value)


# --- the library ----------------------------------------------------------------------------

def _library(scope: Scope, member_column, *columns, reviews: bool = False) -> Select:
    """Resources in the library with a live post the member (in member_column) can read;
    with reviews=True, joined to their expert reviews (before the readers, who name them)."""
    readers = _readers(scope)
    query = (select(*columns).select_from(Resource)
             .join(Post, Post.id == Resource.post_id).join(Topic, Topic.id == Post.topic_id))
    if reviews:
        query = query.join(ExpertReview, ExpertReview.resource_id == Resource.id)
    return (query.join(readers, _readable_by(readers, member_column))
            .where(Resource.removed_at.is_(None), *_live_posts(), *_users(scope, member_column)))


def first_resource(scope: Scope) -> Select:
    """Shared a first material: a file on a post that entered the library."""
    return (_library(scope, Resource.user_id,
                     *_row(Resource.user_id, literal(EMPTY_KEY), func.min(Resource.post_id),
                           func.min(Resource.created_at)))
            .where(Resource.user_id.is_not(None)).group_by(Resource.user_id))


def resource_downloaded_at_least(setting: str) -> Rule:
    """One grant per material that this many people downloaded (counted once a day each)."""
    def rule(scope: Scope) -> Select:
        return _library(scope, Resource.user_id,
                        *_row(Resource.user_id, _keyed("resource:", Resource.id),
                              Resource.post_id)).where(
            Resource.user_id.is_not(None),
            Resource.download_count >= get_setting(setting),
            *_narrow(scope.post_ids, Resource.post_id))
    return rule


def reviews_at_least(count: int | None = None, *, setting: str | None = None) -> Rule:
    """Expert reviews written (of materials the reviewer can still read), at least count."""
    def rule(scope: Scope) -> Select:
        needed = count if count is not None else get_setting(setting)
        query = (_library(scope, ExpertReview.user_id, ExpertReview.user_id, reviews=True)
                 .where(ExpertReview.user_id.is_not(None))
                 .group_by(ExpertReview.user_id)
                 .having(func.count(ExpertReview.id) >= needed))
        granted_at = func.min(ExpertReview.created_at) if needed == 1 else None
        return query.with_only_columns(*_row(ExpertReview.user_id, literal(EMPTY_KEY),
                                             granted_at=granted_at))
    return rule
