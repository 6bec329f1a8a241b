"""Rules for live chat: who sees, joins, writes in, moderates and invites to a channel, and who
edits, deletes, reacts to and flags a message."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import ColumnElement, and_, false, or_, select

from forum.models import (
    CHANNEL_CATEGORY,
    CHANNEL_DIRECT,
    CHANNEL_PRIVATE,
    CHANNEL_PUBLIC,
    CHANNEL_SEMINAR,
    OPEN_CHANNEL_KINDS,
    PERMISSION_REPLY,
    Category,
    ChatChannel,
    ChatMembership,
    ChatMessage,
    utcnow,
)
from forum.models.users import TEACHER_ROLES
from forum.permissions.content import can_moderate, can_view_category, category_access
from forum.permissions.filters import visible_categories
from forum.permissions.moderation import moderates_some_category
from forum.permissions.people import is_admin, is_global_moderator, is_signed_in, may_write
from forum.permissions.trust import may_create_private_channel, may_flag


def membership_of(user, channel: ChatChannel) -> ChatMembership | None:
    """The user's membership row in the channel, if any (memberships are loaded with it)."""
    if not is_signed_in(user):
        return None
    return next((m for m in channel.memberships if m.user_id == user.id), None)


# --- channels ---------------------------------------------------------------------------------

def can_view_channel(user, channel: ChatChannel) -> bool:
    """Category channels follow their category; public channels and seminar rooms are open to
    all, guests included; private channels to their members and moderators; direct
    conversations to their participants only."""
    if channel is None or channel.deleted_at is not None:
        return False
    if channel.kind == CHANNEL_CATEGORY:
        return channel.category is not None and can_view_category(user, channel.category)
    if channel.kind in (CHANNEL_PUBLIC, CHANNEL_SEMINAR):
        return True
    if channel.kind == CHANNEL_PRIVATE and is_global_moderator(user):
        return True
    return membership_of(user, channel) is not None


def can_moderate_channel(user, channel: ChatChannel) -> bool:
    """Global moderators moderate every channel but direct conversations; a category channel's
    subject moderators moderate it; a seminar room's host moderates that room."""
    if not is_signed_in(user) or channel.kind == CHANNEL_DIRECT:
        return False
    if is_global_moderator(user):
        return True
    if channel.kind == CHANNEL_CATEGORY and channel.category is not None:
        return can_moderate(user, channel.category)
    return channel.kind == CHANNEL_SEMINAR and channel.host_id == user.id


def can_join_channel(user, channel: ChatChannel) -> bool:
    """A signed-in reader joins open channels; private channels and direct conversations
    need an invitation (a membership row made by whoever invited them)."""
    if not is_signed_in(user) or not can_view_channel(user, channel):
        return False
    return channel.kind in OPEN_CHANNEL_KINDS or membership_of(user, channel) is not None


def seminar_phase(channel: ChatChannel, now=None) -> str | None:
    """"before", "live" or "after" for a seminar room (None for other channels)."""
    if channel.kind != CHANNEL_SEMINAR:
        return None
    now = now or utcnow()
    if channel.starts_at is not None and now < channel.starts_at:
        return "before"
    if channel.ends_at is not None and now >= channel.ends_at:
        return "after"
    return "live"


def can_send_message(user, channel: ChatChannel) -> bool:
    """An unsilenced reader who may write sends to a channel that is open for writing: not closed
    (moderators excepted), a seminar room only while live (its moderators also before the
    start; after the end it is an archive), a category channel only with reply permission
    there, and never while silenced in this channel."""
    if not may_write(user) or not can_view_channel(user, channel):
        return False
    moderator = can_moderate_channel(user, channel)
    membership = membership_of(user, channel)
    if membership is not None and membership.is_silenced and not moderator:
        return False
    if channel.kind == CHANNEL_SEMINAR:
        phase = seminar_phase(channel)
        if phase == "after" or (phase == "before" and not moderator):
            return False
    if channel.is_closed and not moderator:
        return False
    if channel.kind == CHANNEL_CATEGORY:
        access = category_access(user, channel.category)
        return access is not None and access <= PERMISSION_REPLY
    if channel.kind in (CHANNEL_PUBLIC, CHANNEL_SEMINAR):
        # Students and parents read the community's open rooms; teachers speak in them.
        return moderator or user.role in TEACHER_ROLES
    return True


def can_create_channel(user, kind: str, category: Category | None = None) -> bool:
    """Moderators create public and private channels and seminar rooms; members (TL2) and
    above create private channels too; a category's channel is created by whoever moderates
    the category; any member who may write starts a direct conversation."""
    if not may_write(user):
        return False
    if kind == CHANNEL_DIRECT:
        return True
    if kind == CHANNEL_CATEGORY:
        return category is not None and can_moderate(user, category)
    if kind == CHANNEL_PRIVATE and may_create_private_channel(user):
        return True
    return is_global_moderator(user) or moderates_some_category(user)


def can_edit_channel(user, channel: ChatChannel) -> bool:
    """Channel moderators rename, describe, reschedule, close and reopen a channel."""
    return can_moderate_channel(user, channel)


