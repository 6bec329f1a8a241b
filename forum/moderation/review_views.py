"""Flag a post, and the moderators' review queue (`/review`) with its decision forms."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms import SelectChoice

from forum import permissions
from forum.errors import DomainError, attach_to_form
from forum.extensions import db
from forum.models import Post, Reviewable
from forum.moderation import flags, queries, review
from forum.moderation.forms import FlagForm, ReviewActionForm
from forum.security import csrf_in_form

bp = Blueprint("review", __name__)


@bp.route("/posts/<int:post_id>/flag", methods=["GET", "POST"])
@csrf_in_form
def flag_post(post_id: int):
    post = db.session.get(Post, post_id)
    permissions.require(post is not None and permissions.can_view_post(current_user, post),
                        hide=True)
    flags.refuse_unless_may_flag(current_user, post)
    form = FlagForm()
    if form.validate_on_submit():
        try:
            flags.flag_post(post, flagger=current_user, kind=form.kind.data or "",
                            message=form.message.data or "")
        except DomainError as error:
            db.session.rollback()
            if error.status_code in (403, 404):
                raise
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(_("Thank you. Moderators will look at this post."), "success")
            return redirect(post.url + f"#post_{post.post_number}")
    status = 422 if request.method == "POST" else 200
    return render_template("review/flag.html", form=form, post=post,
                           labels=flags.FLAG_LABELS, descriptions=flags.FLAG_DESCRIPTIONS,
                           already=flags.has_flagged(current_user, post)), status


@bp.get("/review")
def queue():
    permissions.require(permissions.can_view_review_queue(current_user))
    return _render_queue()


@bp.post("/review/<int:item_id>/perform")
@csrf_in_form
def perform(item_id: int):
    permissions.require(permissions.can_view_review_queue(current_user))
    item = db.session.get(Reviewable, item_id)
    if item is None:
        abort(404)
    form = ReviewActionForm()
    action = request.form.get("action", "")
    try:
        if not form.validate_on_submit():
            raise DomainError(_("This page has expired (security token). Reload it and try "
                                "again."), status_code=400)
        review.perform(item, action, actor=current_user,
                       silence_days=form.silence_days.data or 0,
                       silence_reason=form.silence_reason.data or "")
    except DomainError as error:
        db.session.rollback()
        if error.status_code in (403, 404):
            raise
        return _render_queue(errors={item_id: str(error.message)},
                             posted={item_id: form}, status=error.status_code)
    db.session.commit()
    flash(_("Done: %(action)s.", action=review.ACTION_LABELS.get(action, action)), "success")
    return redirect(url_for("review.queue", **_filters()))


def _filters() -> dict:
    """The queue's filters, read from the query string (kept across a decision)."""
    status = request.args.get("status", queries.STATUS_PENDING)
    filters = {"status": status if status == queries.STATUS_RESOLVED else queries.STATUS_PENDING}
    category_id = request.args.get("category", type=int)
    if category_id:
        filters["category"] = category_id
    page = request.args.get("page", 1, type=int)
    if page > 1:
        filters["page"] = page
    return filters


def _render_queue(*, errors: dict | None = None, posted: dict | None = None, status: int = 200):
    filters = _filters()
    listing = queries.review_queue(current_user, status=filters["status"],
                                   category_id=filters.get("category"),
                                   page=filters.get("page", 1))
    forms = {}
    for entry in listing.items:
        form = (posted or {}).get(entry.reviewable.id) or ReviewActionForm(formdata=None)
        form.silence_days.choices = _silence_choices()
        forms[entry.reviewable.id] = form
    errors = errors or {}
    # An error about an item the page no longer lists (e.g. resolved meanwhile) shows on top.
    shown = {entry.reviewable.id for entry in listing.items}
    top_errors = [message for item_id, message in errors.items() if item_id not in shown]
    return render_template("review/queue.html", listing=listing, filters=filters, forms=forms,
                           errors=errors, top_errors=top_errors,
                           categories=queries.queue_categories(current_user),
                           actions=review.ACTIONS_BY_KIND, action_labels=review.ACTION_LABELS,
                           flag_labels=flags.FLAG_LABELS), status


def _silence_choices() -> list[SelectChoice]:
    return [SelectChoice("0", _("Do not silence"))] + [
        SelectChoice(str(days), ngettext("%(num)d day", "%(num)d days", days))
        for days in review.SILENCE_DAY_CHOICES if days]
