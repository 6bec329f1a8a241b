"""Pages and form endpoints for likes (like, unlike, who liked) and a member's reputation."""

from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from forum import permissions
from forum.errors import DomainError, wants_json
from forum.extensions import db
from forum.models import Post, User
from forum.reputation import helpful, likes, queries
from forum.text import fold
from forum.topics.views import get_visible_post

bp = Blueprint("reputation", __name__)


@bp.app_template_global()
def page_likes(topic):
    """Template helper: the viewer's PageLikes for the topic being shown."""
    return queries.page_likes(current_user, topic)


@bp.post("/posts/<int:post_id>/like")
@login_required
def like(post_id: int):
    post = get_visible_post(post_id)
    return _act(post, lambda: likes.like_post(post, user=current_user),
                lambda: {"post_id": post.id, "liked": True, "like_count": post.like_count})


@bp.post("/posts/<int:post_id>/unlike")
@login_required
def unlike(post_id: int):
    post = get_visible_post(post_id)
    return _act(post, lambda: likes.unlike_post(post, user=current_user),
                lambda: {"post_id": post.id, "liked": False, "like_count": post.like_count})


@bp.post("/posts/<int:post_id>/helpful")
@login_required
def mark_helpful(post_id: int):
    post = get_visible_post(post_id)
    return _act(post, lambda: helpful.mark_helpful(post, user=current_user),
                lambda: {"post_id": post.id, "helpful": True})


@bp.post("/posts/<int:post_id>/not-helpful")
@login_required
def unmark_helpful(post_id: int):
    post = get_visible_post(post_id)
    return _act(post, lambda: helpful.unmark_helpful(post, user=current_user),
                lambda: {"post_id": post.id, "helpful": False})


def _act(post: Post, action, answer):
    """Run a reader's action on a post (like, helpful mark); scripts get JSON (errors too),
    forms a redirect back to the post with the refusal, if any, as a message."""
    try:
        action()
    except DomainError as error:
        db.session.rollback()
        if wants_json():
            raise
        flash(str(error.message), "error")
        return redirect(_post_url(post))
    db.session.commit()
    if wants_json():
        return jsonify(answer())
    return redirect(_post_url(post))


@bp.get("/posts/<int:post_id>/likes")
def likers(post_id: int):
    """Who liked a post: a page of its own, and (?fragment=1) the list the topic page opens."""
    post = get_visible_post(post_id)
    permissions.require(permissions.can_view_likers(current_user, post), hide=True)
    return render_template("reputation/likers.html", post=post, likers=queries.likers(post))


@bp.get("/posts/<int:post_id>/likes/fragment")
def likers_fragment(post_id: int):
    post = get_visible_post(post_id)
    permissions.require(permissions.can_view_likers(current_user, post), hide=True)
    return render_template("reputation/_likers.html", post=post, likers=queries.likers(post))


@bp.get("/u/<username>/reputation")
def reputation(username: str):
    """Where a member's reputation came from."""
    user = db.session.scalar(select(User).where(User.username_lower == fold(username)))
    permissions.require(user is not None and permissions.can_view_profile(current_user, user),
                        hide=True)
    return render_template("reputation/show.html", user=user,
                           breakdown=queries.breakdown(current_user, user))


def _post_url(post: Post) -> str:
    return url_for("topics.show", slug=post.topic.slug, topic_id=post.topic_id,
                   post_number=post.post_number) + f"#post_{post.post_number}"
