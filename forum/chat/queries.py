"""Chat reads: the channels a reader sees with unread counts, and a channel's history in pages
by message id (newest first, older ones by cursor), each a fixed number of queries."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import and_, func, select
from sqlalchemy.orm import selectinload

from forum import permissions
from forum.extensions import db
from forum.models import ChatChannel, ChatMembership, ChatMessage


def channel_list(viewer) -> list[tuple[ChatChannel, ChatMembership | None, int]]:
    """Every channel the viewer may see, with their membership and unread count, followed
    ones first, then by latest activity."""
    channels = db.session.scalars(
        select(ChatChannel).where(permissions.visible_channels(viewer))
        .options(selectinload(ChatChannel.memberships).selectinload(ChatMembership.user),
                 selectinload(ChatChannel.category), selectinload(ChatChannel.host))
        .order_by(ChatChannel.last_message_at.desc().nulls_last(), ChatChannel.id.desc())
    ).all()
    unread = unread_counts(viewer)
    rows = [(c, permissions.membership_of(viewer, c), unread.get(c.id, 0)) for c in channels]
    rows.sort(key=lambda row: not (row[1] is not None and row[1].is_following))
    return rows


def unread_counts(viewer) -> dict[int, int]:
    """Messages after the viewer's read position in each channel they follow (others' only)."""
    if not permissions.is_signed_in(viewer):
        return {}
    query = (
        select(ChatMembership.channel_id, func.count(ChatMessage.id))
        .join(ChatMessage, and_(
            ChatMessage.channel_id == ChatMembership.channel_id,
            ChatMessage.id > func.coalesce(ChatMembership.last_read_message_id, 0),
            ChatMessage.deleted_at.is_(None),
            ChatMessage.user_id != viewer.id,
        ))
        .where(ChatMembership.user_id == viewer.id, ChatMembership.is_following.is_(True))
        .group_by(ChatMembership.channel_id)
    )
    return dict(db.session.execute(query).all())


def channel_messages(channel: ChatChannel, *, before_id: int | None = None,
                     after_id: int | None = None, limit: int | None = None) -> list[ChatMessage]:
    """A page of the channel's messages in ascending id order: the newest `limit`, those
    before `before_id` (scrolling up), or every message after `after_id` (catching up after a
    reconnect, up to `limit`)."""
    limit = limit or current_app.config["CHAT_HISTORY_PAGE_SIZE"]
    query = select(ChatMessage).where(ChatMessage.channel_id == channel.id).options(
        selectinload(ChatMessage.user),
        selectinload(ChatMessage.reactions),
        selectinload(ChatMessage.reply_to).selectinload(ChatMessage.user),
    )
    if after_id is not None:
        query = query.where(ChatMessage.id > after_id).order_by(ChatMessage.id).limit(limit)
        return list(db.session.scalars(query))
    if before_id is not None:
        query = query.where(ChatMessage.id < before_id)
    messages = list(db.session.scalars(query.order_by(ChatMessage.id.desc()).limit(limit)))
    messages.reverse()
    return messages


def channel_by_id(channel_id) -> ChatChannel | None:
    """Load a channel by an id from a request, or None for a malformed id."""
    return db.session.get(ChatChannel, channel_id) if is_valid_id(channel_id) else None


def message_by_id(message_id) -> ChatMessage | None:
    """Load a message by an id from a request, or None for a malformed id."""
    return db.session.get(ChatMessage, message_id) if is_valid_id(message_id) else None


def is_valid_id(value) -> bool:
    """A positive integer that fits a database id (JSON payloads may carry anything)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63
