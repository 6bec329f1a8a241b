"""Reads for likes and reputation: who liked a post, what the viewer liked on a page, and the
breakdown that explains a member's score."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from flask import g
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, case, func, or_, select
from sqlalchemy.orm import joinedload

from forum import permissions
from forum.column_reads import read_columns
from forum.extensions import db
from forum.models import POST_ACTION_LIKE, Post, PostAction, ReputationEvent, Topic, User
from forum.reputation import points

LIKERS_SHOWN = 50  # Discourse pages who-liked lists by 50 as well
RECENT_ENTRIES = 10

KIND_LABELS = {
    points.KIND_LIKE: _l("Likes received"),
    points.KIND_POST_REMOVED: _l("Posts removed by moderators"),
    points.KIND_BADGE: _l("Badges"),
    points.KIND_SEMINAR: _l("Seminars taken part in"),
    points.KIND_HELPFUL: _l("Replies marked helpful by the topic's author"),
    points.KIND_RESOURCE: _l("Materials recommended by experts"),
}


def likers(post: Post, *, limit: int = LIKERS_SHOWN) -> list[User]:
    """Who liked the post, earliest first (the order Discourse lists them in)."""
    return list(db.session.scalars(
        select(User).join(PostAction, PostAction.user_id == User.id)
        .where(PostAction.post_id == post.id, PostAction.action_type == POST_ACTION_LIKE)
        .order_by(PostAction.created_at, PostAction.id).limit(limit)))


@dataclass
class PageLikes:
    """The viewer's likes on one topic page: asked once per page, not once per post."""

    can_like: bool  # permissions.can_like_in_topic for this topic
    liked: set[int] = field(default_factory=set)


def page_likes(viewer, topic: Topic, post_ids: list[int] | None = None) -> PageLikes:
    """What the viewer may like and has liked in this topic (cached for the request).

    post_ids: the posts the page shows, when known: the likes are then looked up among them
    alone, which costs the same in a 1,000-post topic as in a short one. The page's footers
    ask first (forum.topics.post_html), so the like buttons they render share the answer.
    """
    cache = g.setdefault("kafedra_page_likes", {})
    if topic.id not in cache:
        cache[topic.id] = _page_likes(viewer, topic, post_ids)
    return cache[topic.id]


def _page_likes(viewer, topic: Topic, post_ids: list[int] | None) -> PageLikes:
    if not permissions.is_signed_in(viewer):
        return PageLikes(can_like=False)
    if post_ids is None:
        statement, values = _topic_likes_statement(), {"topic_id": topic.id}
    else:
        statement, values = _likes_among_statement(), {"post_ids": post_ids}
    liked = set(read_columns(statement, {"user_id": viewer.id, **values}).scalars())
    return PageLikes(can_like=permissions.can_like_in_topic(viewer, topic), liked=liked)


# Built once, run with each viewer's values: every member's topic page asks.
@functools.cache
def _topic_likes_statement():
    return (select(PostAction.post_id).join(Post, Post.id == PostAction.post_id)
            .where(PostAction.user_id == bindparam("user_id", required=True),
                   PostAction.action_type == POST_ACTION_LIKE,
                   Post.topic_id == bindparam("topic_id", required=True)))


@functools.cache
def _likes_among_statement():
    return select(PostAction.post_id).where(
        PostAction.post_id.in_(bindparam("post_ids", expanding=True, required=True)),
        PostAction.user_id == bindparam("user_id", required=True),
        PostAction.action_type == POST_ACTION_LIKE)


# --- the breakdown ----------------------------------------------------------------------------

@dataclass
class BreakdownLine:
    kind: str
    label: object
    entries: int
    points: int


@dataclass
class Breakdown:
    total: int
    lines: list[BreakdownLine]
    reduced_likes: int  # likes that earned less than a full like (new members, one pair's excess)
    full_like: int
    recent: list[ReputationEvent]
    posts: dict[int, Post]  # the recent entries' posts, loaded at once


def breakdown(viewer, user: User) -> Breakdown:
    """Where the member's score came from, by source, with the latest entries the viewer may
    see (an entry about a post in a category the viewer cannot read is counted, not shown)."""
    rules = points.weights()
    reduced_count = func.sum(case((ReputationEvent.points < rules.like, 1), else_=0))
    rows = db.session.execute(
        select(ReputationEvent.kind, func.count(),
               func.coalesce(func.sum(ReputationEvent.points), 0),
               func.coalesce(reduced_count, 0))
        .where(ReputationEvent.user_id == user.id).group_by(ReputationEvent.kind)).all()
    lines = [BreakdownLine(kind, KIND_LABELS.get(kind, kind), count, int(total))
             for kind, count, total, _reduced in rows]
    lines.sort(key=lambda line: (list(KIND_LABELS).index(line.kind)
                                 if line.kind in KIND_LABELS else len(KIND_LABELS)))
    reduced = next((int(r) for kind, _c, _t, r in rows if kind == points.KIND_LIKE), 0)
    recent = _recent_entries(viewer, user)
    post_ids = {event.post_id for event in recent if event.post_id}
    posts = {post.id: post for post in db.session.scalars(
        select(Post).where(Post.id.in_(post_ids)).options(joinedload(Post.topic)))}
    return Breakdown(total=sum(line.points for line in lines), lines=lines,
                     reduced_likes=reduced, full_like=rules.like, recent=recent, posts=posts)


def _recent_entries(viewer, user: User) -> list[ReputationEvent]:
    visible = select(Post.id).where(permissions.visible_posts(viewer))
    return list(db.session.scalars(
        select(ReputationEvent)
        .where(ReputationEvent.user_id == user.id,
               or_(ReputationEvent.post_id.is_(None), ReputationEvent.post_id.in_(visible)))
        .order_by(ReputationEvent.created_at.desc(), ReputationEvent.id.desc())
        .limit(RECENT_ENTRIES)
        .options(joinedload(ReputationEvent.actor))))
