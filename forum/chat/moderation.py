"""Chat moderation: close and reopen a channel, slow mode, silence a member in one channel, and
the staff-log entries for a moderator deleting or restoring someone's message.

Every action asks forum.permissions, is recorded in the staff log (forum.moderation.audit),
queues the live "channel_updated" broadcast where the channel changed, and leaves the commit
to its caller.
"""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from forum import permissions
from forum.chat import channels
from forum.chat.serializers import channel_data
from forum.errors import DomainError
from forum.extensions import db
from forum.models import ChatChannel, ChatMembership, ChatMessage, User, utcnow
from forum.moderation import audit
from forum.notifications.services import KIND_CHAT_SILENCED, notify
from forum.realtime import (
    CHAT_NAMESPACE,
    EVENT_CHAT_CHANNEL_UPDATED,
    emit_after_commit,
    room_for_channel,
)

# The durations the silence form offers, in minutes (the service accepts any in range).
SILENCE_CHOICES = {
    10: _l("10 minutes"), 60: _l("1 hour"), 24 * 60: _l("1 day"), 7 * 24 * 60: _l("1 week"),
    30 * 24 * 60: _l("30 days"),
}
MAX_SILENCE_MINUTES = 365 * 24 * 60
REASON_MAX_LENGTH = 500
# Slow mode choices the tools offer, in seconds (0: off).
SLOW_MODE_CHOICES = (0, 10, 30, 60, 300, 900)


def close_channel(channel: ChatChannel, *, actor: User) -> ChatChannel:
    """Make the channel read-only for all but its moderators (twice is harmless)."""
    return _set_closed(channel, actor, True)


def reopen_channel(channel: ChatChannel, *, actor: User) -> ChatChannel:
    """Let members write in a closed channel again."""
    return _set_closed(channel, actor, False)


def set_slow_mode(channel: ChatChannel, *, actor: User, seconds) -> ChatChannel:
    """One message per `seconds` for each member (0 turns it off); logged and broadcast."""
    _require_moderator(actor, channel)
    before = channel.slow_mode_seconds
    channels.set_slow_mode(channel, actor=actor, seconds=seconds)
    if before != channel.slow_mode_seconds:
        audit.record(audit.CHAT_SLOW_MODE, actor=actor, target=channel,
                     before={"seconds": before}, after={"seconds": channel.slow_mode_seconds})
        broadcast_channel(channel)
    return channel


def silence_member(channel: ChatChannel, *, actor: User, target: User | None, minutes,
                   reason="") -> ChatMembership:
    """Silence the member in this channel for `minutes`; they are told why and until when."""
    _require_moderator(actor, channel)
    # A silence creates a membership row, which must never open a private channel to anyone.
    if target is None or target.deleted_at is not None \
            or not permissions.can_view_channel(target, channel):
        raise DomainError(_("There is no member with this name in this channel."),
                          field="username")
    if not permissions.can_silence_in_channel(actor, channel, target):
        raise DomainError(_("You cannot silence this member here."), status_code=403,
                          field="username")
    minutes = _valid_minutes(minutes)
    reason = _valid_reason(reason)
    membership = _membership(channel, target)
    before = membership.silenced_until
    membership.silenced_until = utcnow() + timedelta(minutes=minutes)
    audit.record(audit.CHAT_SILENCE, actor=actor, target=target, reason=reason,
                 category=channel.category,
                 before={"channel_id": channel.id, "until": _iso(before)},
                 after={"channel_id": channel.id, "until": _iso(membership.silenced_until)})
    notify(target, KIND_CHAT_SILENCED, data={
        "channel_id": channel.id, "until": _iso(membership.silenced_until), "reason": reason})
    db.session.flush()
    return membership


def unsilence_member(channel: ChatChannel, *, actor: User, target: User | None) -> bool:
    """Lift the member's silence in this channel; False when they were not silenced."""
    _require_moderator(actor, channel)
    membership = permissions.membership_of(target, channel) if target is not None else None
    if membership is None or not membership.is_silenced:
        return False
    before = membership.silenced_until
    membership.silenced_until = None
    audit.record(audit.CHAT_UNSILENCE, actor=actor, target=target, category=channel.category,
                 before={"channel_id": channel.id, "until": _iso(before)},
                 after={"channel_id": channel.id, "until": None})
    db.session.flush()
    return True


def silenced_members(channel: ChatChannel) -> list[ChatMembership]:
    """The channel's memberships with a silence still running, soonest end first."""
    return sorted((m for m in channel.memberships if m.is_silenced),
                  key=lambda m: m.silenced_until)


def record_message_moderation(message: ChatMessage, *, actor: User, deleted: bool) -> None:
    """A moderator deleting or restoring someone else's message leaves a staff-log entry
    (an author deleting their own message is no moderation)."""
    if actor is None or message.user_id == actor.id:
        return
    audit.record(audit.CHAT_MESSAGE_DELETE if deleted else audit.CHAT_MESSAGE_RESTORE,
                 actor=actor, target=message, before={"deleted": not deleted},
                 after={"deleted": deleted})


def broadcast_channel(channel: ChatChannel) -> None:
    """Tell the channel's open pages that it changed (after commit)."""
    emit_after_commit(db.session, EVENT_CHAT_CHANNEL_UPDATED, channel_data(channel),
                      room=room_for_channel(channel.id), namespace=CHAT_NAMESPACE)


# --- helpers ----------------------------------------------------------------------------------

def _set_closed(channel: ChatChannel, actor: User, closed: bool) -> ChatChannel:
    _require_moderator(actor, channel)
    if channel.is_closed == closed:
        return channel
    channels.set_channel_closed(channel, actor=actor, closed=closed)
    audit.record(audit.CHAT_CLOSE if closed else audit.CHAT_REOPEN, actor=actor, target=channel,
                 before={"closed": not closed}, after={"closed": closed})
    broadcast_channel(channel)
    return channel


def _require_moderator(actor: User, channel: ChatChannel) -> None:
    if not permissions.can_view_channel(actor, channel):
        raise DomainError(_("This channel does not exist or is not available to you."),
                          status_code=404)
    if not permissions.can_moderate_channel(actor, channel):
        raise DomainError(_("You cannot moderate this channel."), status_code=403)


def _membership(channel: ChatChannel, user: User) -> ChatMembership:
    """The member's row; a silence may reach someone who never joined (it waits for them)."""
    membership = permissions.membership_of(user, channel)
    if membership is None:
        membership = ChatMembership(user_id=user.id, is_following=False,
                                    last_read_message_id=channel.last_message_id)
        membership.user = user
        channel.memberships.append(membership)
    return membership


def _valid_minutes(value) -> int:
    try:
        minutes = int(value)
    except (TypeError, ValueError):
        minutes = 0
    if isinstance(value, bool) or not 1 <= minutes <= MAX_SILENCE_MINUTES:
        raise DomainError(_("Choose how long the silence lasts: from 1 minute to 365 days."),
                          field="minutes")
    return minutes


def _valid_reason(reason) -> str:
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        raise DomainError(_("Give a reason; the member will see it."), field="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise DomainError(_("The reason is too long: at most %(n)d characters.",
                            n=REASON_MAX_LENGTH), field="reason")
    return reason


def _iso(moment) -> str | None:
    return moment.isoformat() if moment is not None else None
