"""The /live namespace: readers join a topic's room to hear about new and edited posts."""

from __future__ import annotations

from flask_login import current_user
from flask_socketio import Namespace, join_room, leave_room

from forum import permissions
from forum.extensions import db, socketio
from forum.models import Topic
from forum.realtime import LIVE_NAMESPACE, room_for_topic, room_for_user


class LiveNamespace(Namespace):
    def on_connect(self, auth=None):
        if current_user.is_authenticated:
            join_room(room_for_user(current_user.id))

    def on_watch_topic(self, data):
        """Join a topic's room after checking the reader may see it; the server names the room."""
        topic_id = data.get("topic_id") if isinstance(data, dict) else None
        topic = db.session.get(Topic, topic_id) if isinstance(topic_id, int) else None
        if topic is None or not permissions.can_view_topic(current_user, topic):
            return {"error": "not_found", "message": "topic not found"}
        join_room(room_for_topic(topic.id))
        return {"ok": True, "topic_id": topic.id}

    def on_unwatch_topic(self, data):
        topic_id = data.get("topic_id") if isinstance(data, dict) else None
        if isinstance(topic_id, int):
            leave_room(room_for_topic(topic_id))
        return {"ok": True}


def register_live_namespace() -> None:
    """Register /live on the current app's Socket.IO server (each create_app makes a new one)."""
    socketio.on_namespace(LiveNamespace(LIVE_NAMESPACE))
