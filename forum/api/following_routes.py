"""Discourse's following routes: /new.json, /unread.json, topic and category notification
levels, and bookmarks — adapters over forum.following."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from forum import permissions
from forum.api import params
from forum.api.views import _page, _topic_list, bp, committing, signed_in_required
from forum.categories.queries import category_by_id
from forum.errors import DomainError
from forum.extensions import db
from forum.following import bookmarks, queries, services
from forum.models import Bookmark, Post
from forum.topics.views import get_visible_topic


def _data() -> dict:
    return {**params.nest(request.args), **params.body_params()}


@bp.get("/new.json")
@signed_in_required
def new_topics():
    page = _page()
    listing = queries.new_topics(current_user, page + 1)
    return _topic_list(listing, page, False, "api.new_topics")


@bp.get("/unread.json")
@signed_in_required
def unread_topics():
    page = _page()
    listing = queries.unread_topics(current_user, page + 1)
    return _topic_list(listing, page, False, "api.unread_topics")


@bp.post("/t/<int:topic_id>/notifications")
@signed_in_required
def topic_notification_level(topic_id: int):
    topic = get_visible_topic(topic_id)
    level = _data().get("notification_level")
    with committing():
        services.set_topic_level(topic, user=current_user, level=level)
    return jsonify({"success": "OK"})


@bp.post("/category/<int:category_id>/notifications")
@signed_in_required
def category_notification_level(category_id: int):
    category = category_by_id(category_id)
    permissions.require(category is not None
                        and permissions.can_view_category(current_user, category), hide=True)
    level = _data().get("notification_level")
    with committing():
        services.set_category_level(category, user=current_user, level=level)
    return jsonify({"success": "OK"})


@bp.post("/bookmarks")
@bp.post("/bookmarks.json")
@signed_in_required
def create_bookmark():
    """`bookmarkable_id` (a post id; `post_id` too), optional `name` and `reminder_at`
    (ISO 8601, UTC when no offset is given)."""
    data = _data()
    kind = data.get("bookmarkable_type", "Post")
    if kind != "Post":
        raise DomainError(_("Only posts can be bookmarked."), field="bookmarkable_type")
    post_id = params.integer(data, "bookmarkable_id") or params.integer(data, "post_id")
    post = db.session.get(Post, post_id) if post_id else None
    permissions.require(post is not None and permissions.can_view_post(current_user, post),
                        hide=True)
    name = data.get("name") if isinstance(data.get("name"), str) else ""
    with committing():
        bookmark = bookmarks.create_bookmark(post, user=current_user, name=name,
                                             reminder_at=_reminder(data.get("reminder_at")))
    return jsonify({"success": "OK", "id": bookmark.id})


def _reminder(value) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise DomainError(_("Enter the reminder time as a date and time."),
                          field="reminder_at") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@bp.delete("/bookmarks/<int:bookmark_id>")
@bp.delete("/bookmarks/<int:bookmark_id>.json")
@signed_in_required
def delete_bookmark(bookmark_id: int):
    bookmark = db.session.get(Bookmark, bookmark_id)
    permissions.require(bookmark is not None and bookmark.user_id == current_user.id, hide=True)
    with committing():
        bookmarks.delete_bookmark(bookmark, user=current_user)
    return jsonify({"success": "OK"})
