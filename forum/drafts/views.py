"""Draft endpoints for the composer, shaped like Discourse's /drafts.json."""

from __future__ import annotations

import json

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from forum import permissions
from forum.drafts import services
from forum.errors import DomainError
from forum.extensions import db

bp = Blueprint("drafts", __name__)


@bp.post("/drafts.json")
@bp.post("/drafts")
def save():
    permissions.require(permissions.can_use_drafts(current_user))
    payload = request.get_json(silent=True) if request.is_json else request.form
    if not isinstance(payload, dict) and not hasattr(payload, "getlist"):
        payload = {}  # a JSON list or scalar: no key, so the service answers 422
    data = payload.get("data")
    if isinstance(data, str):  # Discourse sends data as a JSON string in form posts
        try:
            data = json.loads(data)
        except ValueError:
            raise DomainError(_("The draft is not valid JSON."), field="data") from None
    try:
        sequence = int(payload.get("sequence") or 0)
    except (TypeError, ValueError):
        sequence = 0
    if not 0 <= sequence < 2**31:  # an INTEGER column; a bigger number is no real sequence
        sequence = 0
    draft = services.save_draft(current_user, payload.get("draft_key", ""), data or {},
                                sequence=sequence)
    db.session.commit()
    return jsonify({"success": "OK", "draft_sequence": draft.sequence})


@bp.get("/drafts/<draft_key>.json")
def show(draft_key: str):
    permissions.require(permissions.can_use_drafts(current_user))
    draft = services.load_draft(current_user, draft_key)
    return jsonify({"draft": json.dumps(draft.data) if draft else None,
                    "draft_sequence": draft.sequence if draft else 0})


@bp.delete("/drafts/<draft_key>.json")
@bp.delete("/drafts/<draft_key>")
def discard(draft_key: str):
    permissions.require(permissions.can_use_drafts(current_user))
    services.discard_draft(current_user, draft_key)
    db.session.commit()
    return jsonify({"success": "OK"})
