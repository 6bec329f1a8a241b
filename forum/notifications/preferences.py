"""How each notification kind reaches a member: in the app, also by e-mail, or not at all.

Kinds are grouped as the preferences page shows them (a chat mention is a mention); kinds
outside CONFIGURABLE (sanctions, review outcomes) always arrive in the app.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from forum.extensions import db
from forum.models import DIGEST_FREQUENCIES, DIGEST_OFF, User, UserOption
from forum.notifications import kinds as k

CHANNEL_APP, CHANNEL_EMAIL, CHANNEL_OFF = "app", "email", "off"
CHANNELS = (CHANNEL_APP, CHANNEL_EMAIL, CHANNEL_OFF)

# Preference key → (label, default channel); ordered as on the page.
CONFIGURABLE = {
    "replied": (_l("Replies to your posts and topics"), CHANNEL_EMAIL),
    "mentioned": (_l("Mentions of you (in posts and chat)"), CHANNEL_EMAIL),
    "quoted": (_l("Quotes of your posts"), CHANNEL_EMAIL),
    "liked": (_l("Likes on your posts"), CHANNEL_APP),
    "posted": (_l("New posts in topics you watch"), CHANNEL_APP),
    "watching_first_post": (_l("New topics in categories you watch"), CHANNEL_APP),
    "chat_invited": (_l("Invitations to chat channels and seminars"), CHANNEL_EMAIL),
    "badge_granted": (_l("Badges you earn"), CHANNEL_APP),
    "trust_level_promoted": (_l("Trust levels you reach"), CHANNEL_APP),
    "moderator_action": (_l("Moderator actions on your content"), CHANNEL_EMAIL),
    "bookmark_reminder": (_l("Bookmark reminders"), CHANNEL_EMAIL),
}

_KEY_OF_KIND = {
    k.KIND_REPLIED: "replied", k.KIND_MENTIONED: "mentioned", k.KIND_CHAT_MENTION: "mentioned",
    k.KIND_QUOTED: "quoted", k.KIND_LIKED: "liked", k.KIND_POSTED: "posted",
    k.KIND_WATCHING_FIRST_POST: "watching_first_post", k.KIND_CHAT_INVITED: "chat_invited",
    k.KIND_BADGE_GRANTED: "badge_granted",
    k.KIND_TRUST_LEVEL_PROMOTED: "trust_level_promoted",
    k.KIND_MODERATOR_ACTION: "moderator_action", k.KIND_BOOKMARK_REMINDER: "bookmark_reminder",
}


def preference_key(kind: str) -> str | None:
    """The preference a kind obeys (None: not configurable)."""
    return _KEY_OF_KIND.get(kind)


def options_of(user: User) -> UserOption | None:
    return db.session.get(UserOption, user.id)


def channel_from(options: UserOption | None, kind: str) -> str:
    """The channel for one kind given the member's stored options (pure: unit-tested)."""
    key = preference_key(kind)
    if key is None:
        return CHANNEL_APP
    stored = (options.notification_channels or {}) if options is not None else {}
    value = stored.get(key) if isinstance(stored, dict) else None
    return value if value in CHANNELS else CONFIGURABLE[key][1]


def channel_for(user: User, kind: str) -> str:
    return channel_from(options_of(user), kind)


def ensure_options(user: User) -> UserOption:
    options = options_of(user)
    if options is None:
        options = UserOption(user_id=user.id, notification_channels={})
        db.session.add(options)
        db.session.flush()
    return options


def update_preferences(user: User, *, channels: dict[str, str], email_delay_minutes: int,
                       digest_frequency: str) -> UserOption:
    """Save the member's choices; unknown keys and values are ignored, the delay is bounded.
    Choosing to receive e-mail again lifts a one-click unsubscribe."""
    options = ensure_options(user)
    options.notification_channels = {key: value for key, value in channels.items()
                                     if key in CONFIGURABLE and value in CHANNELS}
    options.email_delay_minutes = min(max(int(email_delay_minutes), 0), 24 * 60)
    if digest_frequency in DIGEST_FREQUENCIES:
        options.digest_frequency = digest_frequency
    options.email_unsubscribed = False
    db.session.flush()
    return options


def unsubscribe_member(user: User, *, scope: str) -> UserOption:
    """The one-click unsubscribe: the summary only ("digest") or every e-mail ("all")."""
    options = ensure_options(user)
    if scope == "digest":
        options.digest_frequency = DIGEST_OFF
    else:
        options.email_unsubscribed = True
    db.session.flush()
    return options
