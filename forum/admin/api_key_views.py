"""Admin pages for Discourse-style API keys: the list, creating one (shown once), revoking."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forum.accounts import services as accounts
from forum.admin import queries
from forum.admin.forms import ApiKeyForm
from forum.admin.user_views import key_created_page
from forum.admin.views import bp
from forum.extensions import db
from forum.security import csrf_in_form


@bp.get("/api-keys")
def api_keys():
    return _render_list(ApiKeyForm(formdata=None))


def _render_list(form: ApiKeyForm, status: int = 200):
    return render_template("admin/api_keys.html", keys=queries.api_keys(), form=form), status


@bp.post("/api-keys")
@csrf_in_form
def create_api_key():
    form = ApiKeyForm()
    if not form.validate_on_submit():
        return _render_list(form, 422)
    user = None
    username = (form.username.data or "").strip()
    if username:
        user = queries.user_by_username(username)
        if user is None or not user.is_active:
            form.username.errors.append(_("There is no user with this name."))
            return _render_list(form, 422)
    key = accounts.create_api_key(actor=current_user, user=user,
                                  description=form.description.data or "")
    db.session.commit()
    return key_created_page(key, user)


@bp.post("/api-keys/<int:key_id>/revoke")
def revoke_api_key(key_id: int):
    api_key = queries.api_key_by_id(key_id)
    if api_key is None:
        abort(404)
    if api_key.revoked_at is None:
        accounts.revoke_api_key(api_key, actor=current_user)
        db.session.commit()
    flash(_("The API key %(key)s… was revoked.", key=api_key.truncated_key), "success")
    return redirect(url_for("admin.api_keys"))
