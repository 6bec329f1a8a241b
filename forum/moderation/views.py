"""Moderation pages: the topic toolbar's actions, hide/unhide posts, moving posts, the banner.

Each action is a plain POST form (CSRF checked by forum.security), calls one service from
forum.moderation.topic_actions or post_moves, commits, and goes back to the topic.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select

from forum import permissions
from forum.api import moderation_routes as api_routes
from forum.categories.queries import category_by_id, visible_category_list
from forum.errors import DomainError, attach_to_form, wants_json
from forum.extensions import csrf, db
from forum.models import Post, Topic
from forum.moderation import post_moves, topic_actions
from forum.moderation.forms import MovePostsForm
from forum.security import csrf_in_form, is_safe_redirect
from forum.topics.views import get_visible_post, get_visible_topic

bp = Blueprint("moderation", __name__)

MOVE_PAGE_POSTS = 500  # the selection page lists at most this many posts
_TOPIC_LINK = re.compile(r"(?:^|/t/(?:[^/]+/)?)(\d+)(?:/\d+)?/?$")


@bp.app_template_global("site_banner_html")
def site_banner_html() -> Markup:
    """The banner this reader should see, for base.html (empty on most pages: no banner)."""
    banner = site_banner()
    if banner is None:
        return Markup("")
    return Markup(render_template("moderation/_banner.html", banner=banner))  # noqa: S704


def site_banner() -> Topic | None:
    """The live banner topic the reader may see and has not dismissed."""
    topic = topic_actions.current_banner()
    if topic is None or not permissions.can_view_topic(current_user, topic):
        return None
    if current_user.is_authenticated and current_user.dismissed_banner_topic_id == topic.id:
        return None
    return topic


def _back(topic: Topic, message: str | None):
    if message:
        flash(message, "success")
    return redirect(url_for("topics.show", slug=topic.slug, topic_id=topic.id), 303)


def _topic_action(topic_id: int, service, done: str, **kwargs):
    topic = get_visible_topic(topic_id)
    changed = service(topic, actor=current_user, **kwargs)
    db.session.commit()
    return _back(topic, done if changed else None)


@bp.post("/t/<int:topic_id>/pin")
@login_required
def pin(topic_id: int):
    until = _parse_date(request.form.get("until", ""))
    return _topic_action(topic_id, topic_actions.pin_topic, _("The topic is pinned."),
                         globally=request.form.get("scope") == "global", until=until)


@bp.post("/t/<int:topic_id>/unpin")
@login_required
def unpin(topic_id: int):
    return _topic_action(topic_id, topic_actions.unpin_topic, _("The topic is unpinned."))


@bp.post("/t/<int:topic_id>/banner")
@login_required
def banner(topic_id: int):
    return _topic_action(topic_id, topic_actions.make_banner,
                         _("The topic is now the site banner."))


@bp.post("/t/<int:topic_id>/unbanner")
@login_required
def unbanner(topic_id: int):
    return _topic_action(topic_id, topic_actions.remove_banner, _("The banner is removed."))


@bp.post("/t/<int:topic_id>/close")
@login_required
def close(topic_id: int):
    return _topic_action(topic_id, topic_actions.close_topic, _("The topic is closed."),
                         reason=request.form.get("reason", ""))


@bp.post("/t/<int:topic_id>/open")
@login_required
def open(topic_id: int):  # noqa: A001 - the endpoint reads as the action
    return _topic_action(topic_id, topic_actions.open_topic, _("The topic is open again."))


@bp.post("/t/<int:topic_id>/archive")
@login_required
def archive(topic_id: int):
    return _topic_action(topic_id, topic_actions.archive_topic, _("The topic is archived."))


@bp.post("/t/<int:topic_id>/unarchive")
@login_required
def unarchive(topic_id: int):
    return _topic_action(topic_id, topic_actions.unarchive_topic,
                         _("The topic is no longer archived."))


@bp.post("/t/<int:topic_id>/unlist")
@login_required
def unlist(topic_id: int):
    return _topic_action(topic_id, topic_actions.unlist_topic, _("The topic is unlisted."))


@bp.post("/t/<int:topic_id>/list")
@login_required
def relist(topic_id: int):
    return _topic_action(topic_id, topic_actions.list_topic, _("The topic is listed again."))


@bp.post("/t/<int:topic_id>/slow-mode")
@login_required
def slow_mode(topic_id: int):
    minutes = request.form.get("minutes", "").strip()
    if not minutes.isdecimal():
        raise DomainError(_("Slow mode takes 0 to %(n)d minutes.",
                            n=topic_actions.MAX_SLOW_MODE_MINUTES), field="minutes")
    return _topic_action(topic_id, topic_actions.set_slow_mode, _("Slow mode is updated."),
                         minutes=min(int(minutes), topic_actions.MAX_SLOW_MODE_MINUTES + 1))


@bp.post("/posts/<int:post_id>/hide")
@login_required
def hide_post(post_id: int):
    post = get_visible_post(post_id)
    changed = topic_actions.hide_post(post, actor=current_user,
                                      reason=request.form.get("reason", ""))
    db.session.commit()
    return _back_to_post(post, _("The post is hidden.") if changed else None)


@bp.post("/posts/<int:post_id>/unhide")
@login_required
def unhide_post(post_id: int):
    post = get_visible_post(post_id)
    changed = topic_actions.unhide_post(post, actor=current_user)
    db.session.commit()
    return _back_to_post(post, _("The post is shown again.") if changed else None)


def _back_to_post(post: Post, message: str | None):
    if message:
        flash(message, "success")
    return redirect(url_for("topics.show", slug=post.topic.slug, topic_id=post.topic_id,
                            post_number=post.post_number) + f"#post_{post.post_number}", 303)


@bp.post("/banner/<int:topic_id>/dismiss")
@login_required
def dismiss_banner(topic_id: int):
    topic = get_visible_topic(topic_id)
    topic_actions.dismiss_banner(current_user, topic)
    db.session.commit()
    return redirect(request.referrer if is_safe_redirect(request.referrer) else url_for(
        "topics.latest"), 303)


@bp.route("/t/<int:topic_id>/move-posts", methods=["GET", "POST"])
@csrf_in_form
def move_posts(topic_id: int):
    """Select posts and a destination: a new topic (title, category) or an existing topic."""
    if request.method == "POST" and wants_json():
        # Discourse clients post here too: the API answers them, in JSON.
        if not request.headers.get("Api-Key"):
            csrf.protect()
        return api_routes.move_posts(topic_id)
    return _move_posts_page(topic_id)


@login_required
def _move_posts_page(topic_id: int):
    topic = get_visible_topic(topic_id)
    topic_actions.require_moderator(current_user, topic)
    form = MovePostsForm()
    form.category_id.choices = [(c.id, c.name) for c in visible_category_list(current_user)
                                if permissions.can_move_posts_to(current_user, c)]
    selected = set(_integers(request.form.getlist("post_ids")))
    if request.method == "GET":
        form.category_id.data = topic.category_id
        selected = set(_integers(request.args.getlist("post_ids")))
    elif form.validate_on_submit():
        try:
            destination = _move(topic, form, sorted(selected))
        except DomainError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(_("The posts are moved."), "success")
            return redirect(url_for("topics.show", slug=destination.slug,
                                    topic_id=destination.id), 303)
    posts = list(db.session.scalars(select(Post).where(
        Post.topic_id == topic.id, Post.deleted_at.is_(None)).order_by(Post.post_number)
        .limit(MOVE_PAGE_POSTS)))
    status = 422 if request.method == "POST" else 200
    return render_template("moderation/move_posts.html", topic=topic, form=form, posts=posts,
                           selected=selected), status


def _move(topic: Topic, form: MovePostsForm, post_ids: list[int]) -> Topic:
    if form.mode.data == "existing":
        destination = _topic_from_link(form.destination.data or "")
        return post_moves.move_posts(topic, actor=current_user, post_ids=post_ids,
                                     destination=destination)
    category = category_by_id(form.category_id.data or 0)
    if category is None:
        raise DomainError(_("Choose a category."), field="category_id")
    return post_moves.move_posts(topic, actor=current_user, post_ids=post_ids,
                                 title=form.title.data or "", category=category)


def _topic_from_link(text: str) -> Topic:
    """A topic from its number or its address (/t/slug/123 or a full URL)."""
    match = _TOPIC_LINK.search(text.strip().split("?")[0].split("#")[0])
    topic = db.session.get(Topic, int(match[1])) if match and len(match[1]) < 12 else None
    if topic is None or not permissions.can_view_topic(current_user, topic):
        raise DomainError(_("No such topic: give the destination topic's number or address."),
                          field="destination")
    return topic


def _integers(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdecimal() and len(v) < 12]


def _parse_date(value: str) -> datetime | None:
    """A date from the form's date field, meaning the end of that day (UTC); empty: none."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise DomainError(_("Give the date as YYYY-MM-DD."), field="until") from None
    return datetime.combine(day, time(23, 59, 59), tzinfo=UTC)


