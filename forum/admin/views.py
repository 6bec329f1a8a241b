"""The admin blueprint: one access rule for every page, and the dashboard.

The pages themselves live by sub-area in user_views, group_views, category_views and
api_key_views, which add their routes to this blueprint when imported below.
"""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from forum import permissions
from forum.admin import queries
from forum.extensions import login_manager

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def admins_only():
    """Guests are asked to sign in; signed-in non-admins get 404 (the area stays invisible)."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    permissions.require(permissions.can_administer(current_user), hide=True)
    return None


@bp.get("/")
def index():
    return render_template("admin/index.html", counts=queries.dashboard_counts())


# Imported for their routes; they import `bp` from here, so they come last.
from forum.admin import api_key_views, category_views, group_views, user_views  # noqa: E402,F401,I001
from forum.admin import setting_views  # noqa: E402,F401,I001
