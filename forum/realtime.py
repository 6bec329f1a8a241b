"""Socket.IO room and event names; emit_after_commit(): nothing leaves for an uncommitted change."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from forum.extensions import socketio

LIVE_NAMESPACE = "/live"
EVENT_POST_CREATED = "post_created"
EVENT_POST_UPDATED = "post_updated"
EVENT_POST_LIKES = "post_likes"  # a post's like count changed: {topic_id, post_id, like_count}
EVENT_NOTIFICATION = "notification"

CHAT_NAMESPACE = "/chat"
# Server → client chat events; each carries the channel id and what changed.
EVENT_CHAT_MESSAGE = "message"  # a new message
EVENT_CHAT_MESSAGE_UPDATED = "message_updated"  # edited, deleted, restored or reacted to
EVENT_CHAT_CHANNEL_UPDATED = "channel_updated"  # closed, reopened, renamed, slow mode

_PENDING_KEY = "kafedra_pending_emits"


def room_for_topic(topic_id: int) -> str:
    return f"topic:{int(topic_id)}"


def room_for_user(user_id: int) -> str:
    return f"user:{int(user_id)}"


def room_for_channel(channel_id: int) -> str:
    return f"channel:{int(channel_id)}"


def room_for_category(category_id: int) -> str:
    return f"category:{int(category_id)}"


def emit_after_commit(session: Session, event_name: str, data: dict, *, room: str,
                      namespace: str = LIVE_NAMESPACE) -> None:
    """Queue a Socket.IO emit that is sent only if the session's transaction commits."""
    session.info.setdefault(_PENDING_KEY, []).append((event_name, data, room, namespace))


@event.listens_for(Session, "after_commit")
def _send_pending(session: Session) -> None:
    pending = session.info.pop(_PENDING_KEY, [])
    for event_name, data, room, namespace in pending:
        socketio.emit(event_name, data, to=room, namespace=namespace)


@event.listens_for(Session, "after_rollback")
def _drop_pending(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)
