"""Discourse-compatible moderation routes on the API blueprint: topic status, delete/recover,
moving posts. Thin adapters over forum.moderation and forum.topics services."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from forum.api import params, serializers
from forum.api.views import bp, committing, signed_in_required
from forum.categories.views import get_visible_category
from forum.errors import DomainError
from forum.moderation import post_moves, topic_actions
from forum.topics import services
from forum.topics.views import get_visible_post, get_visible_topic

OK = {"success": "OK"}
STATUSES = ("closed", "pinned", "pinned_globally", "archived", "visible")


@bp.put("/t/<int:topic_id>/status")
@bp.put("/t/<int:topic_id>/status.json")
@signed_in_required
def topic_status(topic_id: int):
    """`status` in closed|pinned|pinned_globally|archived|visible, `enabled`, optional `until`."""
    topic = get_visible_topic(topic_id)
    data = {**params.nest(request.args), **params.body_params()}
    status = params.text(data, "status")
    if status not in STATUSES:
        raise DomainError(_("The status must be one of: %(names)s.", names=", ".join(STATUSES)),
                          field="status")
    enabled = _boolean(data, "enabled")
    until = _until(params.text(data, "until"))
    with committing():
        _apply_status(topic, status, enabled, until)
    return jsonify({**OK, "topic_status_update": None})


def _apply_status(topic, status: str, enabled: bool, until) -> None:
    actor = current_user
    if status == "closed":
        (topic_actions.close_topic if enabled else topic_actions.open_topic)(topic, actor=actor)
    elif status == "archived":
        (topic_actions.archive_topic if enabled else topic_actions.unarchive_topic)(
            topic, actor=actor)
    elif status == "visible":
        (topic_actions.list_topic if enabled else topic_actions.unlist_topic)(topic, actor=actor)
    elif enabled:
        topic_actions.pin_topic(topic, actor=actor, globally=status == "pinned_globally",
                                until=until)
    else:
        topic_actions.unpin_topic(topic, actor=actor)


def _boolean(data: dict, key: str) -> bool:
    value = data.get(key)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise DomainError(_("The parameter %(name)s must be true or false.", name=key), field=key)


def _until(value: str | None) -> datetime | None:
    """Discourse sends a date or a date and time; a bare date means the end of that day (UTC)."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise DomainError(_("The parameter %(name)s must be a date (YYYY-MM-DD).", name="until"),
                          field="until") from None
    if len(value.strip()) == 10:
        moment = datetime.combine(moment.date(), time(23, 59, 59))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@bp.delete("/t/<int:topic_id>")
@bp.delete("/t/<int:topic_id>.json")
@signed_in_required
def delete_topic(topic_id: int):
    topic = get_visible_topic(topic_id)
    with committing():
        services.delete_topic(topic, actor=current_user)
    return jsonify(OK)


@bp.put("/t/<int:topic_id>/recover")
@bp.put("/t/<int:topic_id>/recover.json")
@signed_in_required
def recover_topic(topic_id: int):
    topic = get_visible_topic(topic_id)
    with committing():
        services.restore_topic(topic, actor=current_user)
    return jsonify(OK)


@bp.delete("/posts/<int:post_id>")
@bp.delete("/posts/<int:post_id>.json")
@signed_in_required
def delete_post(post_id: int):
    post = get_visible_post(post_id)
    with committing():
        services.delete_post(post, actor=current_user)
    return jsonify(OK)


@bp.put("/posts/<int:post_id>/recover")
@bp.put("/posts/<int:post_id>/recover.json")
@signed_in_required
def recover_post(post_id: int):
    post = get_visible_post(post_id)
    with committing():
        services.restore_post(post, actor=current_user)
    return jsonify(serializers.serialize_post(post, current_user, include_raw=True))


# POST /t/<id>/move-posts without .json shares its address with the HTML page, which hands
# API requests (Api-Key, JSON) over to this function (forum.moderation.views.move_posts).
@bp.post("/t/<int:topic_id>/move-posts.json")
@signed_in_required
def move_posts(topic_id: int):
    """`post_ids[]` and either `title` + `category_id` (a new topic) or `destination_topic_id`."""
    topic = get_visible_topic(topic_id)
    data = params.body_params()
    raw_ids = data.get("post_ids") or []
    if not isinstance(raw_ids, list):
        raw_ids = [raw_ids]
    post_ids = params.integer_list(raw_ids, "post_ids", limit=post_moves.MAX_POSTS_PER_MOVE)
    destination_id = params.integer(data, "destination_topic_id")
    with committing():
        if destination_id is not None:
            destination = post_moves.move_posts(
                topic, actor=current_user, post_ids=post_ids,
                destination=get_visible_topic(destination_id))
        else:
            category_id = params.integer(data, "category_id")
            if category_id is None:
                raise DomainError(_("Give destination_topic_id, or title and category_id."),
                                  field="category_id")
            destination = post_moves.move_posts(
                topic, actor=current_user, post_ids=post_ids, title=params.text(data, "title"),
                category=get_visible_category(category_id))
    return jsonify({**OK, "url": destination.url})
