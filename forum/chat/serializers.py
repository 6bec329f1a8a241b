"""Chat messages and channels as plain dicts: the one shape that sockets, the JSON API and the
page's script share. Nothing here depends on who reads it, so one broadcast serves a room."""

from __future__ import annotations

from forum.markup import plain_text_excerpt
from forum.models import ChatChannel, ChatMessage

REPLY_EXCERPT_LENGTH = 120


def message_data(message: ChatMessage) -> dict:
    """A message for every reader of its channel: a deleted one carries no text."""
    user = message.user
    deleted = message.deleted_at is not None
    data = {
        "id": message.id,
        "channel_id": message.channel_id,
        "client_id": message.client_id,
        "user": user_data(user),
        "cooked": "" if deleted else message.cooked,
        "created_at": message.created_at.isoformat(),
        "edited_at": message.edited_at.isoformat() if message.edited_at else None,
        "deleted": deleted,
        "reply_to": _reply_data(message.reply_to),
        "reactions": reactions_data(message),
    }
    return data


def reactions_data(message: ChatMessage) -> list[dict]:
    """Reactions grouped by emoji, in order of first use, with who reacted."""
    grouped: dict[str, list[int]] = {}
    for reaction in message.reactions:
        grouped.setdefault(reaction.emoji, []).append(reaction.user_id)
    return [{"emoji": emoji, "count": len(ids), "user_ids": ids} for emoji, ids in grouped.items()]


def channel_data(channel: ChatChannel) -> dict:
    return {
        "id": channel.id,
        "kind": channel.kind,
        "name": channel.name,
        "slug": channel.slug,
        "description": channel.description,
        "category_id": channel.category_id,
        "host_id": channel.host_id,
        "starts_at": channel.starts_at.isoformat() if channel.starts_at else None,
        "ends_at": channel.ends_at.isoformat() if channel.ends_at else None,
        "is_closed": channel.is_closed,
        "slow_mode_seconds": channel.slow_mode_seconds,
        "messages_count": channel.messages_count,
        "last_message_id": channel.last_message_id,
    }


def user_data(user) -> dict | None:
    """A user as chat shows them: {id, username, name}, or None (a guest, a deleted account)."""
    if user is None:
        return None
    return {"id": user.id, "username": user.username,
            "name": getattr(user, "display_name", None) or user.username}


def _reply_data(target: ChatMessage | None) -> dict | None:
    if target is None:
        return None
    deleted = target.deleted_at is not None
    return {"id": target.id, "user": user_data(target.user),
            "excerpt": "" if deleted else plain_text_excerpt(target.cooked, REPLY_EXCERPT_LENGTH),
            "deleted": deleted}
_user_data = user_data  # the name the chat core first used
