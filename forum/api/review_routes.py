"""Discourse-compatible flags and review queue: `POST /post_actions`, `GET /review.json`,
`PUT /review/<id>/perform/<action>` — thin adapters over forum.moderation."""

from __future__ import annotations

from flask import abort, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from forum import permissions
from forum.api import params, serializers
from forum.api.views import bp, committing, signed_in_required
from forum.chat.links import channel_url
from forum.errors import DomainError
from forum.extensions import db
from forum.models import (
    FLAG_TYPE_IDS,
    REVIEW_AGREED,
    REVIEW_DISAGREED,
    REVIEW_IGNORED,
    REVIEW_PENDING,
    REVIEW_QUEUED_POST,
    ChatMessage,
    Post,
    Reviewable,
)
from forum.moderation import flags, queries, review

POST_ACTION_LIKE = 2
KINDS_BY_TYPE_ID = {type_id: kind for kind, type_id in FLAG_TYPE_IDS.items()}
# Discourse's reviewable statuses.
STATUS_IDS = {REVIEW_PENDING: 0, REVIEW_AGREED: 1, REVIEW_DISAGREED: 2, REVIEW_IGNORED: 3}


@bp.post("/post_actions")
@bp.post("/post_actions.json")
@signed_in_required
def create_post_action():
    """Flag a post: `id` (the post), `post_action_type_id` (3, 4, 7 or 8) and `message`."""
    data = {**params.nest(request.args), **params.body_params()}
    post = _visible_post(params.integer(data, "id"))
    type_id = params.integer(data, "post_action_type_id")
    if type_id == POST_ACTION_LIKE:
        from forum.api.like_routes import like_response

        return like_response(post)
    if type_id not in KINDS_BY_TYPE_ID:
        raise DomainError(_("Choose why you are flagging this post."),
                          field="post_action_type_id")
    with committing():
        flag = flags.flag_post(post, flagger=current_user, kind=KINDS_BY_TYPE_ID[type_id],
                               message=params.text(data, "message"))
    result = serializers.serialize_post(post, current_user)
    result["actions_summary"] = [{"id": type_id, "count": 1, "acted": True, "can_undo": False}]
    result["post_action"] = {"id": flag.id, "post_action_type_id": type_id,
                             "created_at": serializers.iso(flag.created_at)}
    return jsonify(result)


@bp.get("/review.json")
@signed_in_required
def review_list():
    """The caller's queue: `status` pending (default) or resolved, `category_id`, `page`."""
    permissions.require(permissions.can_view_review_queue(current_user))
    status = (queries.STATUS_RESOLVED if request.args.get("status") in ("resolved", "reviewed")
              else queries.STATUS_PENDING)
    page = min(max(request.args.get("page", 1, type=int), 1), queries.MAX_PAGE)
    listing = queries.review_queue(current_user, status=status, page=page,
                                   category_id=request.args.get("category_id", type=int))
    return jsonify({"reviewables": [_reviewable(entry) for entry in listing.items],
                    "meta": {"pending_count": queries.pending_count(current_user),
                             "page": page, "has_more": listing.has_more}})


@bp.put("/review/<int:item_id>/perform/<action>")
@bp.put("/review/<int:item_id>/perform/<action>.json")
@signed_in_required
def review_perform(item_id: int, action: str):
    """Decide an item: agree_and_hide, agree_and_delete, disagree, ignore, approve_post,
    reject_post (`silence_days` and `reason` optional with an agreement)."""
    permissions.require(permissions.can_view_review_queue(current_user))
    item = db.session.get(Reviewable, item_id)
    if item is None:
        abort(404)
    data = {**params.nest(request.args), **params.body_params()}
    with committing():
        review.perform(item, action, actor=current_user,
                       silence_days=params.integer(data, "silence_days") or 0,
                       silence_reason=params.text(data, "reason"))
    return jsonify({"reviewable_perform_result": {
        "success": "OK", "transition_to": item.status,
        "transition_to_id": STATUS_IDS[item.status], "remove_reviewable_ids": [item.id]}})


def _visible_post(post_id: int | None) -> Post:
    post = db.session.get(Post, post_id) if post_id is not None else None
    permissions.require(post is not None and permissions.can_view_post(current_user, post),
                        hide=True)
    return post


def _reviewable(entry: queries.ReviewItem) -> dict:
    item, post = entry.reviewable, entry.post
    queued = item.kind == REVIEW_QUEUED_POST
    return {
        "id": item.id,
        "type": "ReviewableQueuedPost" if queued else "ReviewableFlaggedPost",
        "status": STATUS_IDS.get(item.status, 0),
        "created_at": serializers.iso(item.created_at),
        "category_id": item.category_id,
        **(_post_target(post) if post is not None else _chat_target(entry.message)),
        "edited_by_author_at": serializers.iso(item.edited_by_author_at),
        "resolved_by": item.resolved_by_name or None,
        "resolved_at": serializers.iso(item.resolved_at),
        "reviewable_scores": [{
            "id": flag.id, "user": serializers.basic_user(flag.user),
            "reviewable_score_type": FLAG_TYPE_IDS.get(flag.kind), "kind": flag.kind,
            "reason": flag.message or None, "status": STATUS_IDS.get(flag.status, 0),
            "created_at": serializers.iso(flag.created_at)} for flag in entry.flags],
        "bundled_actions": [{"id": action} for action in review.ACTIONS_BY_KIND[item.kind]]
        if item.status == REVIEW_PENDING else [],
        "author": _author(entry.author),
    }


def _post_target(post: Post) -> dict:
    return {"topic_id": post.topic_id, "post_id": post.id, "target_id": post.id,
            "target_type": "Post", "target_created_by_id": post.user_id,
            "topic_url": post.topic.url, "target_url": post.url,
            "cooked": post.cooked, "raw": post.raw}


def _chat_target(message: ChatMessage) -> dict:
    """A flagged chat message, as Discourse's ReviewableChatMessage names it."""
    return {"type": "ReviewableChatMessage", "chat_channel_id": message.channel_id,
            "chat_message_id": message.id, "target_id": message.id,
            "target_type": "ChatMessage", "target_created_by_id": message.user_id,
            "target_url": channel_url(message.channel, message.id),
            "cooked": message.cooked, "raw": message.raw,
            "deleted": message.deleted_at is not None}


def _author(history: queries.AuthorHistory) -> dict | None:
    user = history.user
    if user is None:
        return None
    return {**serializers.basic_user(user), "created_at": serializers.iso(user.created_at),
            "post_count": user.post_count, "flags_agreed": history.agreed_flags,
            "silenced_till": serializers.iso(user.silenced_until) if user.is_silenced else None,
            "suspended_till": serializers.iso(user.suspended_until) if user.is_suspended
            else None}
