"""The "chat" blueprint (/chat), shared by the chat pages (views.py) and the moderation routes
(moderation_views.py) so each module adds its routes to one object."""

from __future__ import annotations

from flask import Blueprint

from forum.chat.links import channel_url

bp = Blueprint("chat", __name__, url_prefix="/chat")
# Templates link to a channel (and a message in it) the same way everywhere.
bp.add_app_template_global(channel_url, "chat_channel_url")
