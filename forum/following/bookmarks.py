"""Bookmarks on posts, with an optional reminder that a cron job turns into a notification."""

from __future__ import annotations

import functools
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from forum import permissions
from forum.column_reads import read_columns
from forum.errors import DomainError
from forum.extensions import db
from forum.models import Bookmark, Post, Topic, User, utcnow
from forum.notifications.kinds import KIND_BOOKMARK_REMINDER
from forum.notifications.services import notify

NAME_MAX = 100


def bookmark_of(user: User, post: Post) -> Bookmark | None:
    return db.session.scalar(select(Bookmark).where(Bookmark.user_id == user.id,
                                                    Bookmark.post_id == post.id))


def create_bookmark(post: Post, *, user: User, name: str = "",
                    reminder_at: datetime | None = None, now: datetime | None = None) -> Bookmark:
    """Bookmark a post the member can read; a reminder must lie in the future."""
    if not permissions.is_signed_in(user):
        raise DomainError(_("You need to sign in to do that."), status_code=403)
    permissions.require(permissions.can_view_post(user, post) and post.deleted_at is None,
                        hide=True)
    name = (name or "").strip()
    if len(name) > NAME_MAX:
        raise DomainError(_("The bookmark name may be at most %(n)d characters long.",
                            n=NAME_MAX), field="name")
    if reminder_at is not None and reminder_at <= (now or utcnow()):
        raise DomainError(_("The reminder time must be in the future."), field="reminder_at")
    if bookmark_of(user, post) is not None:
        raise DomainError(_("You have already bookmarked this post."), status_code=409)
    bookmark = Bookmark(user_id=user.id, post_id=post.id, name=name, reminder_at=reminder_at,
                        created_at=utcnow())
    db.session.add(bookmark)
    db.session.flush()
    return bookmark


def delete_bookmark(bookmark: Bookmark, *, user: User) -> None:
    """Remove one's own bookmark (anyone else's is not found)."""
    permissions.require(bookmark is not None and bookmark.user_id == user.id, hide=True)
    db.session.delete(bookmark)
    db.session.flush()


def send_due_reminders(now: datetime | None = None, limit: int = 1000) -> int:
    """Notify members of bookmarks whose reminder time has come (each once); a post the
    member can no longer read is skipped silently. Returns how many were sent."""
    now = now or utcnow()
    due = list(db.session.scalars(
        select(Bookmark).where(Bookmark.reminded_at.is_(None), Bookmark.reminder_at <= now)
        .options(joinedload(Bookmark.user), joinedload(Bookmark.post).joinedload(Post.topic)
                 .joinedload(Topic.category))
        .order_by(Bookmark.reminder_at).limit(limit)))
    sent = 0
    for bookmark in due:
        bookmark.reminded_at = now
        post = bookmark.post
        if post.deleted_at is not None or not permissions.can_view_post(bookmark.user, post):
            continue
        if notify(bookmark.user, KIND_BOOKMARK_REMINDER, topic=post.topic,
                  post_number=post.post_number,
                  data={"bookmark_id": bookmark.id, "post_id": post.id,
                        "name": bookmark.name}) is not None:
            sent += 1
    db.session.flush()
    return sent


def bookmarks_for_posts(user, post_ids: list[int]) -> dict[int, int]:
    """The viewer's bookmarks among a page's posts, post id → bookmark id, in one query of a
    statement built once (a topic page asks on every view); none for guests."""
    if not post_ids or not getattr(user, "is_authenticated", False):
        return {}
    return dict(read_columns(_page_bookmarks_statement(),
                             {"user_id": user.id, "post_ids": post_ids}).all())


@functools.cache
def _page_bookmarks_statement():
    return select(Bookmark.post_id, Bookmark.id).where(
        Bookmark.user_id == bindparam("user_id", required=True),
        Bookmark.post_id.in_(bindparam("post_ids", expanding=True, required=True)))


def bookmark_list(user: User, page: int = 1, per_page: int = 30) -> tuple[list[Bookmark], bool]:
    """The member's bookmarks on posts they can still read, newest first."""
    page = min(max(page, 1), 10_000)
    rows = list(db.session.scalars(
        select(Bookmark).join(Post, Post.id == Bookmark.post_id)
        .where(Bookmark.user_id == user.id, permissions.visible_posts(user))
        .options(joinedload(Bookmark.post).joinedload(Post.topic),
                 joinedload(Bookmark.post).joinedload(Post.user))
        .order_by(Bookmark.created_at.desc(), Bookmark.id.desc())
        .offset((page - 1) * per_page).limit(per_page + 1)))
    return rows[:per_page], len(rows) > per_page
