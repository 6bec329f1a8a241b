"""Topic reads, one function per page, eager-loading what templates touch (fixed query counts)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import ColumnElement, Select, bindparam, func, select
from sqlalchemy.orm import defaultload, joinedload, lazyload
from sqlalchemy.orm.attributes import set_committed_value

from forum import permissions
from forum.categories.queries import RULES_KEPT, child_category_ids
from forum.column_reads import read_columns
from forum.extensions import db
from forum.following.filters import not_muted_filter, viewer_mutes
from forum.generation_memo import remembered
from forum.models import Category, Post, PostRevision, Topic, User, utcnow

BY_ACTIVITY = (Topic.bumped_at.desc(), Topic.id.desc())
# A bound on ?page=: an offset beyond 64 bits overflows the database driver (a 500, not a page).
MAX_PAGE = 1_000_000


@dataclass
class TopicList:
    ids: list[int]
    page: int
    has_more: bool
    per_page: int

    def key(self) -> tuple:
        """All a page shows of the list (forum.kept_pages keeps pages under it)."""
        return tuple(self.ids), self.page, self.has_more

    @functools.cached_property
    def topics(self) -> list[Topic]:
        """The page's topics, loaded on first use: HTML pages mostly show cached rows."""
        return topics_by_ids(self.ids)


@dataclass(frozen=True)
class TopicActions:
    """What the viewer may do to the topic, asked of forum.permissions once per page.

    Every post of a page shows the same reply and topic controls; asking per post walked
    the category's permissions twenty times a page.
    """

    reply: bool
    edit_topic: bool
    delete_topic: bool
    restore_topic: bool


def topic_actions(viewer, topic: Topic) -> TopicActions:
    return TopicActions(reply=permissions.can_reply(viewer, topic),
                        edit_topic=permissions.can_edit_topic(viewer, topic),
                        delete_topic=permissions.can_delete_topic(viewer, topic),
                        restore_topic=permissions.can_restore_topic(viewer, topic))


@dataclass(frozen=True, slots=True)
class PagePost:
    """What a topic page reads of a post for every viewer: its place, author, state and likes.

    The page's posts are kept as these for the content generation (every change to a post
    bumps it), so a page whose HTML is kept too loads no Post objects: their ORM load with
    authors was the largest part of a member's topic view. forum.topics.post_html loads the
    Post itself only to render one that is not kept.
    """

    id: int
    topic_id: int
    user_id: int | None
    post_number: int
    like_count: int
    deleted_at: datetime | None
    deleted_by_id: int | None
    hidden_at: datetime | None
    hidden_reason: str | None
    helpful_at: datetime | None

    @property
    def is_first(self) -> bool:
        return self.post_number == 1


_PAGE_POST_COLUMNS = tuple(Post.__table__.c[name] for name in PagePost.__slots__)


@dataclass
class TopicPage:
    topic: Topic
    posts: list[PagePost]
    page: int
    pages: int
    per_page: int
    actions: TopicActions
    controls: dict[int, permissions.PostControls]  # each post's controls, by post id


# A topic page asks the category's rules through permissions.category_rules, kept for the
# content generation: loading its permission and moderator rows with every view (two more
# queries and an object per moderator) cost about as much as the rest of the topic's load.
TOPIC_PAGE_OPTIONS = (defaultload(Topic.category).options(*RULES_KEPT),)

# A list shows category badges only. Category's permissions and moderators load eagerly by
# default, and SQLAlchemy re-selects them even for categories the page already holds.
_BADGE_ONLY = (lazyload(Category.permissions), lazyload(Category.moderators))


