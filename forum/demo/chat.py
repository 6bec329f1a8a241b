"""load_demo_chat(): the demo's chat channels, seminar rooms and a conversation, written through
the real chat services and then back-dated, like the demo's topics."""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta

from flask import current_app

from forum.chat import channels, messages
from forum.demo.chat_data import CHANNELS
from forum.extensions import db
from forum.models import CHANNEL_DIRECT, CHANNEL_SEMINAR, Category, ChatChannel, User


def load_demo_chat(users: dict[str, User], categories: dict[str, Category],
                   now: datetime) -> int:
    """Create the demo's chat; returns the number of messages. Flushes; the caller commits."""
    count = 0
    with _without_rate_limits():
        for spec in CHANNELS:
            count += _create_channel(spec, users, categories, now)
    db.session.flush()
    return count


@contextlib.contextmanager
def _without_rate_limits():
    # The demo writes weeks of chat in a second; the per-member limit is for people typing.
    config = current_app.config
    before = config.get("RATELIMIT_ENABLED", True)
    config["RATELIMIT_ENABLED"] = False
    try:
        yield
    finally:
        config["RATELIMIT_ENABLED"] = before


def _create_channel(spec: dict, users: dict[str, User], categories: dict[str, Category],
                    now: datetime) -> int:
    channel = _open(spec, users, categories, now)
    for username in spec.get("followers", ()):
        channels.join_channel(channel, user=users[username])
    sent = []
    start = now - timedelta(days=spec.get("days_ago", 0))
    for author, _minutes, text in spec["messages"]:
        reply_to = None
        if text.startswith("↩"):
            number, text = text[1:].split(" ", 1)
            reply_to = sent[int(number) - 1].id
        message, _ = messages.send_message(channel, author=users[author], raw=text,
                                           reply_to_id=reply_to)
        sent.append(message)
    for number, raw in spec.get("edits", {}).items():
        messages.edit_message(sent[number - 1], editor=sent[number - 1].user, raw=raw)
    for number, reactions in spec.get("reactions", {}).items():
        for username, emoji in reactions:
            messages.toggle_reaction(sent[number - 1], user=users[username], emoji=emoji)
    # Back-dated last: the edit window and the seminar's schedule are checked against now.
    for message, (_author, minutes, _text) in zip(sent, spec["messages"], strict=True):
        message.created_at = start + timedelta(minutes=minutes)
        if message.edited_at is not None:
            message.edited_at = message.created_at + timedelta(minutes=2)
    _finish(channel, spec, sent, start)
    return len(sent)


def _open(spec: dict, users, categories, now: datetime) -> ChatChannel:
    if spec["kind"] == CHANNEL_DIRECT:
        first, *others = (users[name] for name in spec["participants"])
        return channels.open_direct_conversation(actor=first, others=others)
    starts_at = ends_at = None
    if spec["kind"] == CHANNEL_SEMINAR:
        # Live while the messages are written; _finish moves it to its real schedule.
        starts_at = now - timedelta(minutes=1)
        ends_at = now + timedelta(minutes=spec["duration_minutes"])
    return channels.create_channel(
        spec["kind"], actor=users[spec["creator"]], name=spec["name"],
        description=spec.get("description", ""), category=categories.get(spec.get("category")),
        host=users.get(spec.get("host")), starts_at=starts_at, ends_at=ends_at)


def _finish(channel: ChatChannel, spec: dict, sent: list, start: datetime) -> None:
    if channel.kind == CHANNEL_SEMINAR:
        begins = start if sent else start + timedelta(days=spec.get("starts_in_days", 0))
        channel.starts_at = begins
        channel.ends_at = begins + timedelta(minutes=spec["duration_minutes"])
    channel.created_at = start - timedelta(hours=1)
    if sent:
        channel.last_message_at = sent[-1].created_at

