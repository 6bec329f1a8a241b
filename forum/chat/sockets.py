"""The /chat namespace: thin adapters from Socket.IO events to the chat services.

Every client → server event answers with an ack: `{"ok": True, ...}` after the commit, or
`{"error": CODE, "message": "<sentence in the user's language>"}`. Errors are never broadcast
and a handler never raises: a DomainError rolls the session back and becomes the error ack.
The rules (who may read, write, edit…) live in forum.permissions and the services.
"""

from __future__ import annotations

import functools
import logging

import flask_babel
from flask import current_app, g, request, session
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from flask_socketio import Namespace, join_room, leave_room
from sqlalchemy import select

from forum import permissions
from forum.chat import messages as chat_messages
from forum.chat.presence import get_presence
from forum.chat.queries import channel_by_id, channel_messages, is_valid_id, message_by_id
from forum.chat.serializers import channel_data, message_data, user_data
from forum.errors import ERROR_MESSAGES, DomainError
from forum.extensions import db, socketio
from forum.models import ApiKey
from forum.realtime import CHAT_NAMESPACE, room_for_channel, room_for_user

log = logging.getLogger(__name__)

EVENT_TYPING = "typing"
EVENT_PRESENCE = "presence"
# A reconnecting client catches up at most this many messages per call (then asks again).
CATCH_UP_LIMIT = 500
# Ack error codes by DomainError status; everything else is "invalid".
ERROR_CODES = {401: "unauthenticated", 403: "forbidden", 404: "not_found", 429: "rate_limited"}
MAX_API_KEY_LENGTH = 200
API_KEY_SESSION_KEY = "chat_api_key_digest"


def error_ack(error: DomainError) -> dict:
    return {"error": ERROR_CODES.get(error.status_code, "invalid"), "message": str(error.message)}


def _fresh_request_state() -> None:
    """Forget the user and locale of an earlier event: an app context may outlive one event
    (tests keep one for a whole test), and each event must see its own socket's user."""
    g.pop("_login_user", None)
    g.pop("api_user", None)
    flask_babel.refresh()


def chat_event(handler):
    """Run an event handler as an adapter: one payload in, an ack dict out, never an exception."""

    @functools.wraps(handler)
    def adapter(self, *args):
        _fresh_request_state()
        try:
            _forget_revoked_api_key()
            if len(args) != 1 or not isinstance(args[0], dict):
                raise DomainError(_("The request could not be understood."))
            return handler(self, args[0])
        except DomainError as error:
            db.session.rollback()
            return error_ack(error)
        except Exception:
            db.session.rollback()
            log.exception("Chat event %r failed", getattr(request, "event", None))
            return {"error": "invalid", "message": str(ERROR_MESSAGES[500])}

    return adapter


class ChatNamespace(Namespace):
    def on_connect(self, auth=None):
        """Sign in from the session cookie, or from an API key for bots; guests may watch."""
        _fresh_request_state()
        if isinstance(auth, dict) and auth.get("api_key") is not None:
            user = _user_from_api_key(auth)
            if user is None:
                raise ConnectionRefusedError({
                    "error": "unauthenticated",
                    "message": _("The API key or user name is not valid.")})
            login_user(user)  # into this socket's own session copy, not the browser's cookie
            session[API_KEY_SESSION_KEY] = ApiKey.digest(auth["api_key"])
        if current_user.is_authenticated:
            join_room(room_for_user(current_user.id))

    def on_disconnect(self, reason=None):
        presence = get_presence()
        for channel_id in presence.channels_of(request.sid):
            if presence.remove(channel_id, request.sid):
                _broadcast_presence(channel_id)

    def trigger_event(self, event, *args):
        if event not in ("connect", "disconnect") and not hasattr(self, f"on_{event}"):
            # An unknown event still gets an ack, so a client waiting for one hears why.
            return self.socketio._handle_event(_unknown_event, event, self.namespace, *args)
        return super().trigger_event(event, *args)

    @chat_event
    def on_watch(self, data):
        channel = _readable_channel(data)
        after_id = _cursor(data, "after_id", required=False)
        # Join first, then read: a message committed in between arrives twice (the client
        # merges by id) instead of never.
        join_room(room_for_channel(channel.id))
        if after_id is None:
            history = channel_messages(channel)
        else:
            history = channel_messages(channel, after_id=after_id, limit=CATCH_UP_LIMIT)
        viewer = current_user if current_user.is_authenticated else None
        if get_presence().add(channel.id, request.sid, user_data(viewer)):
            _broadcast_presence(channel.id)
        membership = permissions.membership_of(current_user, channel)
        can_send = permissions.can_send_message(current_user, channel)
        return {"ok": True, "channel": channel_data(channel),
                "messages": [message_data(m) for m in history],
                "last_read_message_id": membership.last_read_message_id if membership else None,
                "can_send": can_send,
                "refusal": None if can_send else chat_messages.sending_refusal(current_user,
                                                                             channel),
                "presence": get_presence().users(channel.id)}

    @chat_event
    def on_unwatch(self, data):
        channel_id = _id(data, "channel_id")
        leave_room(room_for_channel(channel_id))
        if get_presence().remove(channel_id, request.sid):
            _broadcast_presence(channel_id)
        return {"ok": True}

    @chat_event
    def on_send(self, data):
        author = _signed_in()
        channel = _readable_channel(data)
        if data.get("client_id") is None:
            raise DomainError(_("The message id is not valid."), field="client_id")
        message, _created = chat_messages.send_message(
            channel, author=author, raw=data.get("raw"), client_id=data.get("client_id"),
            reply_to_id=data.get("reply_to_id"))
        payload = message_data(message)
        db.session.commit()  # the ack promises the message is stored
        return {"ok": True, "id": payload["id"], "client_id": payload["client_id"],
                "message": payload}

    @chat_event
    def on_edit(self, data):
        message = _readable_message(data)
        chat_messages.edit_message(message, editor=_signed_in(), raw=data.get("raw"))
        return _commit_message(message)

    @chat_event
    def on_delete(self, data):
        message = _readable_message(data)
        chat_messages.delete_message(message, actor=_signed_in())
        return _commit_message(message)

    @chat_event
    def on_restore(self, data):
        message = _readable_message(data)
        chat_messages.restore_message(message, actor=_signed_in())
        return _commit_message(message)

    @chat_event
    def on_react(self, data):
        message = _readable_message(data)
        added = chat_messages.toggle_reaction(message, user=_signed_in(), emoji=data.get("emoji"))
        return {**_commit_message(message), "added": added}

    @chat_event
    def on_history(self, data):
        channel = _readable_channel(data)
        before_id = _id(data, "before_id")
        page = current_app.config["CHAT_HISTORY_PAGE_SIZE"]
        older = channel_messages(channel, before_id=before_id, limit=page + 1)
        return {"ok": True, "messages": [message_data(m) for m in older[-page:]],
                "has_more": len(older) > page}

    @chat_event
    def on_catch_up(self, data):
        channel = _readable_channel(data)
        after_id = _cursor(data, "after_id", required=True)
        newer = channel_messages(channel, after_id=after_id, limit=CATCH_UP_LIMIT + 1)
        return {"ok": True, "messages": [message_data(m) for m in newer[:CATCH_UP_LIMIT]],
                "complete": len(newer) <= CATCH_UP_LIMIT}

    @chat_event
    def on_read(self, data):
        user = _signed_in()
        channel = _readable_channel(data)
        message_id = _id(data, "message_id")
        last_read = chat_messages.mark_read(channel, user=user, message_id=message_id)
        db.session.commit()
        return {"ok": True, "last_read_message_id": last_read}

    @chat_event
    def on_typing(self, data):
        user = _signed_in()
        channel = _readable_channel(data)
        if not permissions.can_send_message(user, channel):
            raise DomainError(chat_messages.sending_refusal(user, channel), status_code=403)
        if get_presence().allow_typing(user.id, channel.id):
            socketio.emit(EVENT_TYPING, {"channel_id": channel.id, "user": user_data(user)},
                          to=room_for_channel(channel.id), skip_sid=request.sid,
                          namespace=CHAT_NAMESPACE)
        return {"ok": True}


