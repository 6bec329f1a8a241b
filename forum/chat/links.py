"""Where a chat channel and a message live on the site: the one place that builds their
addresses, for pages, redirects, notifications, the review queue and transcripts."""

from __future__ import annotations

from flask import url_for

from forum.chat import page_queries
from forum.models import ChatChannel, ChatMessage


def channel_url(channel: ChatChannel, message_id: int | None = None, **params) -> str:
    """The channel page (with query parameters), optionally anchored at one message."""
    url = url_for("chat.channel", slug=channel.slug or "channel", channel_id=channel.id,
                  **params)
    # The id may come from a notification's stored data: only a real number makes an anchor.
    valid = isinstance(message_id, int) and not isinstance(message_id, bool) and message_id > 0
    return url + (f"#message-{message_id}" if valid else "")


def message_url(message: ChatMessage) -> str:
    """The channel page that shows the message (older pages by cursor), scrolled to it."""
    cursor = page_queries.page_cursor_for(message)
    params = {"before": cursor} if cursor else {}
    return channel_url(message.channel, message.id, **params)
