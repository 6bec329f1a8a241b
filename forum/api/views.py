"""Discourse-compatible JSON routes: thin adapters over the same queries and services as the pages.

Reads answer guests and members alike, filtered by forum.permissions; writes need a signed-in
user (a browser session with its CSRF token, or an Api-Key). Errors are JSON
(`{"errors": [...], "error_type": ...}`), answered by forum.errors.
"""

from __future__ import annotations

import zlib
from contextlib import contextmanager
from functools import wraps

from flask import Blueprint, abort, current_app, jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import escape
from sqlalchemy import select

from forum import activity, permissions
from forum.api import params, serializers
from forum.categories.queries import visible_category_list
from forum.categories.views import get_visible_category
from forum.errors import DomainError
from forum.extensions import db, limiter
from forum.models import Post, User
from forum.text import fold
from forum.topics import queries, services
from forum.topics.views import get_visible_post, get_visible_topic

bp = Blueprint("api", __name__)

POSTS_BEFORE_TARGET = 5  # /t/<slug>/<id>/<n>.json starts a few posts before post n, as Discourse
MAX_POST_IDS = 200  # post_ids[] per request to /t/<id>/posts.json


# --- helpers ----------------------------------------------------------------------------------

def signed_in_required(view):
    """Writes need an account: 403 with Discourse's `not_logged_in` error type otherwise."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not permissions.is_signed_in(current_user):
            return jsonify({"errors": [_("You need to sign in to do that.")],
                            "error_type": "not_logged_in"}), 403
        return view(*args, **kwargs)
    return wrapper


@contextmanager
def committing():
    """Commit once if the block succeeds; roll back whatever it flushed if it raises."""
    try:
        yield
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()


def _posting_limit() -> str:
    return current_app.config["POSTING_LIMIT"]


def _page(first: int = 0) -> int:
    """The ?page= number: zero-based for topic lists (Discourse), one-based for topics."""
    return min(max(request.args.get("page", first, type=int), first), queries.MAX_PAGE)


def _flag(name: str) -> bool:
    return request.args.get(name, "").lower() in ("1", "true", "yes")


def _topic_list(listing, page: int, can_create_topic: bool, endpoint: str, **url_args):
    more = url_for(endpoint, page=page + 1, **url_args) if listing.has_more else None
    return jsonify(serializers.topic_list(listing, can_create_topic=can_create_topic,
                                          more_topics_url=more))


# --- site and categories ----------------------------------------------------------------------

@bp.get("/site.json")
def site():
    return jsonify(serializers.site(visible_category_list(current_user), current_user))


@bp.get("/categories.json")
def categories():
    return jsonify(serializers.category_list(
        visible_category_list(current_user), current_user,
        include_subcategories=_flag("include_subcategories")))


@bp.get("/c/<int:category_id>/show.json")
def category(category_id: int):
    category = get_visible_category(category_id)
    ctx = serializers.category_context(current_user, visible_category_list(current_user))
    return jsonify(serializers.category_detail(category, ctx))


@bp.get("/c/<int:category_id>.json")
@bp.get("/c/<slug>/<int:category_id>.json")
def category_topics(category_id: int, slug: str | None = None):
    category = get_visible_category(category_id)
    page = _page()
    listing = queries.category_topics(current_user, category, page + 1)
    return _topic_list(listing, page, permissions.can_create_topic(current_user, category),
                       "api.category_topics", slug=category.slug, category_id=category.id)


@bp.get("/latest.json")
def latest():
    page = _page()
    listing = queries.latest_topics(current_user, page + 1)
    can_create = any(permissions.can_create_topic(current_user, c)
                     for c in visible_category_list(current_user))
    return _topic_list(listing, page, can_create, "api.latest")


# --- topics and posts -------------------------------------------------------------------------

@bp.get("/t/<int:topic_id>.json")
@bp.get("/t/<slug>/<int:topic_id>.json")
@bp.get("/t/<slug>/<int:topic_id>/<int:post_number>.json")
def topic(topic_id: int, slug: str | None = None, post_number: int | None = None):
    topic = get_visible_topic(topic_id)
    per_page = current_app.config["POSTS_PER_PAGE"]
    post_number = min(post_number, params.MAX_INTEGER) if post_number else None
    after = (max(post_number - POSTS_BEFORE_TARGET - 1, 0) if post_number
             else (_page(first=1) - 1) * per_page)
    posts = queries.topic_posts(topic, after=after, limit=per_page, viewer=current_user)
    activity.record_topic_view(topic.id)
    data = serializers.topic_view(topic, posts, stream=queries.post_ids(topic, current_user),
                                  participants=queries.topic_participant_counts(topic),
                                  viewer=current_user)
    if post_number:
        data["current_post_number"] = post_number
    return jsonify(data)


@bp.get("/t/<int:topic_id>/posts.json")
def topic_posts(topic_id: int):
    """Posts by id (`post_ids[]=`), or a chunk from `post_number` (`asc=false`: before it)."""
    topic = get_visible_topic(topic_id)
    ids = params.integer_list(request.args.getlist("post_ids[]")
                              + request.args.getlist("post_ids"), "post_ids", limit=MAX_POST_IDS)
    per_page = current_app.config["POSTS_PER_PAGE"]
    start = params.integer(request.args, "post_number") or 0
    if ids:
        posts = queries.topic_posts(topic, ids=ids, viewer=current_user)
    elif request.args.get("asc", "true").lower() == "false":
        numbers = list(range(max(start - per_page, 1), start))
        posts = (queries.topic_posts(topic, post_numbers=numbers, viewer=current_user)
                 if numbers else [])
    else:
        posts = queries.topic_posts(topic, after=start, limit=per_page, viewer=current_user)
    return jsonify({"id": topic.id, "post_stream": {
        "posts": [serializers.serialize_post(p, current_user) for p in posts]}})


@bp.get("/posts/<int:post_id>.json")
def post(post_id: int):
    post = get_visible_post(post_id)
    permissions.require(post.deleted_at is None
                        or permissions.can_view_deleted_post(current_user, post), hide=True)
    return jsonify(serializers.serialize_post(post, current_user, include_raw=True))


@bp.post("/posts")
@bp.post("/posts.json")
@signed_in_required
@limiter.limit(_posting_limit, key_func=lambda: f"post:{current_user.get_id()}")
def create_post():
    """A reply when `topic_id` is given, else a new topic from `title` and `category`."""
    data = {**params.nest(request.args), **params.body_params()}
    topic_id = params.integer(data, "topic_id")
    with committing():
        post = _reply(topic_id, data) if topic_id is not None else _open_topic(data)
    return jsonify(serializers.serialize_post(post, current_user, include_raw=True))


def _reply(topic_id: int, data: dict) -> Post:
    topic = get_visible_topic(topic_id)
    return services.reply(topic, author=current_user, raw=params.text(data, "raw"),
                          reply_to_post_number=params.integer(data, "reply_to_post_number"))


def _open_topic(data: dict) -> Post:
    # Kafedra has no private messages: never turn a client's PM into a public topic.
    if params.text(data, "archetype") == "private_message" or data.get("target_recipients"):
        raise DomainError(_("Private messages are not available here."), field="archetype")
    category_id = params.integer(data, "category")
    if category_id is None:
        raise DomainError(_("Choose a category."), field="category")
    topic = services.create_topic(get_visible_category(category_id), author=current_user,
                                  title=params.text(data, "title"), raw=params.text(data, "raw"))
    return services.post_by_number(topic, 1)


@bp.put("/posts/<int:post_id>")
@bp.put("/posts/<int:post_id>.json")
@signed_in_required
def update_post(post_id: int):
    """Edit a post from `post[raw]`, `post[edit_reason]` (and `title` for a first post)."""
    post = get_visible_post(post_id)
    data = params.body_params()
    fields = params.section(data, "post") or data
    title = params.text(fields, "title", None) or params.text(data, "title", None)
    with committing():
        services.edit_post(post, editor=current_user, raw=params.text(fields, "raw"),
                           edit_reason=params.text(fields, "edit_reason"),
                           title=title if post.is_first else None)
    return jsonify({"post": serializers.serialize_post(post, current_user, include_raw=True)})


# --- people -----------------------------------------------------------------------------------

@bp.get("/u/<username>.json")
@bp.get("/users/<username>.json")
def user(username: str):
    user = db.session.scalar(select(User).where(User.username_lower == fold(username)))
    permissions.require(user is not None and permissions.can_view_profile(current_user, user),
                        hide=True)
    return jsonify(serializers.user_profile(
        user, current_user, counts=queries.user_visible_counts(current_user, user),
        recent_posts=queries.user_recent_posts(current_user, user)))


@bp.get("/letter_avatar/<name>/<int:size>/<int:version>.svg")
def letter_avatar(name: str, size: int, version: int):
    """The image behind every avatar_template: a letter on a colour derived from the name.

    Drawn from the name in the URL alone, so it says nothing about whether the account exists.
    """
    if not 8 <= size <= 512:
        abort(404)
    hue = zlib.crc32(name.encode()) % 360
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
           f'viewBox="0 0 100 100"><rect width="100" height="100" fill="hsl({hue},45%,40%)"/>'
           f'<text x="50" y="50" dy=".35em" text-anchor="middle" font-family="sans-serif" '
           f'font-size="56" fill="#fff">{escape(name[0].upper())}</text></svg>')
    return svg, 200, {"Content-Type": "image/svg+xml; charset=utf-8",
                      "Cache-Control": "public, max-age=86400"}


# Route modules that add to this blueprint; they import `bp` from here, so they come last.
from forum.api import notification_routes, sanction_routes, staff_log_routes  # noqa: E402,F401,I001
from forum.api import helpful_routes, like_routes  # noqa: E402,F401,I001
