"""Discourse's notification routes: GET /notifications.json and PUT /notifications/mark-read."""

from __future__ import annotations

from flask import jsonify, request, url_for
from flask_login import current_user

from forum.api import params
from forum.api.views import bp, committing, signed_in_required
from forum.notifications import queries, services
from forum.templating import iso

# Kafedra's kinds have no Discourse numbers of their own: all use Discourse's "custom" type
# and say which kind they are in `kind`.
CUSTOM_NOTIFICATION_TYPE = 14


@bp.get("/notifications.json")
@signed_in_required
def notifications():
    page = request.args.get("page", 1, type=int)
    listing = queries.notification_page(current_user, page)
    more = (url_for("api.notifications", page=listing.page + 1) if listing.has_next else None)
    return jsonify({
        "notifications": [_item(item) for item in listing.items],
        "total_rows_notifications": queries.total_count(current_user),
        "seen_notification_id": queries.last_read_id(current_user),
        "load_more_notifications": more,
    })


def _item(item: queries.Item) -> dict:
    note = item.note
    return {
        "id": note.id, "user_id": note.user_id, "notification_type": CUSTOM_NOTIFICATION_TYPE,
        "kind": note.kind, "read": item.is_read, "created_at": iso(note.created_at),
        "post_number": note.post_number if item.topic else None,
        "topic_id": item.topic.id if item.topic else None,
        "slug": item.topic.slug if item.topic else None,
        "fancy_title": item.topic.title if item.topic else None,
        "text": item.text, "data": note.data if isinstance(note.data, dict) else {},
        "gone": item.gone,
    }


@bp.put("/notifications/mark-read")
@bp.put("/notifications/mark-read.json")
@signed_in_required
def mark_read():
    """Mark one notification (`id`) or all of them read."""
    data = {**params.nest(request.args), **params.body_params()}
    notification_id = params.integer(data, "id")
    with committing():
        services.mark_read(current_user, notification_id)
    return jsonify({"success": "OK", "unread": services.unread_count(current_user)})
