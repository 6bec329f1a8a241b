"""Moving posts: split selected posts into a new or an existing topic, and merge whole topics.

Moved posts keep their authors, dates and revisions; they get new numbers at the end of the
destination in their original time order, and a MovedPost row per post keeps every old
permalink redirecting. Both topics' counters are recomputed exactly (moves are rare).

The first post never leaves its topic alone (the topic would be headless): it moves only
together with every other live post, which is a merge — the emptied topic is then
soft-deleted, and its old links land on the moved posts.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from forum import domain_events, permissions
from forum.errors import DomainError
from forum.extensions import db
from forum.models import Category, MovedPost, Post, Topic, User, utcnow
from forum.moderation import audit, flags
from forum.moderation.topic_actions import require_moderator, tell_author
from forum.text import make_slug
from forum.topics.services import next_post_number, validate_title

MAX_POSTS_PER_MOVE = 500


def move_posts(topic: Topic, *, actor: User, post_ids: list[int], title: str | None = None,
               category: Category | None = None, destination: Topic | None = None) -> Topic:
    """Move the selected posts into a new topic (title, category) or an existing one."""
    require_moderator(actor, topic)
    _check_source(topic)
    if (destination is None) == (category is None):
        raise DomainError(_("Choose either a new topic or an existing topic as the destination."),
                          field="destination")
    ids = sorted(set(post_ids or []))
    if not ids:
        raise DomainError(_("Select at least one post to move."), field="post_ids")
    if len(ids) > MAX_POSTS_PER_MOVE:
        raise DomainError(_("Move at most %(n)d posts at a time.", n=MAX_POSTS_PER_MOVE),
                          field="post_ids")
    if destination is not None and destination.id == topic.id:
        raise DomainError(_("The posts are already in this topic: choose another destination."),
                          field="destination")
    if destination is not None and _already_there(ids, destination):
        return destination  # the same move sent twice: nothing left to do
    posts = _selected_posts(topic, ids)
    if destination is not None:
        _check_destination(actor, topic, destination)
    else:
        title = validate_title(title or "")
        _check_category(actor, category)
    if any(p.is_first for p in posts):
        posts = _whole_topic(topic, posts)
    if destination is None:
        destination = _new_topic(title, category, first=min(posts, key=_time_order))
    _move(topic, destination, posts, actor)
    return destination


def merge_topic(topic: Topic, *, actor: User, destination: Topic) -> Topic:
    """Move every post of the topic to the end of the destination; the emptied topic goes."""
    require_moderator(actor, topic)
    posts = list(db.session.scalars(select(Post).where(Post.topic_id == topic.id)))
    if not posts:
        return destination  # merged already
    _check_source(topic)
    _check_destination(actor, topic, destination)
    _move(topic, destination, posts, actor)
    return destination


def moved_post_target(old_topic_id: int, old_post_number: int) -> Post | None:
    """The post that once was #old_post_number of the topic, wherever it lives now."""
    return db.session.scalar(
        select(Post).join(MovedPost, MovedPost.post_id == Post.id)
        .where(MovedPost.old_topic_id == old_topic_id,
               MovedPost.old_post_number == old_post_number))


# --- checks ------------------------------------------------------------------------------------

def moved_permalink(topic: Topic | None, topic_id: int, post_number: int | None,
                    viewer) -> str | None:
    """Where an old link to a moved post now points, when the post or its topic is gone."""
    gone = topic is None or topic.posts_count == 0 or not permissions.can_view_topic(
        viewer, topic)
    if not gone and (not post_number or db.session.scalar(select(Post.id).where(
            Post.topic_id == topic.id, Post.post_number == post_number)) is not None):
        return None
    target = moved_post_target(topic_id, post_number or 1)
    if target is None or not permissions.can_view_topic(viewer, target.topic):
        return None
    return f"{target.url}#post_{target.post_number}"


def _check_source(topic: Topic) -> None:
    if topic.deleted_at is not None:
        raise DomainError(_("This topic is deleted: restore it before moving its posts."))


def _already_there(ids: list[int], destination: Topic) -> bool:
    found = db.session.scalar(select(func.count(Post.id)).where(
        Post.id.in_(ids), Post.topic_id == destination.id))
    return found == len(ids)


def _selected_posts(topic: Topic, ids: list[int]) -> list[Post]:
    posts = list(db.session.scalars(select(Post).where(Post.id.in_(ids),
                                                       Post.topic_id == topic.id)))
    if len(posts) != len(ids):
        raise DomainError(_("Some selected posts are no longer in this topic (moved or removed "
                            "meanwhile). Reload the page and select again."), field="post_ids")
    if any(p.deleted_at is not None for p in posts):
        raise DomainError(_("Some selected posts were deleted meanwhile. Reload the page and "
                            "select again."), field="post_ids")
    return posts


