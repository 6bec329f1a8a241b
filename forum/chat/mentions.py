"""What a chat message does beyond being stored: @mentions notify the mentioned members who can
read the channel, and bare links to forum topics show the topic's title.

Called once from forum.chat.messages.send_message and once from edit_message, before the
message is broadcast, so every reader gets the same cooked HTML.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request
from flask_login import AnonymousUserMixin
from markupsafe import escape
from sqlalchemy import select

from forum import markup, permissions
from forum.extensions import db
from forum.models import ChatMessage, ChatMessageRevision, Topic, User
from forum.notifications.services import KIND_CHAT_MENTION, notify

# A mention of the whole school is no mention: past this many names, the rest are not told.
MAX_MENTIONS_NOTIFIED = 20
MAX_TOPIC_LINKS = 10
LINK = re.compile(r'<a href="([^"]+)"([^>]*)>([^<]+)</a>')
TOPIC_PATH = re.compile(r"^/t/[^/]+/(\d{1,18})(?:/\d+)?/?$")


def after_send(message: ChatMessage) -> None:
    """Title the topic links of a new message and notify the members it mentions."""
    title_topic_links(message)
    notify_mentions(message)


def after_edit(message: ChatMessage) -> None:
    """The same for an edited message; only members newly mentioned by the edit are told
    (the text before the edit is the message's newest revision)."""
    title_topic_links(message)
    previous = db.session.scalar(select(ChatMessageRevision.raw).where(
        ChatMessageRevision.message_id == message.id)
        .order_by(ChatMessageRevision.id.desc()).limit(1)) or ""
    notify_mentions(message, already=set(markup.mentioned_usernames(previous)))


def notify_mentions(message: ChatMessage, *, already: set[str] | None = None) -> list[User]:
    """Notify each member mentioned in the message who can read its channel (never the author,
    never twice for one message); returns those notified."""
    names = [n for n in markup.mentioned_usernames(message.raw) if n not in (already or set())]
    if not names:
        return []
    users = db.session.scalars(select(User).where(
        User.username_lower.in_(names[:MAX_MENTIONS_NOTIFIED]), User.deleted_at.is_(None)))
    author = message.user
    told = []
    for user in users:
        if user.id == message.user_id or not permissions.can_view_channel(user, message.channel):
            continue  # a mention must not reveal a private conversation to an outsider
        notify(user, KIND_CHAT_MENTION, data={
            "channel_id": message.channel_id, "message_id": message.id,
            "by": author.username if author is not None else ""})
        told.append(user)
    return told


def title_topic_links(message: ChatMessage) -> None:
    """Replace the text of bare links to forum topics with the topic's title.

    Only for topics that guests can read. The cooked HTML is stored once and sent unchanged to
    every reader of the channel — now and later, in transcripts, and after the channel's or the
    topic's audience changes — so a title may be baked in only if no possible reader could be
    denied it. "Visible to everyone who can read the channel" would leak as soon as someone new
    joins or a category is closed; "visible to guests" never does. Other links keep their
    address, which tells nothing the author did not write.
    """
    found = LINK.findall(message.cooked)[:MAX_TOPIC_LINKS]
    titles = _public_titles({_topic_id(href, text) for href, _, text in found} - {None})
    if not titles:
        return

    def retitle(match: re.Match[str]) -> str:
        href, attributes, text = match.groups()
        topic_id = _topic_id(href, text)
        if topic_id not in titles:
            return match.group(0)
        return f'<a href="{href}"{attributes}>{escape(titles[topic_id])}</a>'

    message.cooked = LINK.sub(retitle, message.cooked)


def _topic_id(href: str, text: str) -> int | None:
    """The topic id of a bare link (its text is its address) to a topic on this site."""
    if text.strip() not in (href, href.split("://", 1)[-1]):
        return None
    parts = urlsplit(href.replace("&amp;", "&"))
    if parts.netloc and parts.netloc.lower() not in _own_hosts():
        return None
    match = TOPIC_PATH.match(parts.path)
    return int(match.group(1)) if match else None


def _own_hosts() -> set[str]:
    hosts = {h.lower() for h in current_app.config.get("TRUSTED_HOSTS") or []}
    if has_request_context():
        hosts.add(request.host.lower())
    return hosts


def _public_titles(topic_ids: set[int]) -> dict[int, str]:
    if not topic_ids:
        return {}
    guest = AnonymousUserMixin()
    topics = db.session.scalars(select(Topic).where(Topic.id.in_(topic_ids)))
    return {t.id: t.title for t in topics if permissions.can_view_topic(guest, t)}
