"""Trust adapters: Discourse's POST /topics/timings (reading reports from the topic page) and
PUT /admin/users/<id>/trust_level|trust_level_lock, plus the admin user page's trust form."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forum import permissions
from forum.api import params
from forum.api.views import committing, signed_in_required
from forum.errors import DomainError
from forum.extensions import db
from forum.models import Topic, User
from forum.reputation import stats, trust

bp = Blueprint("trust", __name__)


@bp.app_template_global()
def trust_requirements(user: User, level: int) -> list[trust.Requirement]:
    """For templates: what reaching `level` asks of the member, with their figures."""
    return trust.requirements(user, level)


# --- reading ----------------------------------------------------------------------------------

@bp.post("/topics/timings")
@signed_in_required
def timings():
    """`topic_id`, `topic_time` (ms) and `timings[<post_number>]` (ms), as Discourse's client
    sends them; a topic the member cannot see answers 404."""
    data = params.body_params()
    topic = db.session.get(Topic, params.integer(data, "topic_id") or 0)
    if topic is None or not permissions.can_view_topic(current_user, topic):
        abort(404)
    read = _timings(data)
    with committing():
        report = stats.record_reading(current_user, topic, read,
                                      params.integer(data, "topic_time") or 0)
        trust.review(current_user, regular=False)
    return jsonify({"success": "OK", "posts_read": report.posts_read,
                    "seconds": report.seconds})


def _timings(data: dict) -> dict[int, int]:
    raw = data.get("timings")
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise DomainError(_("The parameter %(name)s must map post numbers to milliseconds.",
                            name="timings"), field="timings")
    if len(raw) > stats.MAX_POSTS_PER_REPORT:
        raise DomainError(_("Ask for at most %(n)d items at a time.",
                            n=stats.MAX_POSTS_PER_REPORT), field="timings")
    result = {}
    for key, value in raw.items():
        number = params.integer({"timings": str(key)}, "timings")
        result[number] = params.integer({"timings": value}, "timings") or 0
    return result


# --- admins -----------------------------------------------------------------------------------

def _member(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.deleted_at is not None:
        abort(404)
    if not permissions.can_change_trust_level(current_user, user):
        raise DomainError(_("Only administrators change trust levels."), status_code=403)
    return user


def _admin_user_json(user: User) -> dict:
    locked = bool(user.stats and user.stats.trust_level_locked)
    return {"admin_user": {"id": user.id, "username": user.username,
                           "trust_level": user.trust_level,
                           "manual_locked_trust_level": user.trust_level if locked else None}}


@bp.put("/admin/users/<int:user_id>/trust_level")
@bp.put("/admin/users/<int:user_id>/trust_level.json")
@signed_in_required
def set_trust_level(user_id: int):
    user, data = _member(user_id), params.body_params()
    if data.get("level") in (None, ""):
        raise DomainError(_("Choose a trust level from 0 to 4."), field="level")
    with committing():
        trust.change_trust_level(user, data.get("level"), actor=current_user)
    return jsonify(_admin_user_json(user))


@bp.put("/admin/users/<int:user_id>/trust_level_lock")
@bp.put("/admin/users/<int:user_id>/trust_level_lock.json")
@signed_in_required
def lock_trust_level(user_id: int):
    user, data = _member(user_id), params.body_params()
    locked = str(data.get("locked", "")).lower() in ("1", "true", "on", "yes")
    with committing():
        trust.change_trust_level(user, user.trust_level, actor=current_user, lock=locked)
    return jsonify(_admin_user_json(user))


@bp.post("/admin/users/<int:user_id>/trust-level")
def admin_page_trust_level(user_id: int):
    """The admin user page's form: a level and whether to lock it."""
    user = _member(user_id)
    try:
        changed = trust.change_trust_level(user, request.form.get("level"), actor=current_user,
                                           lock=bool(request.form.get("locked")))
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("admin.user", user_id=user.id) + "#trust-heading")
    db.session.commit()
    if changed:
        flash(_("%(name)s now has trust level %(level)d («%(label)s»).", name=user.username,
                level=user.trust_level, label=permissions.LEVEL_NAMES[user.trust_level]),
              "success")
    return redirect(url_for("admin.user", user_id=user.id))
