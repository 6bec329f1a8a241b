"""Chat message writes: send (idempotent by the client's id), edit with history, delete and
restore, reactions, and the read position.

Each service asks forum.permissions, applies the rules (length, slow mode, rate limit), changes
models and flushes, and queues the live update with emit_after_commit; the caller commits once.
So the socket handler, the plain HTML form and the API share every rule.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from forum import domain_events, permissions
from forum.chat import mentions as chat_mentions
from forum.chat import moderation as chat_moderation
from forum.chat.queries import is_valid_id
from forum.chat.serializers import message_data
from forum.errors import DomainError
from forum.extensions import db, limiter
from forum.models import (
    ChatChannel,
    ChatMembership,
    ChatMessage,
    ChatMessageRevision,
    ChatReaction,
    User,
    utcnow,
)
from forum.realtime import (
    CHAT_NAMESPACE,
    EVENT_CHAT_MESSAGE,
    EVENT_CHAT_MESSAGE_UPDATED,
    emit_after_commit,
    room_for_channel,
)
from forum.text import normalise_body
from forum.topics.services import cook_post

log = logging.getLogger(__name__)
_FALLBACK_LIMITER = MovingWindowRateLimiter(MemoryStorage())

# A client id is the browser's own name for a message (a UUID); anything else is refused.
CLIENT_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
# Reactions are a short emoji sequence (flags and skin tones are several code points).
MAX_EMOJI_LENGTH = 16


def send_message(channel: ChatChannel, *, author: User, raw, client_id=None,
                 reply_to_id=None) -> tuple[ChatMessage, bool]:
    """Store a message and queue its broadcast; returns (message, created).

    A resend with a client id the author already used returns the stored message with
    created=False, so a client that never heard the acknowledgement may retry safely.
    """
    client_id = _valid_client_id(client_id)
    if client_id is not None:
        existing = _message_by_client_id(client_id)
        if existing is not None:
            return _resent(existing, author=author, channel=channel), False
    _require_may_send(author, channel)
    raw = validate_message(raw)
    reply_to = _reply_target(channel, reply_to_id)
    membership = _membership_for_sending(channel, author)
    _check_slow_mode(channel, author, membership)
    _check_rate_limit(author)
    now = utcnow()
    message = ChatMessage(channel_id=channel.id, user_id=author.id, client_id=client_id, raw=raw,
                          cooked=cook_message(raw), reply_to=reply_to, created_at=now)
    message.channel = channel
    try:
        with db.session.begin_nested():  # a savepoint: losing a race must not spoil the rest
            db.session.add(message)
            db.session.flush()
    except IntegrityError:
        # The same resend arrived twice at once and the other copy committed first.
        existing = _message_by_client_id(client_id) if client_id else None
        if existing is None:
            raise
        return _resent(existing, author=author, channel=channel), False
    chat_mentions.after_send(message)  # before the broadcast: it may retitle topic links
    channel.messages_count += 1
    channel.last_message_id, channel.last_message_at = message.id, now
    membership.last_message_at = now
    membership.last_read_message_id = message.id  # one's own message is read
    emit_after_commit(db.session, EVENT_CHAT_MESSAGE, message_data(message),
                      room=room_for_channel(channel.id), namespace=CHAT_NAMESPACE)
    domain_events.chat_message_sent.send(message)
    return message, True


def cook_message(raw: str) -> str:
    """A message's HTML. Chat shows no files: a file is served only with a post it is attached
    to, under that post's permissions. An `upload://` reference pasted from the composer shows
    as the file name it names, never as its Markdown or address."""
    return str(cook_post(raw, upload_names=True))


def validate_message(raw) -> str:
    """The message text normalised, or a DomainError saying what is wrong with it."""
    if not isinstance(raw, str):
        raise DomainError(_("The message must be text."), field="raw")
    raw = normalise_body(raw).strip()
    if not raw:
        raise DomainError(_("The message cannot be empty."), field="raw")
    limit = current_app.config["CHAT_MESSAGE_MAX_LENGTH"]
    if len(raw) > limit:
        raise DomainError(_("The message is too long: %(n)d characters, at most %(limit)d.",
                            n=len(raw), limit=limit), field="raw")
    return raw


def edit_message(message: ChatMessage, *, editor: User, raw) -> ChatMessage:
    """Change a message's text, keeping the previous text as a revision."""
    _require_visible(editor, message)
    if not permissions.can_edit_message(editor, message):
        raise DomainError(_("You can no longer edit this message."), status_code=403)
    raw = validate_message(raw)
    if raw == message.raw:
        return message
    db.session.add(ChatMessageRevision(message_id=message.id, raw=message.raw,
                                       editor_id=editor.id, editor_name=editor.username))
    message.raw, message.cooked = raw, cook_message(raw)
    message.edited_at = utcnow()
    chat_mentions.after_edit(message)
    _broadcast_update(message)
    domain_events.chat_message_edited.send(message, actor=editor)
    return message


