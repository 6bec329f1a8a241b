"""What each trust level unlocks, and the refusal that names the level lifting a limit.

TL0 new (≤ trust_tl0_max_links links per post, tight daily topic and reply limits), TL1 basic
(may flag), TL2 member (may create private chat channels and invite to them), TL3 regular
(flags hide a post at once; retitles and recategorises topics), TL4 leader (pins topics in the
categories it is active in). Staff (admins and global moderators) hold every unlock. The
predicates elsewhere in forum.permissions call these; nothing else re-writes a level rule.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Post, Topic
from forum.permissions.people import is_admin, is_global_moderator, is_signed_in

TL_NEW, TL_BASIC, TL_MEMBER, TL_REGULAR, TL_LEADER = 0, 1, 2, 3, 4

LEVEL_NAMES = {
    TL_NEW: _l("new member"),
    TL_BASIC: _l("basic member"),
    TL_MEMBER: _l("member"),
    TL_REGULAR: _l("regular"),
    TL_LEADER: _l("leader"),
}

# Each level's unlocks, as the promotion notification and the profile explain them.
UNLOCKS = {
    TL_BASIC: (_l("flag posts that need a moderator's attention"),
               _l("post as many links as you need"),
               _l("post without the daily limits of new members")),
    TL_MEMBER: (_l("create private chat channels and invite colleagues to them"),),
    TL_REGULAR: (_l("your flags hide a post at once until a moderator looks"),
                 _l("retitle and recategorise topics")),
    TL_LEADER: (_l("pin topics in the categories where you are active"),),
}


def _setting(name: str) -> int:
    # forum.settings imports forum.permissions: read settings lazily.
    from forum.settings import get_setting
    return get_setting(name)


def trust_level_of(user) -> int:
    """The member's trust level; staff count as leaders, guests as new."""
    if not is_signed_in(user):
        return TL_NEW
    if is_global_moderator(user):
        return TL_LEADER
    return user.trust_level or TL_NEW


def has_trust_level(user, level: int) -> bool:
    """Signed in and at `level` or above (staff always are)."""
    return is_signed_in(user) and trust_level_of(user) >= level


def level_name(level: int) -> str:
    return str(LEVEL_NAMES.get(level, level))


def refusal(level: int, what: str) -> str:
    """«what» — and which trust level lifts the limit (the sentence every refusal ends with)."""
    if level >= TL_LEADER:
        return _("%(what)s Administrators grant trust level %(level)d («%(name)s») to "
                 "members who lead the community; it lifts this limit.",
                 what=what, level=level, name=level_name(level))
    return _("%(what)s Reaching trust level %(level)d («%(name)s») lifts this limit; it comes "
             "with reading and taking part in discussions.",
             what=what, level=level, name=level_name(level))


def can_change_trust_level(user, target) -> bool:
    """Admins set any live account's trust level (and grant TL4, which no activity reaches)."""
    return is_admin(user) and target.deleted_at is None


# --- limits on new members --------------------------------------------------------------------

def link_limit(user) -> int | None:
    """How many links one post of the user may hold (None: no limit): a limit for TL0 only."""
    return None if has_trust_level(user, TL_BASIC) else _setting("trust_tl0_max_links")


def daily_topic_limit(user) -> int | None:
    """New topics per day the user may open (None: no limit): TL0 only."""
    return None if has_trust_level(user, TL_BASIC) else _setting("trust_tl0_topics_per_day")


def daily_reply_limit(user) -> int | None:
    """Replies per day the user may post (None: no limit): TL0 only."""
    return None if has_trust_level(user, TL_BASIC) else _setting("trust_tl0_replies_per_day")


# --- unlocks ----------------------------------------------------------------------------------

def may_flag(user) -> bool:
    """Flagging is for basic members (TL1) and above."""
    return has_trust_level(user, TL_BASIC)


def flag_hides_at_once(user) -> bool:
    """A regular's (TL3) flag hides the post until a moderator reviews it."""
    return has_trust_level(user, TL_REGULAR)


def may_create_private_channel(user) -> bool:
    """Members (TL2) create private chat channels."""
    return has_trust_level(user, TL_MEMBER)


def may_retitle_topics(user) -> bool:
    """Regulars (TL3) fix titles and categories of topics they can reply to."""
    return has_trust_level(user, TL_REGULAR)


def is_active_leader_in(user, category) -> bool:
    """A leader (TL4 granted by admins) with at least trust_tl4_active_posts live posts in the
    category (or its subcategories) is active there."""
    if not is_signed_in(user) or (user.trust_level or 0) < TL_LEADER or category is None:
        return False
    category_ids = [category.id] + [c.id for c in getattr(category, "children", []) or []]
    needed = _setting("trust_tl4_active_posts")
    found = db.session.scalar(
        select(func.count()).select_from(
            select(Post.id).join(Topic, Topic.id == Post.topic_id)
            .where(Post.user_id == user.id, Post.deleted_at.is_(None),
                   Topic.deleted_at.is_(None), Topic.category_id.in_(category_ids))
            .limit(needed).subquery()))
    return found >= needed
