"""Discourse's staff log: GET /admin/logs/staff_action_records.json, scoped like the page."""

from __future__ import annotations

import json

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from forum import permissions
from forum.api.views import bp, signed_in_required
from forum.errors import DomainError
from forum.models import StaffAction
from forum.moderation import audit, log_queries
from forum.moderation.log_views import filters_from_args
from forum.templating import iso


@bp.get("/admin/logs/staff_action_records.json")
@signed_in_required
def staff_action_records():
    """Filters: ours (actor, action, target_type, target_id, target) or Discourse's
    filters[action_name], filters[acting_user], filters[subject]."""
    if not permissions.can_view_staff_log(current_user):
        raise DomainError(_("You are not allowed to do that."), status_code=403)
    args = request.args.to_dict()
    for ours, theirs in (("action", "action_name"), ("actor", "acting_user"),
                         ("target", "subject")):
        args.setdefault(ours, args.get(f"filters[{theirs}]", ""))
    listing = log_queries.staff_log(current_user, filters_from_args(MultiDict(args)),
                                    request.args.get("page", 1, type=int))
    return jsonify({"staff_action_logs": [_entry(e) for e in listing.entries],
                    "page": listing.page, "has_more": listing.has_next})


def _entry(entry: StaffAction) -> dict:
    return {
        "id": entry.id, "action_name": entry.action,
        "action_label": str(audit.ACTION_LABELS.get(entry.action, entry.action)),
        "acting_user": {"id": entry.actor_id, "username": entry.actor_name},
        "target_type": entry.target_type, "target_id": entry.target_id,
        "subject": entry.target_label, "category_id": entry.category_id,
        "topic_id": entry.target_id if entry.target_type == "topic" else None,
        "post_id": entry.target_id if entry.target_type == "post" else None,
        "reason": entry.reason, "before": entry.before, "after": entry.after,
        "previous_value": json.dumps(entry.before, ensure_ascii=False) if entry.before else None,
        "new_value": json.dumps(entry.after, ensure_ascii=False) if entry.after else None,
        "created_at": iso(entry.created_at),
    }