def _paginate(ids_query: Select, page: int, *, pinned: Select | None = None,
              params: dict | None = None, pinned_params: dict | None = None) -> TopicList:
    """One page of a topic list: ids first (a cheap indexed scan), then the rows with joins.

    Sorting ids alone and joining only the page's rows keeps a list page's cost flat as the
    forum grows; pinned topics (a handful) lead the first page. With params, ids_query is a
    kept statement (_kept_page) and its limit and offset are parameters too.
    """
    per_page = current_app.config["TOPICS_PER_PAGE"]
    page = min(max(page, 1), MAX_PAGE)
    offset = (page - 1) * per_page
    if params is None:
        ids = list(db.session.scalars(ids_query.limit(per_page + 1).offset(offset)))
    else:
        ids = list(read_columns(ids_query, {**params, "page_limit": per_page + 1,
                                            "page_offset": offset}).scalars())
    has_more = len(ids) > per_page
    ids = ids[:per_page]
    if pinned is not None and page == 1:
        ids = list(read_columns(pinned, pinned_params).scalars()) + ids
    return TopicList(ids=ids, page=page, has_more=has_more, per_page=per_page)


def _kept_page(query: Select) -> Select:
    return query.limit(bindparam("page_limit", required=True)).offset(
        bindparam("page_offset", required=True))


def topics_by_ids(ids: list[int]) -> list[Topic]:
    """Topics with what a list row shows, in the order of ids (missing ones left out)."""
    if not ids:
        return []
    rows = db.session.scalars(_list_query_for_ids(ids)).unique()
    by_id = {topic.id: topic for topic in rows}
    return [by_id[i] for i in ids if i in by_id]


def _list_query_for_ids(ids: list[int]) -> Select:
    return (select(Topic).where(Topic.id.in_(ids))
            .options(joinedload(Topic.user), joinedload(Topic.last_poster),
                     joinedload(Topic.category).options(*_BADGE_ONLY),
                     joinedload(Topic.category).joinedload(Category.parent).options(
                         *_BADGE_ONLY)))


def listed_visibility(viewer) -> permissions.TopicsVisibility:
    """The viewer's topic visibility for lists, their categories written as id lists (kept
    for the content generation): a short statement, and a plan that walks the sort index."""
    return permissions.topics_visibility(viewer, permissions.viewer_categories(viewer))


def listed_conditions(visibility_shape: tuple, values: dict | None = None, *,
                      archived: bool = False) -> list[ColumnElement[bool]]:
    """What every topic list asks of a topic: visible to the viewer, listed, and archived or
    not (archived topics leave the default lists; a category lists them on request). Without
    values, the parameters of a statement kept for the shape (see visible_topics_filter)."""
    return [permissions.visible_topics_filter(visibility_shape, values),
            Topic.is_visible.is_(True), Topic.is_archived.is_(archived)]


def _listed_ids(viewer, *, archived: bool = False) -> Select:
    visibility = listed_visibility(viewer)
    return select(Topic.id).where(
        *listed_conditions(visibility.shape, visibility.values, archived=archived))


def _pinned_now(now) -> ColumnElement[bool]:
    """A pin that has lapsed (pinned_until passed) counts as no pin."""
    return Topic.pinned_at.is_not(None) & (
        Topic.pinned_until.is_(None) | (Topic.pinned_until > now))


def globally_pinned_ids() -> list[int]:
    """The topics pinned globally just now, whoever reads: a handful, or none.

    Latest asks on every view, and no index serves a flag that is almost always false
    beside the viewer's category list, so the pins are kept for the content generation
    (pinning bumps it) and a pin that lapsed since is dropped here by its time.
    """
    pins = remembered(("globally-pinned",), lambda: tuple(
        (topic_id, until) for topic_id, until in db.session.execute(
            select(Topic.id, Topic.pinned_until).where(Topic.is_pinned_globally.is_(True),
                                                       Topic.pinned_at.is_not(None)))))
    now = utcnow()
    return [topic_id for topic_id, until in pins if until is None or until > now]