def can_delete_channel(user, channel: ChatChannel) -> bool:
    """Only admins delete a whole channel (its history goes with it from every list)."""
    return is_admin(user) and channel.kind != CHANNEL_DIRECT


def can_invite_to_channel(user, channel: ChatChannel) -> bool:
    """Channel moderators invite to any channel; participants add people to a direct
    conversation; whoever created a private channel invites to it while a member (TL2) and
    still in it; other members of a private channel cannot invite by themselves."""
    if not may_write(user) or not can_view_channel(user, channel):
        return False
    if channel.kind == CHANNEL_DIRECT:
        return membership_of(user, channel) is not None
    if (channel.kind == CHANNEL_PRIVATE and channel.created_by_id == user.id
            and may_create_private_channel(user) and membership_of(user, channel) is not None):
        return True
    return can_moderate_channel(user, channel)


def can_export_transcript(user, channel: ChatChannel) -> bool:
    """Whoever may read a channel may download its transcript."""
    return can_view_channel(user, channel)


# --- messages ---------------------------------------------------------------------------------

def can_view_message(user, message: ChatMessage) -> bool:
    """A message is readable with its channel; a deleted one shows only as a placeholder, its
    text to the channel's moderators and its author."""
    return can_view_channel(user, message.channel)


def can_view_deleted_message(user, message: ChatMessage) -> bool:
    """The text of a deleted message stays readable to its author and the channel's moderators."""
    return is_signed_in(user) and (message.user_id == user.id
                                   or can_moderate_channel(user, message.channel))


def can_edit_message(user, message: ChatMessage) -> bool:
    """The author edits within CHAT_EDIT_WINDOW_SECONDS while they may still send there;
    the channel's moderators edit any live message at any time."""
    if not is_signed_in(user) or message.deleted_at is not None:
        return False
    if can_moderate_channel(user, message.channel) and may_write(user):
        return True
    if message.user_id != user.id or not can_send_message(user, message.channel):
        return False
    window = timedelta(seconds=current_app.config["CHAT_EDIT_WINDOW_SECONDS"])
    return utcnow() - message.created_at <= window


def can_delete_message(user, message: ChatMessage) -> bool:
    """The author deletes their own live message; the channel's moderators any message."""
    if not is_signed_in(user) or message.deleted_at is not None:
        return False
    if can_moderate_channel(user, message.channel):
        return True
    return message.user_id == user.id and may_write(user) and can_view_channel(user,
                                                                             message.channel)


def can_restore_message(user, message: ChatMessage) -> bool:
    """The channel's moderators bring back a deleted message."""
    return message.deleted_at is not None and can_moderate_channel(user, message.channel)


def can_react_to_message(user, message: ChatMessage) -> bool:
    """Reacting is a small way of speaking: allowed where the user may send."""
    return message.deleted_at is None and can_send_message(user, message.channel)


def can_flag_message(user, message: ChatMessage) -> bool:
    """A basic member (TL1) or above who may write flags someone else's live message."""
    return (may_write(user) and may_flag(user) and message.deleted_at is None
            and message.user_id != user.id
            and can_view_channel(user, message.channel))


def can_review_chat_message(user, message: ChatMessage) -> bool:
    """Flags on a chat message are reviewed by staff (direct conversations included: a
    participant's flag brings the message to them) and, in a category channel, by that
    category's moderators."""
    if not is_signed_in(user):
        return False
    channel = message.channel
    if is_global_moderator(user):
        return True
    return (channel.kind == CHANNEL_CATEGORY and channel.category is not None
            and can_moderate(user, channel.category))


def can_silence_in_channel(user, channel: ChatChannel, target) -> bool:
    """Channel moderators silence members in their channel, never a fellow moderator of it."""
    return (can_moderate_channel(user, channel) and target.id != user.id
            and not can_moderate_channel(target, channel))


def can_move_messages(user, channel: ChatChannel) -> bool:
    """Channel moderators turn messages into a forum topic (the target is checked separately)."""
    return can_moderate_channel(user, channel)


def is_exempt_from_chat_limits(user, channel: ChatChannel) -> bool:
    """Channel moderators are not held to slow mode."""
    return can_moderate_channel(user, channel)


# --- SQL filter -------------------------------------------------------------------------------

def visible_channels(user) -> ColumnElement[bool]:
    """A filter on ChatChannel: the channels the user may see (see can_view_channel)."""
    readable_categories = select(Category.id).where(visible_categories(user))
    condition = or_(
        ChatChannel.kind.in_((CHANNEL_PUBLIC, CHANNEL_SEMINAR)),
        and_(ChatChannel.kind == CHANNEL_CATEGORY,
             ChatChannel.category_id.in_(readable_categories)),
    )
    if is_signed_in(user):
        mine = select(ChatMembership.channel_id).where(ChatMembership.user_id == user.id)
        condition = or_(condition, and_(ChatChannel.kind.in_((CHANNEL_PRIVATE, CHANNEL_DIRECT)),
                                        ChatChannel.id.in_(mine)))
        if is_global_moderator(user):
            condition = or_(condition, ChatChannel.kind == CHANNEL_PRIVATE)
    return and_(ChatChannel.deleted_at.is_(None), condition if condition is not None else false())

