"""A member's sanctions page for staff and subject moderators: silence, suspend, lift early.

Moderators cannot enter the admin area, so sanctions live here, linked from the profile;
the admin user page shows the same state and links here.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from forum import permissions
from forum.errors import DomainError, attach_to_form
from forum.extensions import db
from forum.models import User
from forum.moderation import log_queries, sanctions
from forum.moderation.sanction_forms import LiftForm, SanctionForm, until_from_form
from forum.security import csrf_in_form
from forum.text import fold

bp = Blueprint("sanctions", __name__)
# Templates show the silenced member's notice where composers would be.
bp.add_app_template_global(sanctions.silence_refusal, "silence_refusal")


def _target(username: str) -> User:
    user = db.session.scalar(select(User).where(User.username_lower == fold(username)))
    if user is None or user.deleted_at is not None:
        abort(404)
    permissions.require(permissions.can_sanction_user(current_user, user))
    return user


def _render(user: User, status: int = 200, **forms):
    return render_template(
        "moderation/user_sanctions.html", user=user, state=log_queries.sanction_state(user),
        silence_form=forms.get("silence_form") or SanctionForm(prefix="silence", formdata=None),
        suspend_form=forms.get("suspend_form") or SanctionForm(prefix="suspend", formdata=None),
        lift_form=LiftForm(formdata=None)), status


@bp.get("/u/<username>/sanctions")
@login_required
def show(username: str):
    return _render(_target(username))


@bp.post("/u/<username>/silence")
@login_required
@csrf_in_form
def silence(username: str):
    user = _target(username)
    permissions.require(permissions.can_silence_user(current_user, user))
    return _impose(user, "silence", sanctions.silence_user,
                   _("%(name)s is silenced.", name=user.username))


@bp.post("/u/<username>/suspend")
@login_required
@csrf_in_form
def suspend(username: str):
    user = _target(username)
    permissions.require(permissions.can_suspend_user(current_user, user))
    return _impose(user, "suspend", sanctions.suspend_user,
                   _("%(name)s is suspended.", name=user.username))


def _impose(user: User, kind: str, service, done: str):
    """Validate the form, call the service, commit; on error show the page with what was typed."""
    form = SanctionForm(prefix=kind)
    if form.validate_on_submit():
        try:
            service(user, actor=current_user, until=until_from_form(form),
                    reason=form.reason.data)
        except DomainError as error:
            db.session.rollback()
            if error.status_code == 403:
                raise
            attach_to_form(form, _field_for(error))
        else:
            db.session.commit()
            flash(done, "success")
            return redirect(url_for("sanctions.show", username=user.username))
    return _render(user, 422, **{f"{kind}_form": form})


def _field_for(error: DomainError) -> DomainError:
    # The service names the end date "until"; on this form it is the date field.
    if error.field == "until":
        error.field = "until_date"
    return error


@bp.post("/u/<username>/unsilence")
@login_required
def unsilence(username: str):
    user = _target(username)
    sanctions.unsilence_user(user, actor=current_user)
    db.session.commit()
    flash(_("%(name)s may post again.", name=user.username), "success")
    return redirect(url_for("sanctions.show", username=user.username))


@bp.post("/u/<username>/unsuspend")
@login_required
def unsuspend(username: str):
    user = _target(username)
    sanctions.unsuspend_user(user, actor=current_user)
    db.session.commit()
    flash(_("%(name)s may log in again.", name=user.username), "success")
    return redirect(url_for("sanctions.show", username=user.username))