def latest_topics(viewer, page: int = 1) -> TopicList:
    """Every visible topic by last activity; globally pinned topics lead the first page."""
    # What the member muted (topics, categories) stays out of Latest; its category shows it.
    visibility, mutes = listed_visibility(viewer), viewer_mutes(viewer)
    params = {**visibility.values, **mutes.values}
    pinned_ids = globally_pinned_ids()
    regular = _latest_statement(visibility.shape, mutes.shape, bool(pinned_ids))
    if not pinned_ids:
        return _paginate(regular, page, params=params)
    pinned = _listed_ids(viewer).where(Topic.id.in_(pinned_ids)).order_by(*BY_ACTIVITY)
    return _paginate(regular, page, pinned=pinned, params={**params, "pinned_ids": pinned_ids})


@functools.cache
def _latest_statement(visibility_shape: tuple, mutes_shape: tuple, pins: bool) -> Select:
    # Kept per shape and run with the viewer's values: every view of Latest asks.
    query = select(Topic.id).where(*listed_conditions(visibility_shape),
                                   not_muted_filter(mutes_shape))
    if pins:
        query = query.where(Topic.id.not_in(bindparam("pinned_ids", expanding=True,
                                                      required=True)))
    return _kept_page(query.order_by(*BY_ACTIVITY))


def category_topics(viewer, category: Category, page: int = 1, *,
                    archived: bool = False) -> TopicList:
    """A category's topics (with its subcategories') by last activity, pinned first."""
    visibility = listed_visibility(viewer)
    params = {**visibility.values, "now": utcnow(),
              "category_ids": [category.id, *child_category_ids(category)]}
    regular, pinned = _category_statements(visibility.shape, archived)
    return _paginate(regular, page, params=params, pinned=pinned, pinned_params=params)


@functools.cache
def _category_statements(visibility_shape: tuple, archived: bool) -> tuple[Select, Select]:
    # Kept per shape and run with the viewer's values: every view of a category asks.
    now = bindparam("now", type_=Topic.pinned_until.type, required=True)
    listed = select(Topic.id).where(
        *listed_conditions(visibility_shape, archived=archived),
        Topic.category_id.in_(bindparam("category_ids", expanding=True, required=True)))
    return (_kept_page(listed.where(~_pinned_now(now)).order_by(*BY_ACTIVITY)),
            listed.where(_pinned_now(now)).order_by(*BY_ACTIVITY))


