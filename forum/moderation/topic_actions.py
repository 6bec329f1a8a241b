"""Topic and post moderation: pin, banner, close, archive, unlist, slow mode; hide and unhide.

Each service asks forum.permissions, changes nothing when the topic is already in the asked-for
state (and then logs nothing), records one staff-log entry with before/after otherwise, and
tells the author when a moderator acted on their content. Services flush; callers commit.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from forum import permissions
from forum.errors import DomainError
from forum.extensions import db
from forum.generation_memo import remembered
from forum.models import HIDDEN_BY_MODERATOR, Post, Topic, User, utcnow
from forum.moderation import audit
from forum.notifications.services import KIND_MODERATOR_ACTION, notify

MAX_REASON_LENGTH = 500
# Slow mode in whole minutes, up to a week: longer would simply be closing the topic.
MAX_SLOW_MODE_MINUTES = 7 * 24 * 60


def require_moderator(actor: User, topic: Topic) -> None:
    """404 for a topic the actor cannot see, 403 with a message when they may not moderate it."""
    permissions.require(permissions.can_view_topic(actor, topic), hide=True)
    if not permissions.can_moderate_topic(actor, topic):
        raise DomainError(_("You cannot moderate this topic."), status_code=403)


def tell_author(author: User | None, *, actor: User, action: str, topic: Topic,
                post_number: int | None = None, reason: str = "") -> None:
    """Notify the author that a moderator acted on their content (never oneself)."""
    if author is None or author.id == actor.id:
        return
    notify(author, KIND_MODERATOR_ACTION, topic=topic, post_number=post_number,
           data={"action": action, "title": topic.title, "reason": reason,
                 "actor": actor.username})


def clean_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON_LENGTH:
        raise DomainError(_("The reason is too long: at most %(n)d characters.",
                            n=MAX_REASON_LENGTH), field="reason")
    return reason


# --- pins and the banner ----------------------------------------------------------------------

def pin_topic(topic: Topic, *, actor: User, globally: bool = False,
              until: datetime | None = None) -> bool:
    """Pin the topic in its category (or across the forum, staff only), optionally until a date.

    Besides the topic's moderators, a leader (TL4) active in the category pins there."""
    _require_pinner(actor, topic)
    if (globally or topic.is_pinned_globally) and not permissions.can_pin_globally(actor):
        raise DomainError(_("Only staff can pin topics across the whole forum."),
                          status_code=403)
    if until is not None and until <= utcnow():
        raise DomainError(_("Choose a date in the future."), field="until")
    if topic.is_pinned and topic.is_pinned_globally == globally and topic.pinned_until == until:
        return False
    before = _pin_state(topic)
    if not topic.is_pinned:
        topic.pinned_at = utcnow()
    topic.is_pinned_globally, topic.pinned_until = globally, until
    audit.record(audit.TOPIC_PIN, actor=actor, target=topic, before=before,
                 after=_pin_state(topic))
    db.session.flush()
    return True


def unpin_topic(topic: Topic, *, actor: User) -> bool:
    """Unpin the topic (a lapsed pin is already no pin: then nothing is logged)."""
    _require_pinner(actor, topic)
    if topic.is_pinned_globally and not permissions.can_pin_globally(actor):
        raise DomainError(_("Only staff can unpin a topic pinned across the whole forum."),
                          status_code=403)
    was_pinned, before = topic.is_pinned, _pin_state(topic)
    topic.pinned_at, topic.pinned_until, topic.is_pinned_globally = None, None, False
    if was_pinned:
        audit.record(audit.TOPIC_UNPIN, actor=actor, target=topic, before=before,
                     after=_pin_state(topic))
    db.session.flush()
    return was_pinned


def _require_pinner(actor: User, topic: Topic) -> None:
    permissions.require(permissions.can_view_topic(actor, topic), hide=True)
    if not permissions.can_pin_topic(actor, topic):
        raise DomainError(permissions.trust_refusal(
            permissions.TL_LEADER, _("You cannot pin topics in this category.")),
            status_code=403)


def _pin_state(topic: Topic) -> dict:
    until = topic.pinned_until.isoformat() if topic.pinned_until and topic.is_pinned else None
    return {"pinned": topic.is_pinned, "globally": topic.is_pinned and topic.is_pinned_globally,
            "until": until}


def current_banner() -> Topic | None:
    """The live banner topic, if any (every page asks: its id is kept per content generation,
    which any change to a topic bumps, so mostly no query at all)."""
    topic_id = remembered("banner-topic-id", lambda: db.session.scalar(
        select(Topic.id).where(Topic.is_banner.is_(True), Topic.deleted_at.is_(None)).limit(1)))
    return None if topic_id is None else db.session.get(Topic, topic_id)


def make_banner(topic: Topic, *, actor: User) -> bool:
    """Make the topic the site banner (staff only); the previous banner stops being one."""
    permissions.require(permissions.can_view_topic(actor, topic), hide=True)
    if not permissions.can_set_banner(actor):
        raise DomainError(_("Only staff can choose the site banner."), status_code=403)
    if topic.deleted_at is not None:
        raise DomainError(_("A deleted topic cannot be the banner."))
    if topic.is_banner:
        return False
    previous = db.session.scalars(select(Topic).where(Topic.is_banner.is_(True))).all()
    for old in previous:
        old.is_banner = False
    topic.is_banner = True
    audit.record(audit.TOPIC_BANNER, actor=actor, target=topic,
                 before={"banner_topic_id": previous[0].id if previous else None},
                 after={"banner_topic_id": topic.id})
    db.session.flush()
    return True


