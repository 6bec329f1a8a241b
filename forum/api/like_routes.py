"""Discourse-compatible likes: `POST /post_actions` (type 2, routed here by review_routes),
`DELETE /post_actions/<post_id>` and `GET /post_action_users` — adapters over
forum.reputation.likes."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from forum import permissions
from forum.api import params, serializers
from forum.api.views import bp, committing, signed_in_required
from forum.errors import DomainError
from forum.extensions import db
from forum.models import POST_ACTION_LIKE, Post
from forum.reputation import likes, queries


def like_response(post: Post):
    """Like the post (POST /post_actions with post_action_type_id=2) and answer as Discourse."""
    with committing():
        action = likes.like_post(post, user=current_user)
    result = _post_with_likes(post, acted=True)
    result["post_action"] = {"id": action.id, "post_action_type_id": POST_ACTION_LIKE,
                             "created_at": serializers.iso(action.created_at)}
    return jsonify(result)


@bp.delete("/post_actions/<int:post_id>")
@bp.delete("/post_actions/<int:post_id>.json")
@signed_in_required
def delete_post_action(post_id: int):
    """Take a like back (`post_action_type_id` 2, the default): flags are not undone here."""
    data = {**params.nest(request.args), **params.body_params()}
    type_id = params.integer(data, "post_action_type_id")
    if type_id not in (None, POST_ACTION_LIKE):
        raise DomainError(_("Only likes can be taken back."), field="post_action_type_id")
    post = _visible_post(post_id)
    with committing():
        likes.unlike_post(post, user=current_user)
    return jsonify(_post_with_likes(post, acted=False))


@bp.get("/post_action_users")
@bp.get("/post_action_users.json")
def post_action_users():
    """Who liked the post `id` (`post_action_type_id` 2; flaggers are never listed)."""
    post = _visible_post(params.integer(request.args, "id"))
    if params.integer(request.args, "post_action_type_id") not in (None, POST_ACTION_LIKE):
        raise DomainError(_("Only who liked a post can be listed."),
                          field="post_action_type_id")
    permissions.require(permissions.can_view_likers(current_user, post), hide=True)
    users = queries.likers(post)
    return jsonify({"post_action_users": [
        {**serializers.basic_user(user), "post_url": None} for user in users],
        "total_rows_post_action_users": post.like_count})


def _visible_post(post_id: int | None) -> Post:
    post = db.session.get(Post, post_id) if post_id is not None else None
    permissions.require(post is not None and permissions.can_view_post(current_user, post),
                        hide=True)
    return post


def _post_with_likes(post: Post, *, acted: bool) -> dict:
    result = serializers.serialize_post(post, current_user)
    result["like_count"] = post.like_count
    result["actions_summary"] = [{"id": POST_ACTION_LIKE, "count": post.like_count,
                                  "acted": acted, "can_undo": acted,
                                  "can_act": not acted and
                                  permissions.can_like_post(current_user, post)}]
    return result

