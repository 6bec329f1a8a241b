"""Badge pages: all badges, one badge with its holders, the member's title, the admin's grants."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from forum import permissions
from forum.errors import DomainError, attach_to_form
from forum.extensions import db
from forum.models import Badge, User, UserBadge
from forum.reputation.badges import queries, services
from forum.reputation.badges.forms import GrantBadgeForm, TitleForm
from forum.security import csrf_in_form
from forum.text import fold

bp = Blueprint("badges", __name__)


@bp.get("/badges")
def index():
    views = queries.badge_views()
    db.session.commit()  # the badge rows are created on first use
    return render_template("badges/index.html", views=views)


@bp.get("/badges/<int:badge_id>")
@bp.get("/badges/<int:badge_id>/<slug>")
def show(badge_id: int, slug: str | None = None):
    view = queries.badge_view(badge_id)
    if view is None:
        abort(404)
    if slug != view.badge.slug:
        return redirect(url_for("badges.show", badge_id=badge_id, slug=view.badge.slug), 301)
    listing = queries.holders(view, current_user, request.args.get("page", 1, type=int))
    return render_template("badges/show.html", view=view, listing=listing)


@bp.post("/badges/grants/<int:grant_id>/revoke")
@login_required
def revoke(grant_id: int):
    grant = db.session.get(UserBadge, grant_id)
    badge_id = grant.badge_id if grant is not None else None
    try:
        services.revoke_manually(grant, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        if error.status_code == 404:
            abort(404)
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("The badge has been revoked."), "success")
    return redirect(url_for("badges.show", badge_id=badge_id))


@bp.post("/my/title")
@login_required
@csrf_in_form
def choose_title():
    form = TitleForm()
    if not form.validate_on_submit():
        flash(_("This page has expired (security token). Send it again."), "error")
        return redirect(url_for("accounts.preferences"))
    raw = (form.title_badge_id.data or "").strip()
    try:
        services.set_title(current_user, int(raw) if raw.isdigit() else None)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("Your title has been saved."), "success")
    return redirect(url_for("accounts.preferences"))


@bp.route("/admin/badges", methods=["GET", "POST"])
@csrf_in_form
def admin():
    """The badges with their counts, and the form that grants a hand-granted badge."""
    permissions.require(permissions.can_administer(current_user))
    views = queries.badge_views(include_disabled=True)
    db.session.commit()  # the badge rows are created on first use
    form = GrantBadgeForm()
    form.badge_id.choices = [(v.id, v.name) for v in views if v.badge.is_manual]
    status = 200
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.username_lower ==
                                                    fold(form.username.data.strip())))
        try:
            grant = services.grant_manually(db.session.get(Badge, form.badge_id.data),
                                            user=user, actor=current_user,
                                            reason=form.reason.data)
        except DomainError as error:
            db.session.rollback()
            attach_to_form(form, error)
            status = 422
        else:
            db.session.commit()
            flash(_("The badge has been granted to %(name)s.", name=grant.user.username),
                  "success")
            return redirect(url_for("badges.admin"))
    elif request.method == "POST":
        status = 422
    return render_template("badges/admin.html", views=views, form=form), status
