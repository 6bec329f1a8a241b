"""Discourse's user sanction routes: PUT /admin/users/<id>/silence|unsilence|suspend|unsuspend.

Thin adapters over forum.moderation.sanctions (which checks who may act): subject moderators
may silence through the API as on the page, though the path says "admin", as in Discourse.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import abort, jsonify
from flask_babel import gettext as _
from flask_login import current_user

from forum.api import params
from forum.api.views import bp, committing, signed_in_required
from forum.errors import DomainError
from forum.extensions import db
from forum.models import User
from forum.moderation import log_queries, sanctions
from forum.moderation.audit import USER_SILENCE, USER_SUSPEND
from forum.moderation.sanction_forms import end_of_day
from forum.permissions import can_silence_user, can_suspend_user


def _user(user_id: int, allowed) -> User:
    """The member, after checking the actor may act (before any parameter is parsed)."""
    user = db.session.get(User, user_id)
    if user is None or user.deleted_at is not None:
        abort(404)
    if not allowed(current_user, user):
        raise DomainError(_("You are not allowed to do that."), status_code=403)
    return user


def _until(data: dict, key: str) -> datetime:
    """An ISO date-time (UTC unless it says otherwise) or a bare date (the end of that day)."""
    value = (params.text(data, key) or "").strip()
    try:
        if len(value) == 10:
            return end_of_day(date.fromisoformat(value))
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise DomainError(_("%(name)s must be a date such as 2026-12-31 or 2026-12-31T18:00Z.",
                            name=key), field=key) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def _by(user: User, action: str) -> dict | None:
    entry = log_queries.last_sanction(user, action)
    return {"id": entry.actor_id, "username": entry.actor_name} if entry else None


@bp.put("/admin/users/<int:user_id>/silence")
@bp.put("/admin/users/<int:user_id>/silence.json")
@signed_in_required
def silence_user(user_id: int):
    user, data = _user(user_id, can_silence_user), params.body_params()
    with committing():
        sanctions.silence_user(user, actor=current_user, until=_until(data, "silenced_till"),
                               reason=params.text(data, "reason"))
    return jsonify({"silence": {"silenced": True, "silence_reason": user.silence_reason,
                                "silenced_till": _iso(user.silenced_until),
                                "silenced_by": _by(user, USER_SILENCE)}})


@bp.put("/admin/users/<int:user_id>/unsilence")
@bp.put("/admin/users/<int:user_id>/unsilence.json")
@signed_in_required
def unsilence_user(user_id: int):
    user = _user(user_id, can_silence_user)
    with committing():
        sanctions.unsilence_user(user, actor=current_user)
    return jsonify({"unsilence": {"silenced": False}})


@bp.put("/admin/users/<int:user_id>/suspend")
@bp.put("/admin/users/<int:user_id>/suspend.json")
@signed_in_required
def suspend_user(user_id: int):
    user, data = _user(user_id, can_suspend_user), params.body_params()
    with committing():
        sanctions.suspend_user(user, actor=current_user, until=_until(data, "suspend_until"),
                               reason=params.text(data, "reason"))
    return jsonify({"suspension": {"suspend_reason": user.suspend_reason,
                                   "suspended_till": _iso(user.suspended_until),
                                   "suspended_by": _by(user, USER_SUSPEND)}})


@bp.put("/admin/users/<int:user_id>/unsuspend")
@bp.put("/admin/users/<int:user_id>/unsuspend.json")
@signed_in_required
def unsuspend_user(user_id: int):
    user = _user(user_id, can_suspend_user)
    with committing():
        sanctions.unsuspend_user(user, actor=current_user)
    return jsonify({"suspension": {"suspended_till": None, "suspended_at": None}})