def topic_page(topic: Topic, page: int, viewer) -> TopicPage:
    """One page of a topic's posts in order, with authors loaded and the viewer's actions."""
    # The account itself, not current_user's proxy: the page asks many questions about it.
    viewer = getattr(viewer, "_get_current_object", lambda: viewer)()
    per_page = current_app.config["POSTS_PER_PAGE"]
    pages = max((topic.highest_post_number + per_page - 1) // per_page, 1)
    page = min(max(page, 1), pages)
    first = (page - 1) * per_page + 1
    posts = [post for post in _page_posts(topic.id, first, per_page)
             if permissions.shows_post(viewer, topic, post)]
    return TopicPage(topic=topic, posts=posts, page=page, pages=pages, per_page=per_page,
                     actions=topic_actions(viewer, topic),
                     controls=permissions.post_controls(viewer, topic, posts))


def _page_posts(topic_id: int, first: int, per_page: int) -> tuple[PagePost, ...]:
    """The posts numbered first … first + per_page - 1, whoever reads (the page filters them
    by permissions.shows_post), kept for the content generation."""
    def load() -> tuple[PagePost, ...]:
        rows = read_columns(_page_posts_statement(), {
            "topic_id": topic_id, "first": first, "after_last": first + per_page})
        return tuple(PagePost(*row) for row in rows)

    return remembered(("topic-page-posts", topic_id, first, per_page), load)


@functools.cache
def _page_posts_statement() -> Select:
    posts = Post.__table__.c
    return (select(*_PAGE_POST_COLUMNS)
            .where(posts.topic_id == bindparam("topic_id", required=True),
                   posts.post_number >= bindparam("first", required=True),
                   posts.post_number < bindparam("after_last", required=True))
            .order_by(posts.post_number))


def posts_with_authors(topic: Topic, ids: list[int]) -> list[Post]:
    """The Post objects of a topic with their authors, to render the ones not kept as HTML."""
    posts = list(db.session.scalars(select(Post).where(Post.topic_id == topic.id,
                                                       Post.id.in_(ids))
                                    .options(joinedload(Post.user))))
    for post in posts:
        # Already loaded; saves a query per post. Set as loaded, not changed: a plain assignment
        # would make the read dirty, and the next autoflush would write (a site_state bump).
        set_committed_value(post, "topic", topic)
    return posts


def page_of_post(post_number: int) -> int:
    return (max(post_number, 1) - 1) // current_app.config["POSTS_PER_PAGE"] + 1


def topic_posts(topic: Topic, *, post_numbers: list[int] | None = None, limit: int = 20,
                after: int = 0, ids: list[int] | None = None, viewer=None) -> list[Post]:
    """Posts of a topic for the JSON API: given numbers or ids, or `limit` after a number.

    Posts awaiting approval show only to their author and moderators (a viewer must be given).
    """
    query = select(Post).where(Post.topic_id == topic.id, permissions.shown_posts(viewer)
                               ).options(joinedload(Post.user))
    if ids is not None:
        query = query.where(Post.id.in_(ids))
    elif post_numbers:
        query = query.where(Post.post_number.in_(post_numbers))
    else:
        query = query.where(Post.post_number > after).limit(limit)
    posts = list(db.session.scalars(query.order_by(Post.post_number)))
    for post in posts:
        # Loaded, not changed: a plain assignment would mark the post dirty and make a read flush.
        set_committed_value(post, "topic", topic)
    return posts


def post_ids(topic: Topic, viewer=None) -> list[int]:
    """Every post id of a topic the viewer may see, in order (Discourse's post_stream.stream)."""
    return list(db.session.scalars(
        select(Post.id).where(Post.topic_id == topic.id, permissions.shown_posts(viewer))
        .order_by(Post.post_number)))


def revisions(post: Post) -> list[PostRevision]:
    return list(db.session.scalars(
        select(PostRevision).where(PostRevision.post_id == post.id)
        .order_by(PostRevision.number).options(joinedload(PostRevision.user))))


def topic_participants(topic: Topic, limit: int = 5) -> list[User]:
    """The most frequent posters of a topic (for the topic header and the API)."""
    return [user for user, _n in topic_participant_counts(topic, limit)]


def topic_participant_counts(topic: Topic, limit: int = 5) -> list[tuple[User, int]]:
    """The most frequent posters of a topic with their live-post counts, most active first."""
    rows = db.session.execute(
        select(Post.user_id, func.count().label("n")).where(
            Post.topic_id == topic.id, Post.deleted_at.is_(None), Post.user_id.is_not(None),
            permissions.shown_posts(None))
        .group_by(Post.user_id).order_by(func.count().desc()).limit(limit)).all()
    counts = dict(rows)
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(list(counts))))}
    return [(users[i], n) for i, n in counts.items() if i in users]


def user_recent_posts(viewer, user: User, limit: int = 20) -> list[Post]:
    """A profile's recent posts that the viewer may see."""
    return list(db.session.scalars(
        select(Post).where(Post.user_id == user.id, permissions.visible_posts(viewer))
        .order_by(Post.created_at.desc()).limit(limit)
        .options(joinedload(Post.topic).joinedload(Topic.category))))


def user_visible_counts(viewer, user: User) -> tuple[int, int]:
    """A member's (topic count, post count) as the viewer may see them: private areas excluded."""
    topics = select(func.count()).select_from(Topic).where(
        Topic.user_id == user.id, permissions.visible_topics(viewer)).scalar_subquery()
    posts = select(func.count()).select_from(Post).where(
        Post.user_id == user.id, permissions.visible_posts(viewer)).scalar_subquery()
    topic_count, post_count = db.session.execute(select(topics, posts)).one()
    return topic_count, post_count