def register_chat_namespace() -> None:
    """Register /chat on the current app's Socket.IO server (each create_app makes a new one)."""
    socketio.on_namespace(ChatNamespace(CHAT_NAMESPACE))


# --- payload checks ---------------------------------------------------------------------------

def _id(data: dict, field: str) -> int:
    value = data.get(field)
    if not is_valid_id(value):
        raise DomainError(_("The request could not be understood."), field=field)
    return value


def _cursor(data: dict, field: str, *, required: bool) -> int | None:
    """A message id to read after: 0 means "from the beginning"."""
    value = data.get(field)
    if value is None and not required:
        return None
    if value == 0 and not isinstance(value, bool):
        return 0
    return _id(data, field)


def _readable_channel(data: dict):
    channel = channel_by_id(_id(data, "channel_id"))
    if channel is None or not permissions.can_view_channel(current_user, channel):
        raise DomainError(_("This channel does not exist or is not available to you."),
                          status_code=404)
    return channel


def _readable_message(data: dict):
    message = message_by_id(_id(data, "message_id"))
    if message is None or not permissions.can_view_message(current_user, message):
        raise DomainError(_("This message does not exist or is not available to you."),
                          status_code=404)
    return message


def _signed_in():
    if not permissions.is_signed_in(current_user):
        raise DomainError(_("Sign in to write in the chat."), status_code=401)
    return current_user._get_current_object()


def _forget_revoked_api_key() -> None:
    """A bot's socket acts for its key only while the key lives: once an admin revokes it, the
    socket is a guest's again (the next event that needs a member is refused)."""
    digest = session.get(API_KEY_SESSION_KEY)
    if digest is None:
        return
    live = db.session.scalar(select(ApiKey.id).where(ApiKey.key_digest == digest,
                                                    ApiKey.revoked_at.is_(None)))
    if live is None:
        session.pop(API_KEY_SESSION_KEY, None)
        logout_user()


def _user_from_api_key(auth: dict):
    from forum.accounts.auth import user_for_api_key

    key, username = auth.get("api_key"), auth.get("api_username")
    if not isinstance(key, str) or not key or len(key) > MAX_API_KEY_LENGTH:
        return None
    if username is not None and (not isinstance(username, str)
                                 or len(username) > MAX_API_KEY_LENGTH):
        return None
    return user_for_api_key(key, username)


def _commit_message(message) -> dict:
    payload = message_data(message)  # before the commit, which expires the loaded rows
    db.session.commit()
    return {"ok": True, "message": payload}


def _broadcast_presence(channel_id: int) -> None:
    socketio.emit(EVENT_PRESENCE, {"channel_id": channel_id,
                                   "users": get_presence().users(channel_id)},
                  to=room_for_channel(channel_id), namespace=CHAT_NAMESPACE)


def _unknown_event(*args) -> dict:
    flask_babel.refresh()
    return {"error": "invalid", "message": _("The request could not be understood.")}
