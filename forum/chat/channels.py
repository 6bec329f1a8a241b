"""Channel writes: create channels, seminar rooms and direct conversations; join, leave, invite.

Services ask forum.permissions, raise DomainError with a translated message, flush, and leave
the commit to their caller (view, socket handler, API route or CLI command).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from forum import permissions
from forum.errors import DomainError
from forum.extensions import db
from forum.models import (
    CHANNEL_CATEGORY,
    CHANNEL_DIRECT,
    CHANNEL_KINDS,
    CHANNEL_PRIVATE,
    CHANNEL_SEMINAR,
    Category,
    ChatChannel,
    ChatMembership,
    User,
)
from forum.notifications.kinds import KIND_CHAT_INVITED
from forum.notifications.services import notify
from forum.text import make_slug, normalise_title

NAME_MAX_LENGTH = 100
DESCRIPTION_MAX_LENGTH = 1000
# A direct conversation is between two or "a few" members.
MAX_DIRECT_PARTICIPANTS = 10


def create_channel(kind: str, *, actor: User, name, description="",
                   category: Category | None = None,
                   host: User | None = None, starts_at: datetime | None = None,
                   ends_at: datetime | None = None) -> ChatChannel:
    """Create a category, public or private channel, or a seminar room; the creator joins it."""
    if kind not in CHANNEL_KINDS or kind == CHANNEL_DIRECT:
        raise DomainError(_("Choose what kind of channel to create."), field="kind")
    if kind == CHANNEL_CATEGORY and category is None:
        raise DomainError(_("Choose the category this channel belongs to."), field="category_id")
    if not permissions.can_create_channel(actor, kind, category):
        if kind == CHANNEL_PRIVATE and permissions.may_write(actor):
            raise DomainError(permissions.trust_refusal(permissions.TL_MEMBER, _(
                "You cannot create private channels yet.")), status_code=403)
        raise DomainError(_("You cannot create this kind of channel."), status_code=403)
    channel = ChatChannel(kind=kind, created_by_id=actor.id,
                          category=category if kind == CHANNEL_CATEGORY else None)
    _apply_details(channel, name=name, description=description)
    if kind == CHANNEL_SEMINAR:
        _apply_schedule(channel, host=host or actor, starts_at=starts_at, ends_at=ends_at)
    db.session.add(channel)
    db.session.flush()
    _follow(channel, actor)
    if channel.host_id and channel.host_id != actor.id:
        _follow(channel, channel.host)
    return channel


def update_channel(channel: ChatChannel, *, actor: User, name, description="",
                   host: User | None = None, starts_at: datetime | None = None,
                   ends_at: datetime | None = None) -> ChatChannel:
    """Rename, describe and (for a seminar room) reschedule a channel."""
    if not permissions.can_edit_channel(actor, channel):
        raise DomainError(_("You cannot change this channel."), status_code=403)
    _apply_details(channel, name=name, description=description)
    if channel.kind == CHANNEL_SEMINAR:
        _apply_schedule(channel, host=host or channel.host or actor, starts_at=starts_at,
                        ends_at=ends_at)
    return channel


def open_direct_conversation(*, actor: User, others: list[User]) -> ChatChannel:
    """The direct conversation between the actor and these members: the existing one with
    exactly these participants, or a new one."""
    people = {u.id: u for u in [actor, *others] if u is not None and u.deleted_at is None}
    if len(people) < 2:
        raise DomainError(_("Choose at least one other member to write to."), field="usernames")
    if len(people) > MAX_DIRECT_PARTICIPANTS:
        raise DomainError(_("A conversation may have at most %(n)d participants.",
                            n=MAX_DIRECT_PARTICIPANTS), field="usernames")
    if not permissions.can_create_channel(actor, CHANNEL_DIRECT):
        raise DomainError(_("You cannot start conversations."), status_code=403)
    existing = _direct_between(set(people))
    if existing is not None:
        return existing
    channel = ChatChannel(kind=CHANNEL_DIRECT, created_by_id=actor.id, name="", slug="dm")
    db.session.add(channel)
    db.session.flush()
    for user in people.values():
        _follow(channel, user)
    return channel


def join_channel(channel: ChatChannel, *, user: User) -> ChatMembership:
    """Follow an open channel, or accept an invitation to a private one."""
    if not permissions.can_view_channel(user, channel):
        raise DomainError(_("This channel does not exist or is not available to you."),
                          status_code=404)
    if not permissions.can_join_channel(user, channel):
        raise DomainError(_("This channel is open by invitation only."), status_code=403)
    return _follow(channel, user)


def leave_channel(channel: ChatChannel, *, user: User) -> None:
    """Stop following a channel; a direct conversation or private channel can be re-joined
    only by a new invitation."""
    membership = permissions.membership_of(user, channel)
    if membership is None:
        return
    if channel.kind in (CHANNEL_DIRECT, CHANNEL_PRIVATE):
        channel.memberships.remove(membership)
        db.session.delete(membership)
    else:
        membership.is_following = False
    db.session.flush()


def invite_to_channel(channel: ChatChannel, *, actor: User, invitees: list[User]) -> list[User]:
    """Give members a place in the channel (they see it among their channels); returns those
    newly invited."""
    if not permissions.can_invite_to_channel(actor, channel):
        raise DomainError(_("You cannot invite people to this channel."), status_code=403)
    if channel.kind == CHANNEL_DIRECT and \
            len(channel.memberships) + len(invitees) > MAX_DIRECT_PARTICIPANTS:
        raise DomainError(_("A conversation may have at most %(n)d participants.",
                            n=MAX_DIRECT_PARTICIPANTS), field="usernames")
    added = []
    for user in invitees:
        if user is None or user.deleted_at is not None \
                or permissions.membership_of(user, channel) is not None:
            continue
        membership = _follow(channel, user)
        membership.is_invited = True
        added.append(user)
    db.session.flush()
    for user in added:
        if user.id != actor.id:
            notify(user, KIND_CHAT_INVITED, data={
                "channel_id": channel.id, "by": actor.username,
                "seminar": channel.kind == CHANNEL_SEMINAR})
    return added


def set_channel_closed(channel: ChatChannel, *, actor: User, closed: bool) -> ChatChannel:
    """Close a channel (read-only for everyone but its moderators) or open it again."""
    if not permissions.can_moderate_channel(actor, channel):
        raise DomainError(_("You cannot moderate this channel."), status_code=403)
    channel.is_closed = bool(closed)
    return channel


def set_slow_mode(channel: ChatChannel, *, actor: User, seconds) -> ChatChannel:
    """One message per `seconds` for each member (0 turns slow mode off)."""
    if not permissions.can_moderate_channel(actor, channel):
        raise DomainError(_("You cannot moderate this channel."), status_code=403)
    if not isinstance(seconds, int) or isinstance(seconds, bool) or not 0 <= seconds <= 86400:
        raise DomainError(_("Slow mode is a number of seconds from 0 to 86400."),
                          field="seconds")
    channel.slow_mode_seconds = seconds
    return channel


def direct_title(channel: ChatChannel, viewer) -> str:
    """A direct conversation is named after the other participants."""
    names = [m.user.display_name for m in channel.memberships
             if m.user is not None and (viewer is None or m.user_id != getattr(viewer, "id", None))]
    return ", ".join(sorted(names)) or _("Conversation")


# --- helpers ----------------------------------------------------------------------------------

def _follow(channel: ChatChannel, user: User) -> ChatMembership:
    membership = permissions.membership_of(user, channel)
    if membership is None:
        membership = ChatMembership(user_id=user.id, last_read_message_id=channel.last_message_id)
        membership.user = user
        channel.memberships.append(membership)
    membership.is_following = True
    db.session.flush()
    return membership


def _apply_details(channel: ChatChannel, *, name, description) -> None:
    name = normalise_title(name) if isinstance(name, str) else ""
    if not name:
        raise DomainError(_("Give the channel a name."), field="name")
    if len(name) > NAME_MAX_LENGTH:
        raise DomainError(_("The name is too long: at most %(n)d characters.",
                            n=NAME_MAX_LENGTH), field="name")
    description = description.strip() if isinstance(description, str) else ""
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise DomainError(_("The description is too long: at most %(n)d characters.",
                            n=DESCRIPTION_MAX_LENGTH), field="description")
    channel.name, channel.slug, channel.description = name, make_slug(name), description


def _apply_schedule(channel: ChatChannel, *, host: User, starts_at, ends_at) -> None:
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        raise DomainError(_("The seminar must end after it starts."), field="ends_at")
    channel.host = host
    channel.host_id = host.id if host is not None else None
    channel.starts_at, channel.ends_at = starts_at, ends_at


def _direct_between(user_ids: set[int]) -> ChatChannel | None:
    """The direct conversation whose participants are exactly user_ids, if there is one."""
    candidates = select(ChatMembership.channel_id).join(ChatChannel).where(
        ChatChannel.kind == CHANNEL_DIRECT, ChatChannel.deleted_at.is_(None),
    ).group_by(ChatMembership.channel_id).having(
        func.count(ChatMembership.id) == len(user_ids),
        func.sum(ChatMembership.user_id.in_(user_ids).cast(db.Integer)) == len(user_ids),
    )
    channel_id = db.session.scalar(candidates.limit(1))
    return db.session.get(ChatChannel, channel_id) if channel_id else None

