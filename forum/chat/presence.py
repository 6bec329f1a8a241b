"""Who is watching a channel now, and the typing throttle: in Redis when several processes share
Socket.IO through it (so every process sees the same room), in this process's memory otherwise.

Entries are keyed by Socket.IO session id, so a member with two tabs counts once and closing one
tab does not hide them. If Redis goes away, presence degrades to "nobody listed" and typing to
"not broadcast": chat messages themselves never depend on this module.
"""

from __future__ import annotations

import json
import logging
import threading
import time

from flask import current_app

log = logging.getLogger(__name__)

# One typing broadcast per user per channel per this many seconds.
TYPING_INTERVAL_SECONDS = 3
# Redis entries outlive a crashed process by at most this long.
REDIS_ENTRY_TTL_SECONDS = 24 * 60 * 60
_EXTENSION_KEY = "kafedra_chat_presence"


def get_presence():
    """The presence store of the current app (created on first use)."""
    store = current_app.extensions.get(_EXTENSION_KEY)
    if store is None:
        url = current_app.config.get("SOCKETIO_MESSAGE_QUEUE") or current_app.config.get(
            "REDIS_URL")
        prefix = f"{current_app.config['REDIS_NAMESPACE']}:chat"
        store = RedisPresence(url, prefix) if url and url.startswith(("redis://", "rediss://",
                                                                       "unix://")) \
            else MemoryPresence()
        current_app.extensions[_EXTENSION_KEY] = store
    return store


def unique_users(entries) -> list[dict]:
    """Signed-in watchers once each (guests are not listed), ordered by name."""
    users = {u["id"]: u for u in entries if u}
    return sorted(users.values(), key=lambda u: (u["name"].casefold(), u["id"]))


class MemoryPresence:
    """One process: plain dicts behind a lock (threading and gevent workers alike)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._channels: dict[int, dict[str, dict | None]] = {}
        self._by_sid: dict[str, set[int]] = {}
        self._typing: dict[tuple[int, int], float] = {}

    def add(self, channel_id: int, sid: str, user: dict | None) -> bool:
        """Record that sid watches the channel; True when the listed users changed."""
        with self._lock:
            watchers = self._channels.setdefault(channel_id, {})
            before = unique_users(watchers.values())
            watchers[sid] = user
            self._by_sid.setdefault(sid, set()).add(channel_id)
            return unique_users(watchers.values()) != before

    def remove(self, channel_id: int, sid: str) -> bool:
        """Forget that sid watches the channel; True when the listed users changed."""
        with self._lock:
            watchers = self._channels.get(channel_id, {})
            before = unique_users(watchers.values())
            watchers.pop(sid, None)
            if not watchers:
                self._channels.pop(channel_id, None)
            self._by_sid.get(sid, set()).discard(channel_id)
            return unique_users(watchers.values()) != before

    def channels_of(self, sid: str) -> list[int]:
        with self._lock:
            return sorted(self._by_sid.pop(sid, set()))

    def users(self, channel_id: int) -> list[dict]:
        with self._lock:
            return unique_users(self._channels.get(channel_id, {}).values())

    def allow_typing(self, user_id: int, channel_id: int) -> bool:
        """True at most once per TYPING_INTERVAL_SECONDS for this user in this channel."""
        now = time.monotonic()
        with self._lock:
            last = self._typing.get((user_id, channel_id))
            if last is not None and now - last < TYPING_INTERVAL_SECONDS:
                return False
            self._typing[(user_id, channel_id)] = now
            if len(self._typing) > 10_000:  # forget old entries now and then
                self._typing = {k: t for k, t in self._typing.items()
                                if now - t < TYPING_INTERVAL_SECONDS}
            return True


class RedisPresence:
    """Several processes: a hash per channel (sid → user JSON) and a set per sid (channels)."""

    def __init__(self, url: str, prefix: str):
        import redis

        # Short timeouts: a missing Redis must not hold a socket handler for long.
        self._redis = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        self._prefix = prefix
        self._errors = (redis.RedisError, OSError)

    def _channel_key(self, channel_id: int) -> str:
        return f"{self._prefix}:presence:{int(channel_id)}"

    def _sid_key(self, sid: str) -> str:
        return f"{self._prefix}:sid:{sid}"

    def add(self, channel_id: int, sid: str, user: dict | None) -> bool:
        key = self._channel_key(channel_id)
        try:
            before = self._read(key)
            pipe = self._redis.pipeline()
            pipe.hset(key, sid, json.dumps(user))
            pipe.expire(key, REDIS_ENTRY_TTL_SECONDS)
            pipe.sadd(self._sid_key(sid), channel_id)
            pipe.expire(self._sid_key(sid), REDIS_ENTRY_TTL_SECONDS)
            pipe.execute()
            return self._read(key) != before
        except self._errors:
            log.warning("Chat presence: Redis is unreachable; presence is not recorded")
            return False

    def remove(self, channel_id: int, sid: str) -> bool:
        key = self._channel_key(channel_id)
        try:
            before = self._read(key)
            pipe = self._redis.pipeline()
            pipe.hdel(key, sid)
            pipe.srem(self._sid_key(sid), channel_id)
            pipe.execute()
            return self._read(key) != before
        except self._errors:
            log.warning("Chat presence: Redis is unreachable; presence is not updated")
            return False

    def channels_of(self, sid: str) -> list[int]:
        try:
            pipe = self._redis.pipeline()
            pipe.smembers(self._sid_key(sid))
            pipe.delete(self._sid_key(sid))
            members, _ = pipe.execute()
            return sorted(int(m) for m in members)
        except self._errors:
            return []

    def users(self, channel_id: int) -> list[dict]:
        try:
            return self._read(self._channel_key(channel_id))
        except self._errors:
            return []

    def allow_typing(self, user_id: int, channel_id: int) -> bool:
        key = f"{self._prefix}:typing:{int(channel_id)}:{int(user_id)}"
        try:
            return bool(self._redis.set(key, 1, nx=True, ex=TYPING_INTERVAL_SECONDS))
        except self._errors:
            return False

    def _read(self, key: str) -> list[dict]:
        return unique_users(json.loads(v) for v in self._redis.hvals(key))