def delete_message(message: ChatMessage, *, actor: User) -> ChatMessage:
    """Soft-delete a message: readers see a placeholder, the text stays for moderators."""
    _require_visible(actor, message)
    if not permissions.can_delete_message(actor, message):
        raise DomainError(_("You cannot delete this message."), status_code=403)
    message.deleted_at, message.deleted_by_id = utcnow(), actor.id
    chat_moderation.record_message_moderation(message, actor=actor, deleted=True)
    _broadcast_update(message)
    domain_events.chat_message_deleted.send(message, actor=actor)
    return message


def restore_message(message: ChatMessage, *, actor: User) -> ChatMessage:
    """Bring back a deleted message."""
    _require_visible(actor, message)
    if not permissions.can_restore_message(actor, message):
        raise DomainError(_("You cannot restore this message."), status_code=403)
    message.deleted_at = message.deleted_by_id = None
    chat_moderation.record_message_moderation(message, actor=actor, deleted=False)
    _broadcast_update(message)
    domain_events.chat_message_restored.send(message, actor=actor)
    return message


def toggle_reaction(message: ChatMessage, *, user: User, emoji) -> bool:
    """Add the user's reaction, or take it back when it is there; returns True when added."""
    _require_visible(user, message)
    if not isinstance(emoji, str) or not emoji.strip() or len(emoji) > MAX_EMOJI_LENGTH \
            or any(ch.isalnum() or ch.isspace() or ch in "<>&\"'" for ch in emoji):
        raise DomainError(_("Choose an emoji to react with."), field="emoji")
    if not permissions.can_react_to_message(user, message):
        raise DomainError(_("You cannot react to this message."), status_code=403)
    existing = next((r for r in message.reactions if r.user_id == user.id and r.emoji == emoji),
                    None)
    if existing is not None:
        message.reactions.remove(existing)
    else:
        message.reactions.append(ChatReaction(user_id=user.id, emoji=emoji))
    db.session.flush()
    _broadcast_update(message)
    return existing is None


def mark_read(channel: ChatChannel, *, user: User, message_id) -> int | None:
    """Move the member's read position forward to message_id (never backwards)."""
    if not isinstance(message_id, int) or isinstance(message_id, bool):
        raise DomainError(_("The request could not be understood."), field="message_id")
    membership = permissions.membership_of(user, channel)
    if membership is None:
        return None
    newest = min(message_id, channel.last_message_id or 0)
    if membership.last_read_message_id is None or newest > membership.last_read_message_id:
        # A plain UPDATE with a guard: two tabs marking at once never move it backwards.
        db.session.execute(update(ChatMembership).where(
            ChatMembership.id == membership.id,
            (ChatMembership.last_read_message_id.is_(None))
            | (ChatMembership.last_read_message_id < newest),
        ).values(last_read_message_id=newest).execution_options(synchronize_session="fetch"))
    return membership.last_read_message_id


# --- rules ------------------------------------------------------------------------------------

def _require_may_send(author: User, channel: ChatChannel) -> None:
    if not permissions.can_view_channel(author, channel):
        raise DomainError(_("This channel does not exist or is not available to you."),
                          status_code=404)
    if permissions.can_send_message(author, channel):
        return
    raise DomainError(sending_refusal(author, channel), status_code=403)


def sending_refusal(user, channel: ChatChannel) -> str:
    """Why the user cannot write in the channel, in a sentence (for errors and the page)."""
    from forum.moderation.sanctions import silence_refusal

    if not permissions.is_signed_in(user):
        return _("Sign in to write in the chat.")
    message = silence_refusal(user)
    if message is not None:
        return message
    membership = permissions.membership_of(user, channel)
    if membership is not None and membership.is_silenced:
        return _("You are silenced in this channel until %(until)s.",
                 until=_format_until(membership.silenced_until))
    phase = permissions.seminar_phase(channel)
    if phase == "before":
        return _("The seminar has not started yet; the room opens for messages at its start.")
    if phase == "after":
        return _("The seminar is over; its room is an archive now.")
    if channel.is_closed:
        return _("This channel is closed: it can be read but not written to.")
    return _("You can read this channel but not write in it.")


