"""Admin page for site settings: every declared setting with its value; each change logged."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from forum import permissions
from forum.admin.views import bp
from forum.extensions import db
from forum.security import csrf_in_form
from forum.settings import SETTINGS, change_settings, errors_in, get_setting


def _submitted() -> dict[str, object]:
    """What the form sent: text for numbers, presence for check boxes. A number the form did
    not send at all stays as it is (an older or partial form must not fail on new settings)."""
    return {name: (request.form.get(name, "") if setting.kind is not bool
                   else name in request.form)
            for name, setting in SETTINGS.items()
            if setting.kind is bool or name in request.form}


@bp.route("/settings", methods=["GET", "POST"])
@csrf_in_form
def settings():
    permissions.require(permissions.can_change_settings(current_user))
    token = FlaskForm()  # only the CSRF token: the settings are read from request.form
    values = {name: get_setting(name) for name in SETTINGS}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {**values, **_submitted()}
        if not token.validate_on_submit():
            errors["_form"] = _("This page has expired (security token). Send it again.")
        else:
            errors = errors_in(values)
        if not errors:
            changed = change_settings(values, actor=current_user)
            db.session.commit()
            flash(_("Settings saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("admin.settings"))
    rows = [(s, s.kind is bool) for s in SETTINGS.values()]
    return render_template("admin/settings.html", rows=rows, values=values,
                           errors=errors), (422 if errors else 200)
