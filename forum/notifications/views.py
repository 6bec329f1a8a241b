"""The notifications page: newest first, open one (marks it read), mark all read."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.extensions import db
from forum.notifications import queries, services, unsubscribe
from forum.notifications.forms import NotificationPreferencesForm
from forum.notifications.preferences import unsubscribe_member, update_preferences
from forum.security import csrf_in_form

bp = Blueprint("notifications", __name__)


@bp.app_template_global("unread_notifications")
def unread_notifications() -> int:
    """The bell's number for the signed-in reader (0 for guests, who have no bell)."""
    if not current_user.is_authenticated:
        return 0
    # Loaded with the account by the user loader (forum.models.user_state): no extra query.
    return current_user.unread_notification_count or 0


@bp.get("/notifications")
@login_required
def index():
    listing = queries.notification_page(current_user, request.args.get("page", 1, type=int))
    return render_template("notifications/index.html", listing=listing)


@bp.post("/notifications/<int:notification_id>/open")
@login_required
def open_one(notification_id: int):
    """Mark the notification read and go to what it is about (or back to the list)."""
    note = queries.notification_for(current_user, notification_id)
    if note is None:
        abort(404)
    services.mark_read(current_user, note.id)
    db.session.commit()
    return redirect(queries.link_for(queries.item_for(current_user, note)))


@bp.post("/notifications/read-all")
@login_required
def read_all():
    services.mark_read(current_user)
    db.session.commit()
    return redirect(url_for("notifications.index"))


@bp.post("/my/notification-preferences")
@login_required
@csrf_in_form
def preferences():
    """Save how each kind reaches the member; errors re-render the preferences page."""
    form = NotificationPreferencesForm()
    if form.validate_on_submit():
        update_preferences(current_user, channels=form.channels(),
                           email_delay_minutes=form.email_delay_minutes.data,
                           digest_frequency=form.digest_frequency.data)
        db.session.commit()
        flash(_("Your notification preferences have been saved."), "success")
        return redirect(url_for("accounts.preferences") + "#notification-preferences")
    from forum.accounts.views import render_preferences

    return render_preferences(notification_form=form), 422


@bp.get("/email/unsubscribe/<token>")
def unsubscribe_page(token: str):
    """The link in every mail: a page that asks to confirm (a GET changes nothing, so link
    scanners cannot unsubscribe anyone)."""
    found = unsubscribe.read_token(token)
    if found is None:
        return render_template("notifications/unsubscribe.html", invalid=True), 404
    user, scope = found
    return render_template("notifications/unsubscribe.html", invalid=False, done=False,
                           scope=scope, token=token, email=user.email)


@bp.post("/email/unsubscribe/<token>")
@csrf_in_form  # RFC 8058 one-click: the mail client POSTs with no session; the token is signed
def unsubscribe_now(token: str):
    found = unsubscribe.read_token(token)
    if found is None:
        return render_template("notifications/unsubscribe.html", invalid=True), 404
    user, scope = found
    unsubscribe_member(user, scope=scope)
    db.session.commit()
    return render_template("notifications/unsubscribe.html", invalid=False, done=True,
                           scope=scope, token=token, email=user.email)