def _membership_for_sending(channel: ChatChannel, author: User) -> ChatMembership:
    """The author's membership; writing in an open channel joins it."""
    membership = permissions.membership_of(author, channel)
    if membership is None:
        membership = ChatMembership(channel=channel, user_id=author.id)
        db.session.add(membership)
    membership.is_following = True
    return membership


def _check_slow_mode(channel: ChatChannel, author: User, membership: ChatMembership) -> None:
    seconds = channel.slow_mode_seconds or 0
    if not seconds or membership.last_message_at is None \
            or permissions.is_exempt_from_chat_limits(author, channel):
        return
    wait = membership.last_message_at + timedelta(seconds=seconds) - utcnow()
    if wait.total_seconds() > 0:
        raise DomainError(_("Slow mode: you may send one message every %(seconds)d seconds; "
                            "wait %(wait)d more.", seconds=seconds,
                            wait=max(int(wait.total_seconds()) + 1, 1)), status_code=429)


def _check_rate_limit(author: User) -> None:
    """Messages per member per window (stricter for new members), counted in the limiter's
    storage — Redis in production, so every process counts the same messages."""
    config = current_app.config
    if not config.get("RATELIMIT_ENABLED", True):
        return
    key = "CHAT_RATE_LIMIT_NEW_MEMBER" if (author.trust_level or 0) == 0 else "CHAT_RATE_LIMIT"
    item = parse(config[key])
    if not _hit(item, str(author.id)):
        raise DomainError(_("You are sending messages too fast: at most %(limit)s. "
                            "Wait a few seconds and send again.", limit=_describe(item)),
                          status_code=429)


def _hit(item, user_key: str) -> bool:
    """Count one message in the shared storage, or in this process while that storage (Redis)
    is unreachable: chat keeps working through a Redis outage, limits stay per process."""
    try:
        return limiter.limiter.hit(item, "chat-messages", user_key)
    except Exception:  # the storage's own connection errors; which ones depends on the backend
        log.warning("Chat rate limit: the limiter's storage is unreachable; counting in memory")
        return _FALLBACK_LIMITER.hit(item, "chat-messages", user_key)


def _describe(item) -> str:
    return _("%(amount)d per %(seconds)d seconds", amount=item.amount,
             seconds=item.get_expiry())


def _reply_target(channel: ChatChannel, reply_to_id) -> ChatMessage | None:
    if reply_to_id is None:
        return None
    target = db.session.get(ChatMessage, reply_to_id) if is_valid_id(reply_to_id) else None
    if target is None or target.channel_id != channel.id:
        raise DomainError(_("The message you reply to is not in this channel."),
                          field="reply_to_id")
    return target


def _require_visible(user, message: ChatMessage) -> None:
    if not permissions.can_view_message(user, message):
        raise DomainError(_("This message does not exist or is not available to you."),
                          status_code=404)


def _valid_client_id(client_id) -> str | None:
    if client_id is None:
        return None
    if not isinstance(client_id, str) or not CLIENT_ID_PATTERN.match(client_id):
        raise DomainError(_("The message id is not valid."), field="client_id")
    return client_id


def _message_by_client_id(client_id: str) -> ChatMessage | None:
    return db.session.scalar(select(ChatMessage).where(ChatMessage.client_id == client_id))


def _resent(existing: ChatMessage, *, author: User, channel: ChatChannel) -> ChatMessage:
    """The stored message a resend refers to; an id used by another author or in another
    channel is refused, so a replayed id neither posts nor reveals anything."""
    if existing.user_id != author.id or existing.channel_id != channel.id:
        raise DomainError(_("This message id was already used."), field="client_id")
    return existing


def _broadcast_update(message: ChatMessage) -> None:
    emit_after_commit(db.session, EVENT_CHAT_MESSAGE_UPDATED, message_data(message),
                      room=room_for_channel(message.channel_id), namespace=CHAT_NAMESPACE)


def _format_until(when) -> str:
    from forum.moderation.sanctions import format_until

    return format_until(when)