def _whole_topic(topic: Topic, selected: list[Post]) -> list[Post]:
    """The first post moves only with every live post: then the whole topic moves."""
    everything = list(db.session.scalars(select(Post).where(Post.topic_id == topic.id)))
    live = {p.id for p in everything if p.deleted_at is None}
    if not live <= {p.id for p in selected}:
        raise DomainError(_("The first post cannot leave its topic alone. Move it together "
                            "with all the other posts (a merge), or leave it."),
                          field="post_ids")
    return everything


def _check_destination(actor: User, topic: Topic, destination: Topic) -> None:
    permissions.require(permissions.can_view_topic(actor, destination), hide=True)
    if destination.id == topic.id:
        raise DomainError(_("The posts are already in this topic: choose another destination."),
                          field="destination")
    if destination.deleted_at is not None:
        raise DomainError(_("The destination topic is deleted."), field="destination")
    if destination.is_archived:
        raise DomainError(_("The destination topic is archived (read-only)."),
                          field="destination")
    if not permissions.can_move_posts_to(actor, destination.category):
        raise DomainError(_("You cannot move posts into that category."), status_code=403)


def _check_category(actor: User, category: Category) -> None:
    permissions.require(permissions.can_view_category(actor, category), hide=True)
    if not permissions.can_move_posts_to(actor, category):
        raise DomainError(_("You cannot move posts into that category."), status_code=403)


# --- the move ----------------------------------------------------------------------------------

def _time_order(post: Post):
    return (post.created_at, post.post_number)


def _new_topic(title: str, category: Category, *, first: Post) -> Topic:
    """A topic for split-off posts, opened by the author of the earliest one."""
    topic = Topic(title=title, slug=make_slug(title), category=category, user_id=first.user_id,
                  created_at=first.created_at, bumped_at=first.created_at)
    db.session.add(topic)
    category.topic_count += 1
    db.session.flush()
    return topic


def _move(source: Topic, destination: Topic, posts: list[Post], actor: User) -> None:
    posts = sorted(posts, key=_time_order)
    number = next_post_number(destination)
    renumbered: dict[int, int] = {}
    for post in posts:
        renumbered[post.post_number] = number
        number += 1
    old_numbers = [p.post_number for p in posts]
    for post in posts:
        db.session.add(MovedPost(old_topic_id=source.id, old_post_number=post.post_number,
                                 post_id=post.id, created_at=utcnow()))
        post.reply_to_post_number = renumbered.get(post.reply_to_post_number)
        post.post_number = renumbered[post.post_number]
        post.topic_id, post.topic = destination.id, destination
    db.session.flush()
    flags.follow_moved_posts([p.id for p in posts], destination.category_id)
    emptied = db.session.scalar(select(func.count(Post.id)).where(
        Post.topic_id == source.id)) == 0
    recount(source)
    recount(destination)
    audit.record(audit.POST_MOVE, actor=actor, target=destination,
                 before={"topic_id": source.id, "post_numbers": old_numbers},
                 after={"topic_id": destination.id,
                        "post_numbers": [renumbered[n] for n in old_numbers]})
    if emptied:
        _retire(source, destination, actor)
    for author_id, post_number in _first_post_of_each_author(posts).items():
        if author_id is not None:
            tell_author(db.session.get(User, author_id), actor=actor, action=audit.POST_MOVE,
                        topic=destination, post_number=post_number)
    db.session.flush()
    domain_events.posts_moved.send(destination, source=source, post_ids=[p.id for p in posts])


def _first_post_of_each_author(posts: list[Post]) -> dict[int | None, int]:
    firsts: dict[int | None, int] = {}
    for post in posts:
        firsts.setdefault(post.user_id, post.post_number)
    return firsts


def _retire(source: Topic, destination: Topic, actor: User) -> None:
    """An emptied topic is soft-deleted; MovedPost rows send its old links on."""
    source.deleted_at, source.deleted_by_id = utcnow(), actor.id
    source.is_banner = False
    source.category.topic_count -= 1
    audit.record(audit.TOPIC_MERGE, actor=actor, target=source,
                 before={"topic_id": source.id}, after={"merged_into": destination.id})


def recount(topic: Topic) -> None:
    """Recompute a topic's counters and its share of the category's post count."""
    db.session.flush()
    live = select(Post).where(Post.topic_id == topic.id, Post.deleted_at.is_(None))
    count = db.session.scalar(select(func.count()).select_from(live.subquery())) or 0
    last = db.session.scalars(live.order_by(Post.created_at.desc(), Post.post_number.desc())
                              .limit(1)).first()
    if topic.deleted_at is None:
        topic.category.post_count += count - topic.posts_count
    topic.posts_count = count
    topic.highest_post_number = db.session.scalar(select(func.max(Post.post_number)).where(
        Post.topic_id == topic.id)) or 0
    if last is not None:
        topic.last_posted_at, topic.last_poster_id = last.created_at, last.user_id
        topic.bumped_at = last.created_at
