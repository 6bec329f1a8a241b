"""Badges: declarative definitions, SQL rules evaluated on domain events and by a backfill,
manual grants, titles beside names, pages and Discourse-compatible API routes."""

from __future__ import annotations

from flask import Flask
from flask_login import current_user
from markupsafe import Markup


def init_app(app: Flask) -> None:
    """Register the pages, the template helpers and the domain-event receivers."""
    from forum.reputation.badges.receivers import register_receivers
    from forum.reputation.badges.views import bp

    app.register_blueprint(bp)
    app.jinja_env.globals.update(user_title=user_title, badges_of=badges_of,
                                 badge_title_choices=badge_title_choices)
    register_receivers()


def user_title(user) -> Markup:
    """The member's chosen title beside their name (an empty string when none)."""
    from forum.reputation.badges.queries import title_of

    title = title_of(user) if user is not None else ""
    return Markup(' <span class="user-title">%s</span>') % title if title else Markup("")


def badges_of(user) -> list:
    from forum.reputation.badges.queries import member_badges

    return member_badges(user, current_user)


def badge_title_choices(user) -> list:
    from forum.reputation.badges.definitions import BY_SLUG
    from forum.reputation.badges.queries import BadgeView
    from forum.reputation.badges.services import title_choices

    return [BadgeView(BY_SLUG[b.slug], b) for b in title_choices(user) if b.slug in BY_SLUG]
