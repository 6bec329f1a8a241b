"""Following pages: "new" and "unread" lists, watching-level forms, bookmarks (no JS needed)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select

from forum.accounts.auth import current_viewer
from forum.categories.views import get_visible_category
from forum.errors import DomainError, attach_to_form
from forum.extensions import db
from forum.following import bookmarks, queries, services
from forum.following.forms import BookmarkForm, LevelForm, level_choices
from forum.fragment_cache import csrf_slot, kept_html, with_csrf_tokens
from forum.models import Bookmark, User
from forum.security import csrf_in_form
from forum.text import fold
from forum.topics.views import get_visible_post, get_visible_topic

bp = Blueprint("following", __name__)


@bp.app_template_global("topic_marks")
def topic_marks(ids: list[int]) -> dict[int, Markup]:
    """The viewer's "new" and unread-count marks for a list's rows (one query)."""
    return {topic_id: _mark_html(mark)
            for topic_id, mark in queries.marks_for(current_viewer(), ids).items()}


def _mark_html(mark: queries.TopicMark) -> Markup:
    if mark.unread:
        label = ngettext("%(num)d unread post", "%(num)d unread posts", mark.unread)
        return Markup(' <span class="topic-mark unread" title="{0}">'
                      '<span class="visually-hidden">{0}</span>'
                      '<span aria-hidden="true">{1}</span></span>').format(label, mark.unread)
    return Markup(' <span class="topic-mark new">{}</span>').format(_("new"))


@bp.app_template_global("level_choices")
def template_level_choices():
    return level_choices()


@bp.app_template_global("level_form")
def level_form(action: str, level: int) -> Markup:
    """following/_level_form.html, rendered once per locale, address and level and kept
    (fragment_cache.kept_html): topic and category pages show it to every member on every
    view. The session's CSRF token fills its slot for each request."""
    key = ("level-form", str(get_locale()), action, level)
    html = kept_html(key, lambda: Markup(render_template(  # noqa: S704 - escaped output
        "following/_level_form.html", level_action=action, level=level, csrf_token=csrf_slot)))
    return with_csrf_tokens({"form": html})["form"]


@bp.app_template_global("nav_counts")
def nav_counts() -> dict[str, Markup]:
    """The navigation's new and unread counts for the signed-in member (one query), as the
    HTML that follows each link's name: nothing when the count is zero."""
    counts = queries.counts(current_viewer())
    return {"new": _nav_count(counts.new), "unread": _nav_count(counts.unread)}


def _nav_count(count: int) -> Markup:
    return Markup(' <span class="nav-count">({})</span>').format(count) if count else Markup("")


@bp.get("/new")
@login_required
def new():
    listing = queries.new_topics(current_user, request.args.get("page", 1, type=int))
    return render_template("following/list.html", listing=listing, which="new")


@bp.get("/unread")
@login_required
def unread():
    listing = queries.unread_topics(current_user, request.args.get("page", 1, type=int))
    return render_template("following/list.html", listing=listing, which="unread")


@bp.post("/new/dismiss")
@login_required
def dismiss_new():
    services.dismiss_new(user=current_user)
    db.session.commit()
    return redirect(url_for("following.new"))


@bp.post("/t/<int:topic_id>/notification-level")
@login_required
def topic_level(topic_id: int):
    topic = get_visible_topic(topic_id)
    form = LevelForm()
    if form.validate_on_submit():
        services.set_topic_level(topic, user=current_user, level=form.notification_level.data)
        db.session.commit()
        flash(_("Your notification level for this topic has been saved."), "success")
    else:
        flash(_("Choose one of the notification levels."), "error")
    return redirect(url_for("topics.show", slug=topic.slug, topic_id=topic.id))


@bp.post("/c/<int:category_id>/notification-level")
@login_required
def category_level(category_id: int):
    category = get_visible_category(category_id)
    form = LevelForm()
    if form.validate_on_submit():
        services.set_category_level(category, user=current_user,
                                    level=form.notification_level.data)
        db.session.commit()
        flash(_("Your notification level for this category has been saved."), "success")
    else:
        flash(_("Choose one of the notification levels."), "error")
    return redirect(url_for("categories.show", slug=category.slug, category_id=category.id))


@bp.route("/posts/<int:post_id>/bookmark", methods=["GET", "POST"])
@login_required
@csrf_in_form
def bookmark_post(post_id: int):
    """A bookmark form (name, reminder); the form keeps what was typed after an error."""
    post = get_visible_post(post_id)
    form = BookmarkForm()
    if form.validate_on_submit():
        try:
            bookmarks.create_bookmark(post, user=current_user, name=form.name.data or "",
                                      reminder_at=form.reminder_time())
        except DomainError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(_("The post is bookmarked."), "success")
            return redirect(_post_url(post))
    status = 422 if request.method == "POST" else 200
    return render_template("following/bookmark.html", form=form, post=post), status


@bp.post("/bookmarks/<int:bookmark_id>/delete")
@login_required
def delete_bookmark(bookmark_id: int):
    bookmark = db.session.get(Bookmark, bookmark_id)
    if bookmark is None:
        abort(404)
    bookmarks.delete_bookmark(bookmark, user=current_user)
    db.session.commit()
    flash(_("The bookmark is removed."), "success")
    target = request.form.get("next", "")
    if target == "post" and bookmark.post is not None:
        return redirect(_post_url(bookmark.post))
    return redirect(url_for("following.bookmark_list", username=current_user.username))


@bp.get("/u/<username>/bookmarks")
@login_required
def bookmark_list(username: str):
    """A member's bookmarks — their own only: anyone else's answer 404."""
    user = db.session.scalar(select(User).where(User.username_lower == fold(username)))
    if user is None or user.id != current_user.id:
        abort(404)
    page = request.args.get("page", 1, type=int)
    rows, has_more = bookmarks.bookmark_list(user, page)
    return render_template("following/bookmarks.html", bookmarks=rows, page=max(page, 1),
                           has_more=has_more)


def _post_url(post) -> str:
    return url_for("topics.show", slug=post.topic.slug, topic_id=post.topic_id,
                   post_number=post.post_number) + f"#post_{post.post_number}"
