"""Names for what the honour pages show: ledger kinds, badges and figures, in the reader's language.

Badge names and descriptions are declared with their rules by the badge engine
(forum.reputation.badges); until it is installed a badge shows under its slug.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# Ledger kinds the reputation services write; an unknown kind shows as written.
LEDGER_KINDS = {
    "like_received": _l("Likes received"),
    "like_given": _l("Likes given"),
    "reply_helpful": _l("Replies marked helpful"),
    "helpful_reply": _l("Replies marked helpful"),
    "post_removed": _l("Posts removed by moderators"),
    "badge": _l("Badges"),
    "badge_granted": _l("Badges"),
    "seminar": _l("Seminars attended"),
    "seminar_participation": _l("Seminars attended"),
    "seminar_hosted": _l("Seminars hosted"),
    "resource_recommended": _l("Materials recommended by experts"),
}

FIGURES = {
    "reputation": _l("Reputation"),
    "likes_received": _l("Likes received"),
    "likes_given": _l("Likes given"),
    "topic_count": _l("Topics"),
    "post_count": _l("Posts"),
    "materials": _l("Materials shared"),
    "reviews": _l("Expert reviews given"),
    "days_visited": _l("Days visited"),
    "posts_read": _l("Posts read"),
}

TIERS = {"bronze": _l("Bronze"), "silver": _l("Silver"), "gold": _l("Gold")}


def ledger_kind(kind: str) -> str:
    return str(LEDGER_KINDS.get(kind, kind.replace("_", " ")))


def _definition(badge):
    try:
        from forum.reputation.badges.engine import definition_of
    except ImportError:  # the badge engine is not installed
        return None
    return definition_of(badge)


def badge_name(badge) -> str:
    """The badge's translated name from its declaration, else its slug made readable."""
    definition = _definition(badge)
    name = getattr(definition, "name", None)
    return str(name) if name else badge.slug.replace("-", " ").replace("_", " ").capitalize()


def badge_description(badge) -> str:
    definition = _definition(badge)
    description = getattr(definition, "description", None)
    return str(description) if description else ""