def remove_banner(topic: Topic, *, actor: User) -> bool:
    """Stop showing the topic as the site banner (staff only)."""
    permissions.require(permissions.can_view_topic(actor, topic), hide=True)
    if not permissions.can_set_banner(actor):
        raise DomainError(_("Only staff can choose the site banner."), status_code=403)
    if not topic.is_banner:
        return False
    topic.is_banner = False
    audit.record(audit.TOPIC_UNBANNER, actor=actor, target=topic,
                 before={"banner_topic_id": topic.id}, after={"banner_topic_id": None})
    db.session.flush()
    return True


def dismiss_banner(user: User, topic: Topic) -> None:
    """The member has read the banner: it stays hidden for them until another one is chosen."""
    permissions.require(permissions.is_signed_in(user))
    user.dismissed_banner_topic_id = topic.id
    db.session.flush()


# --- status flags ------------------------------------------------------------------------------

def close_topic(topic: Topic, *, actor: User, reason: str = "") -> bool:
    """Close the topic: only its moderators may still reply."""
    require_moderator(actor, topic)
    reason = clean_reason(reason)
    if topic.is_closed:
        return False
    topic.is_closed = True
    audit.record(audit.TOPIC_CLOSE, actor=actor, target=topic, reason=reason,
                 before={"closed": False}, after={"closed": True})
    tell_author(topic.user, actor=actor, action=audit.TOPIC_CLOSE, topic=topic, reason=reason)
    db.session.flush()
    return True


def open_topic(topic: Topic, *, actor: User) -> bool:
    """Reopen a closed topic."""
    return _set_flag(topic, actor, "is_closed", False, audit.TOPIC_OPEN, "closed")


def archive_topic(topic: Topic, *, actor: User) -> bool:
    """Archive the topic: read-only for everyone and out of the lists' default view."""
    return _set_flag(topic, actor, "is_archived", True, audit.TOPIC_ARCHIVE, "archived")


def unarchive_topic(topic: Topic, *, actor: User) -> bool:
    return _set_flag(topic, actor, "is_archived", False, audit.TOPIC_UNARCHIVE, "archived")


def unlist_topic(topic: Topic, *, actor: User) -> bool:
    """Take the topic out of every list: it stays reachable by its link."""
    return _set_flag(topic, actor, "is_visible", False, audit.TOPIC_UNLIST, "listed")


def list_topic(topic: Topic, *, actor: User) -> bool:
    return _set_flag(topic, actor, "is_visible", True, audit.TOPIC_LIST, "listed")


def _set_flag(topic: Topic, actor: User, attribute: str, value: bool, action: str,
              label: str) -> bool:
    require_moderator(actor, topic)
    if getattr(topic, attribute) == value:
        return False
    setattr(topic, attribute, value)
    # The log names the state ("listed"), not the column (is_visible): readable for people.
    audit.record(action, actor=actor, target=topic, before={label: not value},
                 after={label: value})
    db.session.flush()
    return True


def set_slow_mode(topic: Topic, *, actor: User, minutes: int) -> bool:
    """Let each member reply in the topic at most once per `minutes` (0 turns slow mode off)."""
    require_moderator(actor, topic)
    if minutes is None or not 0 <= minutes <= MAX_SLOW_MODE_MINUTES:
        raise DomainError(_("Slow mode takes 0 to %(n)d minutes.", n=MAX_SLOW_MODE_MINUTES),
                          field="minutes")
    seconds = minutes * 60
    if topic.slow_mode_seconds == seconds:
        return False
    before = topic.slow_mode_seconds
    topic.slow_mode_seconds = seconds
    audit.record(audit.TOPIC_SLOW_MODE, actor=actor, target=topic,
                 before={"slow_mode_seconds": before}, after={"slow_mode_seconds": seconds})
    db.session.flush()
    return True


def slow_mode_wait(topic: Topic, user: User) -> int:
    """Seconds the member must still wait before replying here (0: may reply now)."""
    if not topic.slow_mode_seconds or permissions.is_exempt_from_slow_mode(user, topic):
        return 0
    last = db.session.scalar(select(Post.created_at).where(
        Post.topic_id == topic.id, Post.user_id == user.id)
        .order_by(Post.created_at.desc()).limit(1))
    if last is None:
        return 0
    elapsed = (utcnow() - last).total_seconds()
    return max(int(topic.slow_mode_seconds - elapsed + 0.999), 0)


# --- posts -------------------------------------------------------------------------------------

def hide_post(post: Post, *, actor: User, reason: str = "") -> bool:
    """Hide a post by a moderator's decision: readers see a placeholder, the author a notice."""
    require_moderator(actor, post.topic)
    reason = clean_reason(reason)
    if not permissions.can_hide_post(actor, post):
        raise DomainError(_("A deleted post cannot be hidden."))
    if post.hidden_reason == HIDDEN_BY_MODERATOR and post.is_hidden:
        return False
    before = {"hidden": post.is_hidden, "hidden_reason": post.hidden_reason}
    post.hidden_at, post.hidden_reason = utcnow(), HIDDEN_BY_MODERATOR
    audit.record(audit.POST_HIDE, actor=actor, target=post, reason=reason, before=before,
                 after={"hidden": True, "hidden_reason": HIDDEN_BY_MODERATOR})
    tell_author(post.user, actor=actor, action=audit.POST_HIDE, topic=post.topic,
                post_number=post.post_number, reason=reason)
    db.session.flush()
    return True


def unhide_post(post: Post, *, actor: User) -> bool:
    """Show a hidden post to everyone again, whatever hid it."""
    require_moderator(actor, post.topic)
    if not post.is_hidden:
        return False
    before = {"hidden": True, "hidden_reason": post.hidden_reason}
    post.hidden_at, post.hidden_reason = None, None
    audit.record(audit.POST_UNHIDE, actor=actor, target=post, before=before,
                 after={"hidden": False, "hidden_reason": None})
    db.session.flush()
    return True
