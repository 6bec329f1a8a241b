"""Category pages: the category index, one category's topic list, and the colour stylesheet."""

from __future__ import annotations

from flask import Blueprint, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from forum import permissions
from forum.accounts.auth import current_viewer
from forum.categories.queries import (
    RULES_KEPT,
    category_by_id,
    category_tree,
    child_category_ids,
)
from forum.extensions import db
from forum.kept_pages import render_member_page
from forum.models import Category
from forum.moderation.sanctions import silence_refusal
from forum.topics import queries as topic_queries

bp = Blueprint("categories", __name__)


def get_visible_category(category_id: int, *, options=()) -> Category:
    category = category_by_id(category_id, options=options)
    permissions.require(category is not None
                        and permissions.can_view_category(current_viewer(), category), hide=True)
    return category


@bp.get("/categories")
def index():
    return render_template("categories/index.html", tree=category_tree(current_user))


@bp.get("/c/<int:category_id>")
def by_id(category_id: int):
    category = get_visible_category(category_id)
    return redirect(url_for("categories.show", slug=category.slug, category_id=category.id), 301)


@bp.get("/c/<slug>/<int:category_id>")
def show(slug: str, category_id: int):
    category = get_visible_category(category_id, options=RULES_KEPT)
    if slug != category.slug:
        return redirect(url_for("categories.show", slug=category.slug,
                                category_id=category.id, **request.args), 301)
    viewer = current_viewer()
    page = request.args.get("page", 1, type=int)
    archived = request.args.get("status") == "archived"
    listing = topic_queries.category_topics(viewer, category, page, archived=archived)
    has_children = bool(child_category_ids(category))
    children = [c for c in category.children
                if permissions.can_view_category(viewer, c)] if has_children else []
    from forum.following.queries import category_level

    # What this reader may do here, decided once and shown through the page's key.
    may_post = permissions.can_create_topic(viewer, category)
    silenced = None if may_post else silence_refusal(viewer)
    key = (category.id, listing.key(), archived, tuple(child.id for child in children),
           may_post, silenced)
    return render_member_page("categories/show.html", key, category=category,
                              listing=listing, children=children, has_children=has_children,
                              archived=archived, may_post=may_post, silenced=silenced,
                              reader={"level": category_level(viewer, category)})


@bp.get("/categories.css")
def colours_css():
    """Category colours as classes, so pages need no inline styles (CSP: style-src 'self')."""
    rows = db.session.execute(select(Category.id, Category.color, Category.text_color)).all()
    css = "\n".join(
        f".cat-{cid}{{--cat-color:#{color};--cat-text:#{text}}}" for cid, color, text in rows)
    response = make_response(css)
    response.headers["Content-Type"] = "text/css; charset=utf-8"
    response.headers["Cache-Control"] = "public, max-age=60"
    return response
