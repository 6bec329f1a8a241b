"""JSON twins of the chat moderation pages on the API blueprint, in the shape of Discourse's chat
API (`/chat/api/channels/<id>/…`): channel status, slow mode, silences, flags on messages, and
messages to a topic. Thin adapters over forum.chat.moderation, chat_flags and chat.move."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from forum import permissions
from forum.api import params, serializers
from forum.api.views import bp, committing, signed_in_required
from forum.chat import moderation, move
from forum.chat.queries import channel_by_id, message_by_id
from forum.chat.serializers import channel_data
from forum.errors import DomainError
from forum.extensions import db
from forum.models import FLAG_TYPE_IDS, Category, ChatChannel, ChatMessage, User
from forum.moderation import chat_flags

OK = {"success": "OK"}
KINDS_BY_TYPE_ID = {type_id: kind for kind, type_id in FLAG_TYPE_IDS.items()}
MAX_MESSAGE_IDS = move.MAX_MESSAGES_PER_MOVE


@bp.put("/chat/api/channels/<int:channel_id>/status")
@signed_in_required
def chat_channel_status(channel_id: int):
    """`status`: "open" or "closed"."""
    channel = _visible_channel(channel_id)
    status = params.text(_data(), "status")
    if status not in ("open", "closed"):
        raise DomainError(_("The status must be one of: %(names)s.", names="open, closed"),
                          field="status")
    with committing():
        (moderation.close_channel if status == "closed" else moderation.reopen_channel)(
            channel, actor=current_user)
    return jsonify({**OK, "channel": channel_data(channel)})


@bp.put("/chat/api/channels/<int:channel_id>/slow-mode")
@signed_in_required
def chat_slow_mode(channel_id: int):
    """`seconds`: one message per this many seconds for each member (0: off)."""
    channel = _visible_channel(channel_id)
    seconds = params.integer(_data(), "seconds")
    with committing():
        moderation.set_slow_mode(channel, actor=current_user,
                                 seconds=seconds if seconds is not None else -1)
    return jsonify({**OK, "channel": channel_data(channel)})


@bp.post("/chat/api/channels/<int:channel_id>/silences")
@signed_in_required
def chat_silence(channel_id: int):
    """Silence `username` in the channel for `minutes`, with a `reason` they will see."""
    channel = _visible_channel(channel_id)
    data = _data()
    target = _user(params.text(data, "username"))
    with committing():
        membership = moderation.silence_member(
            channel, actor=current_user, target=target,
            minutes=params.integer(data, "minutes"), reason=params.text(data, "reason"))
    return jsonify({**OK, "user": serializers.basic_user(target),
                    "silenced_until": serializers.iso(membership.silenced_until)})


@bp.delete("/chat/api/channels/<int:channel_id>/silences/<username>")
@signed_in_required
def chat_unsilence(channel_id: int, username: str):
    channel = _visible_channel(channel_id)
    with committing():
        lifted = moderation.unsilence_member(channel, actor=current_user, target=_user(username))
    return jsonify({**OK, "lifted": lifted})


@bp.put("/chat/api/channels/<int:channel_id>/messages/<int:message_id>/flags")
@signed_in_required
def chat_flag_message(channel_id: int, message_id: int):
    """Flag a message: `flag_type_id` (3, 4, 7 or 8) and `message` (required for 7)."""
    message = _visible_message(channel_id, message_id)
    data = _data()
    kind = KINDS_BY_TYPE_ID.get(params.integer(data, "flag_type_id"))
    if kind is None:
        raise DomainError(_("Choose why you are flagging this message."), field="flag_type_id")
    with committing():
        flag = chat_flags.flag_chat_message(message, flagger=current_user, kind=kind,
                                            note=params.text(data, "message"))
    return jsonify({**OK, "flag": {"id": flag.id, "flag_type_id": FLAG_TYPE_IDS[kind],
                                   "chat_message_id": message.id,
                                   "reviewable_id": flag.reviewable_id,
                                   "created_at": serializers.iso(flag.created_at)}})


@bp.post("/chat/api/channels/<int:channel_id>/messages/move")
@signed_in_required
def chat_messages_to_topic(channel_id: int):
    """`message_ids[]` (or `from` and `to`, ISO times), `copy`, and either `topic_id` or
    `title` with `category_id`. Answers the topic."""
    channel = _visible_channel(channel_id)
    data = _data()
    ids = data.get("message_ids") or []
    ids = params.integer_list(ids if isinstance(ids, list) else [ids], "message_ids",
                              limit=MAX_MESSAGE_IDS)
    with committing():
        topic = move.messages_to_topic(
            channel, actor=current_user, message_ids=ids, copy=_copy(data),
            since=_moment(data, "from"), until=_moment(data, "to"), **_target(data))
    return jsonify({**OK, "topic": {"id": topic.id, "title": topic.title, "slug": topic.slug,
                                    "url": topic.url, "posts_count": topic.posts_count}})


# --- helpers ----------------------------------------------------------------------------------

def _data() -> dict:
    return {**params.nest(request.args), **params.body_params()}


def _visible_channel(channel_id: int) -> ChatChannel:
    channel = channel_by_id(channel_id)
    permissions.require(channel is not None and permissions.can_view_channel(current_user,
                                                                             channel), hide=True)
    return channel


def _visible_message(channel_id: int, message_id: int) -> ChatMessage:
    message = message_by_id(message_id)
    permissions.require(message is not None and message.channel_id == channel_id
                        and permissions.can_view_message(current_user, message), hide=True)
    return message


def _user(username) -> User | None:
    name = username.strip().lstrip("@").lower() if isinstance(username, str) else ""
    if not name:
        raise DomainError(_("There is no member with this name in this channel."),
                          field="username")
    return db.session.scalar(select(User).where(User.username_lower == name))


def _copy(data: dict) -> bool:
    value = data.get("copy", False)
    return value is True or (isinstance(value, str) and value.lower() in ("1", "true", "yes"))


def _moment(data: dict, key: str) -> datetime | None:
    value = params.text(data, key, default=None)
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise DomainError(_("The parameter %(name)s must be a date and time (ISO 8601).",
                            name=key), field=key) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _target(data: dict) -> dict:
    topic_id = params.integer(data, "topic_id")
    if topic_id is not None:
        topic = move.topic_from_reference(str(topic_id))
        if topic is None:
            raise DomainError(_("There is no topic with this number or address."),
                              field="topic_id")
        return {"destination": topic}
    category_id = params.integer(data, "category_id")
    category = db.session.get(Category, category_id) if category_id else None
    if category is None or not permissions.can_view_category(current_user, category):
        raise DomainError(_("Choose the category of the new topic."), field="category_id")
    return {"category": category, "title": params.text(data, "title")}
