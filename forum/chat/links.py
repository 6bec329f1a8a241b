"""Where a chat channel and a message live on the site, for redirects, notifications and
transcripts (the route is /chat/c/<slug>/<id>, served by forum/chat/views.py)."""

from __future__ import annotations

from forum.models import ChatChannel


def channel_url(channel: ChatChannel, message_id: int | None = None) -> str:
    """The channel page, optionally anchored at one message."""
    url = f"/chat/c/{channel.slug or 'channel'}/{channel.id}"
    # The id may come from a notification's stored data: only a real number makes an anchor.
    valid = isinstance(message_id, int) and not isinstance(message_id, bool) and message_id > 0
    return url + (f"#message-{message_id}" if valid else "")
