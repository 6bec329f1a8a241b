"""Discourse's badge routes: GET /badges.json, GET /user-badges/<username>.json and
POST /user_badges (admins grant a hand-granted badge with a reason) and
DELETE /user_badges/<id> (admins revoke such a grant)."""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user
from sqlalchemy import select

from forum import permissions
from forum.api import params
from forum.api.serializers import basic_user
from forum.api.views import bp, committing, signed_in_required
from forum.extensions import db
from forum.models import Badge, User, UserBadge
from forum.reputation.badges import queries, services
from forum.templating import iso
from forum.text import fold

# Discourse's badge types: 1 gold, 2 silver, 3 bronze.
BADGE_TYPE_IDS = {"gold": 1, "silver": 2, "bronze": 3}
BADGE_TYPES = [{"id": 1, "name": "Gold", "sort_order": 9},
               {"id": 2, "name": "Silver", "sort_order": 8},
               {"id": 3, "name": "Bronze", "sort_order": 7}]


@bp.get("/badges.json")
def badges():
    views = queries.badge_views()
    db.session.commit()  # the badge rows are created on first use
    return jsonify({"badges": [_badge(v) for v in views], "badge_types": BADGE_TYPES})


@bp.get("/user-badges/<username>.json")
def user_badges(username: str):
    user = _user_named(username)
    permissions.require(user is not None and permissions.can_view_profile(current_user, user),
                        hide=True)
    held = queries.member_badges(user, current_user, with_posts=True)
    rows = [_user_badge(grant, item.count) for item in held for grant in item.grants]
    granters = {g.granted_by for item in held for g in item.grants
                if g.granted_by_id is not None}
    return jsonify({"badges": [_badge(item.view) for item in held], "badge_types": BADGE_TYPES,
                    "users": [basic_user(user)],
                    "granted_bies": [basic_user(u) for u in granters],
                    "user_badges": rows})


@bp.post("/user_badges")
@bp.post("/user_badges.json")
@signed_in_required
def grant():
    data = params.body_params()
    username = params.text(data, "username")
    badge_id = params.integer(data, "badge_id")
    badge = db.session.get(Badge, badge_id) if badge_id is not None else None
    with committing():
        grant = services.grant_manually(badge, user=_user_named(username), actor=current_user,
                                        reason=params.text(data, "reason"))
    view = queries.badge_view(grant.badge_id)
    return jsonify({"badges": [_badge(view)], "badge_types": BADGE_TYPES,
                    "users": [basic_user(grant.user)],
                    "user_badge": _user_badge(grant, 1)})


@bp.delete("/user_badges/<int:user_badge_id>")
@bp.delete("/user_badges/<int:user_badge_id>.json")
@signed_in_required
def revoke(user_badge_id: int):
    with committing():
        services.revoke_manually(db.session.get(UserBadge, user_badge_id), actor=current_user)
    return jsonify({"success": "OK"})


def _user_named(username: str | None) -> User | None:
    if not username:
        return None
    return db.session.scalar(select(User).where(User.username_lower == fold(username)))


def _badge(view: queries.BadgeView) -> dict:
    badge = view.badge
    return {"id": badge.id, "slug": badge.slug, "name": view.name,
            "description": view.description, "long_description": view.description,
            "icon": badge.icon, "image_url": None, "badge_type_id": BADGE_TYPE_IDS[badge.tier],
            "grant_count": badge.grant_count, "multiple_grant": badge.allow_multiple,
            "allow_title": badge.allow_title, "manually_grantable": badge.is_manual,
            "enabled": badge.is_enabled, "listable": True, "system": not badge.is_manual}


def _user_badge(grant, count: int) -> dict:
    post = getattr(grant, "visible_post", None)
    return {"id": grant.id, "badge_id": grant.badge_id, "user_id": grant.user_id,
            "granted_at": iso(grant.granted_at), "grant_count": count,
            "granted_by_id": grant.granted_by_id, "reason": grant.reason or None,
            "post_id": post.id if post else None,
            "post_number": post.post_number if post else None,
            "topic_id": post.topic_id if post else None}
