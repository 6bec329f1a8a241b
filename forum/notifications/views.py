"""The notifications page: newest first, open one (marks it read), mark all read."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.chat.links import channel_url
from forum.extensions import db
from forum.notifications import queries, services

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
    item = queries.item_for(current_user, note)
    data = note.data if isinstance(note.data, dict) else {}
    if note.kind == services.KIND_BADGE_GRANTED and isinstance(data.get("badge_id"), int):
        return redirect(url_for("badges.show", badge_id=data["badge_id"]))
    if item.channel is not None:
        return redirect(channel_url(item.channel, note.data.get("message_id")))
    if item.topic is None:
        return redirect(url_for("notifications.index"))
    return redirect(url_for("topics.show", slug=item.topic.slug, topic_id=item.topic.id,
                            post_number=note.post_number)
                    + (f"#post_{note.post_number}" if note.post_number else ""))


@bp.post("/notifications/read-all")
@login_required
def read_all():
    services.mark_read(current_user)
    db.session.commit()
    return redirect(url_for("notifications.index"))
