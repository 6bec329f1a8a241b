"""Search pages and API: /search (results page), /search.json and /search/query.json
(Discourse's shapes; the header box's suggestions use the latter)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request
from flask_login import current_user
from sqlalchemy import select

from forum import permissions
from forum.extensions import db, limiter
from forum.models import Category
from forum.search import forms
from forum.search.kinds import registered_kinds
from forum.search.queries import matching_categories, matching_users, search
from forum.search.query_parser import parse
from forum.search.serializers import search_data

bp = Blueprint("search", __name__)
SUGGESTIONS = 6


def _anonymous_limit() -> str:
    return current_app.config["SEARCH_ANONYMOUS_LIMIT"]


# Guests share one budget across the three endpoints, per address; members are not limited.
_guest_limit = limiter.shared_limit(_anonymous_limit, scope="search",
                                    exempt_when=lambda: current_user.is_authenticated)


def _page() -> int:
    return max(1, min(request.args.get("page", 1, type=int) or 1, 1000))


@bp.get("/search")
@_guest_limit
def results():
    text = forms.panel_query(request.args)
    found = search(current_user, text, page=_page()) if text else None
    categories = db.session.scalars(select(Category).where(
        permissions.visible_categories(current_user)).order_by(Category.position, Category.id))
    page_args = {k: v for k, v in request.args.items() if k != "page" and v}
    labels = {name: kind.label for name, kind in registered_kinds().items()}
    return render_template("search/results.html", results=found, text=text,
                           args=request.args, page_args=page_args, kind_labels=labels,
                           categories=list(categories), forms=forms)


@bp.get("/search.json")
@_guest_limit
def search_json():
    text = (request.args.get("q") or "").strip()
    parsed = parse(text)
    found = search(current_user, parsed, page=_page())
    return jsonify(search_data(found, matching_users(parsed),
                               matching_categories(parsed, current_user)))


@bp.get("/search/query.json")
@_guest_limit
def query_json():
    text = request.args.get("term") or request.args.get("q") or ""
    parsed = parse(text)
    # A term ending in a space is a finished word; otherwise its last word is still typed.
    found = search(current_user, parsed, per_page=SUGGESTIONS, prefix=not text.endswith(" "))
    return jsonify(search_data(found, matching_users(parsed, 3),
                               matching_categories(parsed, current_user, 3)))
