"""Review queue reads: the moderator's items (scoped to what they moderate), each with its post
in context, its flags and the author's history, loaded in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import joinedload, selectinload

from forum import permissions
from forum.extensions import db
from forum.models import (
    REVIEW_AGREED,
    REVIEW_PENDING,
    Category,
    ChatChannel,
    ChatMessage,
    Flag,
    Post,
    Reviewable,
    User,
)

STATUS_PENDING = "pending"
STATUS_RESOLVED = "resolved"
MAX_PAGE = 100_000


@dataclass
class AuthorHistory:
    user: User | None
    agreed_flags: int = 0  # flags against their posts that moderators agreed with


@dataclass
class ReviewItem:
    """A queue entry: a post (flagged or held) or a flagged chat message (then post is None)."""

    reviewable: Reviewable
    post: Post | None
    context: Post | None  # the post it replies to, or the post before it
    author: AuthorHistory
    flags: list[Flag] = field(default_factory=list)
    message: ChatMessage | None = None


@dataclass
class ReviewPage:
    items: list[ReviewItem]
    page: int
    has_more: bool


def scoped_items(viewer):
    """Review items of the categories the viewer moderates (none for anyone else)."""
    if not permissions.can_view_review_queue(viewer):
        return select(Reviewable).where(Reviewable.id.is_(None))
    return (select(Reviewable).outerjoin(Category, Category.id == Reviewable.category_id)
            .where(permissions.moderated_categories(viewer)))


def pending_count(viewer) -> int:
    """How many items wait in the viewer's queue."""
    if not permissions.can_view_review_queue(viewer):
        return 0
    query = scoped_items(viewer).where(Reviewable.status == REVIEW_PENDING)
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def review_queue(viewer, *, status: str = STATUS_PENDING, category_id: int | None = None,
                 page: int = 1) -> ReviewPage:
    """One page of the viewer's queue: pending items oldest first, resolved newest first."""
    per_page = current_app.config["REVIEW_ITEMS_PER_PAGE"]
    page = min(max(page, 1), MAX_PAGE)
    query = scoped_items(viewer)
    if status == STATUS_RESOLVED:
        query = query.where(Reviewable.status != REVIEW_PENDING).order_by(
            Reviewable.resolved_at.desc(), Reviewable.id.desc())
    else:
        query = query.where(Reviewable.status == REVIEW_PENDING).order_by(
            Reviewable.created_at, Reviewable.id)
    if category_id is not None:
        query = query.where(Reviewable.category_id == category_id)
    rows = list(db.session.scalars(query.limit(per_page + 1).offset((page - 1) * per_page)
                                   .options(*_ITEM_LOADS)).unique())
    return ReviewPage(items=_with_context(rows[:per_page]), page=page,
                      has_more=len(rows) > per_page)


def review_item(viewer, item_id: int) -> ReviewItem | None:
    """One item of the viewer's queue, or None when it is not theirs to see."""
    row = db.session.scalar(scoped_items(viewer).where(Reviewable.id == item_id)
                            .options(*_ITEM_LOADS))
    return _with_context([row])[0] if row is not None else None


_ITEM_LOADS = (
    joinedload(Reviewable.post).joinedload(Post.user),
    joinedload(Reviewable.post).joinedload(Post.topic),
    selectinload(Reviewable.flags).joinedload(Flag.user),
    selectinload(Reviewable.chat_message).selectinload(ChatMessage.user),
    selectinload(Reviewable.chat_message).selectinload(ChatMessage.channel)
    .selectinload(ChatChannel.category),
)


def _with_context(rows: list[Reviewable]) -> list[ReviewItem]:
    contexts = _context_posts([r.post for r in rows if r.post is not None])
    authors = {_author_of(r) for r in rows} - {None}
    agreed = _agreed_flag_counts(authors)
    return [ReviewItem(reviewable=r, post=r.post, flags=list(r.flags), message=r.chat_message,
                       context=(contexts.get((r.post.topic_id, _context_number(r.post)))
                                if r.post is not None else None),
                       author=AuthorHistory(_author(r), agreed.get(_author_of(r), 0)))
            for r in rows]


def _author(item: Reviewable) -> User | None:
    if item.post is not None:
        return item.post.user
    return item.chat_message.user if item.chat_message is not None else None


def _author_of(item: Reviewable) -> int | None:
    author = _author(item)
    return author.id if author is not None else None


def _context_number(post: Post) -> int:
    return post.reply_to_post_number or post.post_number - 1


def _context_posts(posts: list[Post]) -> dict[tuple[int, int], Post]:
    wanted = {(p.topic_id, _context_number(p)) for p in posts if _context_number(p) > 0}
    if not wanted:
        return {}
    found = db.session.scalars(select(Post).where(
        tuple_(Post.topic_id, Post.post_number).in_(list(wanted)))
        .options(joinedload(Post.user)))
    return {(p.topic_id, p.post_number): p for p in found}


def _agreed_flag_counts(user_ids: set[int]) -> dict[int, int]:
    """Agreed review items against each author's posts and chat messages."""
    if not user_ids:
        return {}
    counts: dict[int, int] = {}
    for model, column in ((Post, Flag.post_id), (ChatMessage, Flag.chat_message_id)):
        rows = db.session.execute(
            select(model.user_id, func.count(func.distinct(Flag.reviewable_id)))
            .join(Flag, column == model.id)
            .where(model.user_id.in_(user_ids), Flag.status == REVIEW_AGREED)
            .group_by(model.user_id)).all()
        for user_id, count in rows:
            counts[user_id] = counts.get(user_id, 0) + count
    return counts


def queue_categories(viewer) -> list[Category]:
    """The categories the viewer's queue may be filtered by."""
    if not permissions.can_view_review_queue(viewer):
        return []
    return list(db.session.scalars(select(Category).where(
        permissions.moderated_categories(viewer)).order_by(Category.position, Category.name)))
