"""Reads for the chat pages: a channel's page of history with its cursors and new-messages
marker, members looked up by username, and where a message sits in its channel's pages."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from forum import permissions
from forum.chat.queries import channel_messages
from forum.extensions import db
from forum.models import ChatChannel, ChatMembership, ChatMessage, User
from forum.text import fold


@dataclass
class ChannelPage:
    """One page of a channel, oldest first, as the plain page and the script's start show it."""

    messages: list[ChatMessage]
    has_older: bool  # an "older messages" link (?before=<first id>)
    is_latest: bool  # the newest messages are on this page (else a "newest" link)
    marker_id: int | None  # the first message the member has not read yet
    membership: ChatMembership | None

    @property
    def first_id(self) -> int | None:
        return self.messages[0].id if self.messages else None

    @property
    def newest_id(self) -> int | None:
        return self.messages[-1].id if self.messages else None


def channel_page(channel: ChatChannel, viewer, *, before_id: int | None = None) -> ChannelPage:
    """The page of messages before `before_id` (the newest page without it): one query for
    the messages and their authors, reactions and replies, whatever the channel's size."""
    size = current_app.config["CHAT_HISTORY_PAGE_SIZE"]
    rows = channel_messages(channel, before_id=before_id, limit=size + 1)
    has_older = len(rows) > size
    rows = rows[1:] if has_older else rows
    newest = channel.last_message_id or 0
    is_latest = before_id is None or not rows or rows[-1].id >= newest
    membership = permissions.membership_of(viewer, channel)
    return ChannelPage(rows, has_older, is_latest, _marker(rows, membership, viewer), membership)


def _marker(rows: list[ChatMessage], membership: ChatMembership | None, viewer) -> int | None:
    """Messages by others after the member's read position start with a marker."""
    if membership is None:
        return None
    last_read = membership.last_read_message_id or 0
    return next((m.id for m in rows if m.id > last_read and m.user_id != viewer.id), None)


def users_named(names: list[str]) -> tuple[list[User], list[str]]:
    """The live accounts with these usernames (case-insensitive), and the names not found."""
    if not names:
        return [], []
    keys = {fold(name): name for name in names}
    found = list(db.session.scalars(select(User).where(User.username_lower.in_(keys),
                                                       User.deleted_at.is_(None))))
    known = {user.username_lower for user in found}
    return found, [name for key, name in keys.items() if key not in known]


def page_cursor_for(message: ChatMessage) -> int | None:
    """The ?before= cursor of the page that shows this message, or None when the channel's
    newest page does (so a link to it lands where the message is)."""
    size = current_app.config["CHAT_HISTORY_PAGE_SIZE"]
    newer = db.session.scalar(
        select(ChatMessage.id).where(ChatMessage.channel_id == message.channel_id,
                                     ChatMessage.id > message.id)
        .order_by(ChatMessage.id).offset(size - 1).limit(1))
    return None if newer is None else message.id + 1
