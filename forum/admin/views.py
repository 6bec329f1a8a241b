"""Admin pages."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from forum import permissions

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
@login_required
def index():
    permissions.require(permissions.can_administer(current_user), hide=True)
    return render_template("admin/index.html")
