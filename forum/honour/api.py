"""The JSON twins Discourse has: GET /directory_items.json and GET /u/<username>/summary.json,
in Discourse's shapes plus Kafedra's reputation fields."""

from __future__ import annotations

from flask import jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forum.api.serializers import basic_user, fancy_title
from forum.errors import DomainError
from forum.honour import directory as users_directory
from forum.honour.labels import badge_description, badge_name, ledger_kind
from forum.honour.periods import PERIOD_DAYS
from forum.honour.portfolio import build_portfolio
from forum.honour.views import bp, visible_member
from forum.models import utcnow
from forum.templating import iso

# Discourse's badge_type_id: 1 gold, 2 silver, 3 bronze.
BADGE_TYPE_IDS = {"gold": 1, "silver": 2, "bronze": 3}


def _query_choice(name: str, allowed, default: str) -> str:
    """A query parameter that must be one of `allowed`: anything else is a 400 saying so."""
    value = request.args.get(name, default)
    if value not in allowed:
        raise DomainError(_("Unknown %(name)s «%(value)s»; use one of: %(choices)s.",
                            name=name, value=value, choices=", ".join(allowed)),
                          field=name, status_code=400)
    return value


@bp.get("/directory_items.json")
def directory_items():
    period = _query_choice("period", tuple(PERIOD_DAYS), "weekly")
    order = _query_choice("order", users_directory.ORDERS, users_directory.DEFAULT_ORDER)
    asc = request.args.get("asc") == "true"
    page = min(max(request.args.get("page", 0, type=int), 0), users_directory.MAX_PAGE - 1)
    listing = users_directory.directory_page(current_user, period=period, order=order,
                                             asc=asc, page=page + 1)
    more = None
    if listing.has_more:
        more = url_for("honour.directory_items", period=period, order=order, page=page + 1,
                       **({"asc": "true"} if asc else {}))
    return jsonify({
        "directory_items": [_directory_item(item) for item in listing.items],
        "meta": {"last_updated_at": iso(utcnow()),
                 "total_rows_directory_items": users_directory.live_member_count(),
                 "load_more_directory_items": more},
    })


def _directory_item(item) -> dict:
    figures = {name: value for name, value in item.figures.items() if value is not None}
    return {"id": item.user.id, **figures,
            "user": {**basic_user(item.user), "title": None,
                     "trust_level": item.user.trust_level}}


@bp.get("/u/<username>/summary.json")
def summary(username: str):
    user = visible_member(username)
    portfolio = build_portfolio(current_user, user)
    posts = portfolio.best_posts
    topics = {post.topic_id: post.topic for post in posts}
    return jsonify({
        "user_summary": _user_summary(portfolio),
        "topics": [{"id": t.id, "title": t.title, "fancy_title": fancy_title(t.title),
                    "slug": t.slug, "posts_count": t.posts_count, "category_id": t.category_id}
                   for t in topics.values()],
        "badges": _badges(portfolio.badges),
        "badge_types": [{"id": type_id, "name": tier.capitalize(), "sort_order": type_id}
                        for tier, type_id in BADGE_TYPE_IDS.items()],
        "users": [basic_user(user)],
    })


def _user_summary(portfolio) -> dict:
    s = portfolio.summary
    return {
        "likes_given": s.likes_given, "likes_received": s.likes_received,
        "topics_entered": s.topics_entered, "posts_read_count": s.posts_read,
        "days_visited": s.days_visited, "topic_count": s.topic_count,
        "post_count": s.post_count, "time_read": s.time_read_seconds,
        "can_see_summary_stats": True,
        "replies": [{"post_number": p.post_number, "like_count": p.like_count,
                     "created_at": iso(p.created_at), "topic_id": p.topic_id}
                    for p in portfolio.best_posts],
        "badges": [{"id": ub.id, "badge_id": ub.badge_id, "user_id": ub.user_id,
                    "granted_at": iso(ub.granted_at), "granted_by_id": ub.granted_by_id}
                   for ub in portfolio.badges],
        # Kafedra: reputation and where it came from, seminars attended.
        "reputation": portfolio.reputation,
        "reputation_breakdown": [{"kind": line.kind, "name": ledger_kind(line.kind),
                                  "count": line.count, "points": line.points}
                                 for line in portfolio.breakdown],
        "seminars": [{"id": c.id, "name": c.name, "starts_at": iso(c.starts_at),
                      "ends_at": iso(c.ends_at)} for c in portfolio.seminars],
    }


def _badges(user_badges) -> list[dict]:
    badges = {ub.badge.id: ub.badge for ub in user_badges}
    return [{"id": b.id, "name": badge_name(b), "description": badge_description(b),
             "badge_type_id": BADGE_TYPE_IDS.get(b.tier, 3), "icon": b.icon, "slug": b.slug,
             "grant_count": b.grant_count, "multiple_grant": b.allow_multiple,
             "allow_title": b.allow_title, "enabled": b.is_enabled}
            for b in badges.values()]

