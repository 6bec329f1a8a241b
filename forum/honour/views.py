"""Pages: the honour board (/honour), the users directory (/u), a member's portfolio
(/u/<username>/portfolio). Reads only; every filter comes from the query string."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user
from sqlalchemy import select

from forum import permissions
from forum.categories.queries import visible_category_list
from forum.extensions import db
from forum.honour import board as honour_board
from forum.honour import directory as users_directory
from forum.honour import labels
from forum.honour.periods import BOARD_PERIODS, PERIOD_LABELS
from forum.honour.portfolio import build_portfolio
from forum.models import User
from forum.text import fold

bp = Blueprint("honour", __name__)


BOARD_DEFAULT_PERIOD = "monthly"
DIRECTORY_DEFAULT_PERIOD = "weekly"  # Discourse's default
DIRECTORY_PERIODS = ("weekly", "monthly", "quarterly", "yearly", "all")


@bp.context_processor
def honour_labels() -> dict:
    return {"badge_name": labels.badge_name, "ledger_kind": labels.ledger_kind,
            "tier_labels": labels.TIERS, "figure_labels": labels.FIGURES}


def visible_member(username: str) -> User:
    """The live member by name (any case), or 404 when missing or hidden from the viewer."""
    user = db.session.scalar(select(User).where(User.username_lower == fold(username)))
    permissions.require(user is not None and permissions.can_view_profile(current_user, user),
                        hide=True)
    return user


def _choice(name: str, allowed, default: str) -> str:
    # A hand-edited query string falls back to the default instead of failing.
    value = request.args.get(name, default)
    return value if value in allowed else default


@bp.get("/honour")
def board():
    period = _choice("period", BOARD_PERIODS, BOARD_DEFAULT_PERIOD)
    categories = visible_category_list(current_user)
    category, category_ids = None, None
    if request.args.get("category"):
        category = next((c for c in categories if str(c.id) == request.args["category"]), None)
        permissions.require(category is not None, hide=True)
        category_ids = honour_board.category_ids_under(category, categories)
    leaders = {
        "reputation": honour_board.reputation_leaders(current_user, period=period,
                                                      category_ids=category_ids),
        "likes": honour_board.likes_leaders(current_user, period=period,
                                            category_ids=category_ids),
        **{name: honour_board.library_leaders(current_user, name, period=period,
                                              category_ids=category_ids)
           for name in ("materials", "reviews")},
    }
    return render_template("honour/board.html", period=period, periods=BOARD_PERIODS,
                           period_labels=PERIOD_LABELS, category=category, categories=categories,
                           leaders=leaders)


@bp.get("/u")
def directory():
    period = _choice("period", DIRECTORY_PERIODS, DIRECTORY_DEFAULT_PERIOD)
    order = _choice("order", users_directory.ORDERS, users_directory.DEFAULT_ORDER)
    asc = request.args.get("asc") == "true"
    page = min(max(request.args.get("page", 1, type=int), 1), users_directory.MAX_PAGE)
    listing = users_directory.directory_page(current_user, period=period, order=order,
                                             asc=asc, page=page)
    return render_template("honour/directory.html", listing=listing, period=period,
                           periods=DIRECTORY_PERIODS, period_labels=PERIOD_LABELS, order=order,
                           asc=asc, orders=users_directory.ORDERS)


@bp.get("/u/<username>/portfolio")
def portfolio(username: str):
    user = visible_member(username)
    portfolio = build_portfolio(current_user, user)
    return render_template("honour/portfolio.html", portfolio=portfolio,
                           ledger=_ledger_breakdown(user, portfolio))


def _ledger_breakdown(user: User, portfolio):
    """What the breakdown partial reads: the reputation helper's Breakdown when it is
    installed (its partial, reputation/_breakdown.html, is then the one included), else ours."""
    try:
        from forum.reputation.queries import breakdown
    except ImportError:
        return portfolio.breakdown
    return breakdown(current_user, user)


# The JSON twins add their routes to this blueprint.
from forum.honour import api  # noqa: E402,F401
