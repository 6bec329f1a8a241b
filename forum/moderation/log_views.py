"""The staff action log page: read-only, filterable, scoped to what the reader moderates.

There is deliberately no route that edits or deletes an entry (the model refuses too).
"""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from forum import permissions
from forum.moderation import audit, log_queries

bp = Blueprint("staff_log", __name__)

TARGET_TYPES = ("topic", "post", "user", "category", "page", "setting", "channel",
                "chat_message")


def filters_from_args(args) -> log_queries.LogFilters:
    """The filters from a query string; malformed values are ignored, never a 500."""
    target_type = args.get("target_type", "")
    return log_queries.LogFilters(
        actor=args.get("actor", "")[:60], action=args.get("action", "")[:40],
        target_type=target_type if target_type in TARGET_TYPES else "",
        target_id=args.get("target_id", type=int), target=args.get("target", "")[:100])


@bp.get("/moderation/log")
@login_required
def index():
    permissions.require(permissions.can_view_staff_log(current_user))
    listing = log_queries.staff_log(current_user, filters_from_args(request.args),
                                    request.args.get("page", 1, type=int))
    return render_template("moderation/log.html", listing=listing,
                           targets=log_queries.live_targets(listing.entries),
                           labels=audit.ACTION_LABELS, target_types=TARGET_TYPES,
                           change_rows=log_queries.change_rows)
