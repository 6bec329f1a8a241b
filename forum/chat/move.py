"""Turn a chat into a forum topic: a channel moderator moves or copies chosen messages (or a
time range) into a new topic or an existing one, keeping each message's author and time.

Posts are inserted with their original created_at in time order after the topic's last
number; the topic's and category's counters are then recomputed exactly with
forum.moderation.post_moves.recount (moves are rare). Moving soft-deletes the messages and
leaves a note in the channel linking to the topic; copying leaves the chat as it was.
"""

from __future__ import annotations

import re
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from forum import permissions
from forum.chat.serializers import message_data
from forum.errors import DomainError
from forum.extensions import db
from forum.models import (
    Category,
    ChatChannel,
    ChatMessage,
    Post,
    PostRevision,
    Topic,
    User,
    utcnow,
)
from forum.moderation import audit
from forum.moderation.post_moves import recount
from forum.realtime import (
    CHAT_NAMESPACE,
    EVENT_CHAT_MESSAGE,
    EVENT_CHAT_MESSAGE_UPDATED,
    emit_after_commit,
    room_for_channel,
)
from forum.text import make_slug
from forum.topics.services import cook_post, next_post_number, validate_title

MAX_MESSAGES_PER_MOVE = 500
# "/t/<slug>/<id>" anywhere in a pasted address (with or without host and post number).
TOPIC_PATH = re.compile(r"/t/[^/\s]+/(\d+)(?:/\d+)?/?(?:[?#]\S*)?$")


def messages_to_topic(channel: ChatChannel, *, actor: User, message_ids=None,
                      since: datetime | None = None, until: datetime | None = None,
                      copy: bool = False, title=None, category: Category | None = None,
                      destination: Topic | None = None) -> Topic:
    """Move (or copy) the chosen messages — by id, or every live message from `since` to
    `until` — into a new topic (title, category) or the `destination` topic; returns it."""
    _require_moderator(actor, channel)
    if (destination is None) == (category is None):
        raise DomainError(_("Choose either a new topic or an existing topic as the destination."),
                          field="destination")
    chosen = _chosen_messages(channel, message_ids, since, until)
    if destination is not None:
        _check_destination(actor, destination)
    else:
        title = validate_title(title if isinstance(title, str) else "")
        _check_category(actor, category)
        destination = _new_topic(title, category, first=chosen[0])
    numbers = _insert_posts(destination, chosen)
    recount(destination)
    if not copy:
        _retire_messages(channel, chosen, actor, destination)
    audit.record(audit.CHAT_COPY if copy else audit.CHAT_MOVE, actor=actor, target=destination,
                 before={"channel_id": channel.id, "message_ids": [m.id for m in chosen]},
                 after={"topic_id": destination.id, "post_numbers": numbers})
    db.session.flush()
    return destination


def topic_from_reference(reference) -> Topic | None:
    """The topic a moderator means by "123" or a pasted address such as /t/drobi/123."""
    text = reference.strip() if isinstance(reference, str) else ""
    match = TOPIC_PATH.search(text)
    digits = match.group(1) if match else text
    if not digits.isdigit() or len(digits) > 18:
        return None
    return db.session.get(Topic, int(digits))


# --- checks ------------------------------------------------------------------------------------

def _require_moderator(actor: User, channel: ChatChannel) -> None:
    if not permissions.can_view_channel(actor, channel):
        raise DomainError(_("This channel does not exist or is not available to you."),
                          status_code=404)
    if not permissions.can_move_messages(actor, channel):
        raise DomainError(_("You cannot move messages out of this channel."), status_code=403)


def _chosen_messages(channel: ChatChannel, message_ids, since, until) -> list[ChatMessage]:
    query = select(ChatMessage).where(ChatMessage.channel_id == channel.id)
    if message_ids:
        ids = _valid_ids(message_ids)
        found = list(db.session.scalars(query.where(ChatMessage.id.in_(ids))))
        if len(found) != len(ids) or any(m.deleted_at is not None for m in found):
            raise DomainError(_("Some selected messages are no longer in this channel (moved "
                                "or deleted meanwhile). Reload the page and select again."),
                              field="message_ids")
    elif since is not None and until is not None:
        if until < since:
            raise DomainError(_("The end of the time range must come after its start."),
                              field="until")
        found = list(db.session.scalars(query.where(
            ChatMessage.deleted_at.is_(None), ChatMessage.created_at >= since,
            ChatMessage.created_at <= until).limit(MAX_MESSAGES_PER_MOVE + 1)))
    else:
        raise DomainError(_("Select the messages, or give a time range from–to."),
                          field="message_ids")
    if not found:
        raise DomainError(_("There are no messages in this time range."), field="since")
    if len(found) > MAX_MESSAGES_PER_MOVE:
        raise DomainError(_("Move at most %(n)d messages at a time.", n=MAX_MESSAGES_PER_MOVE),
                          field="message_ids")
    return sorted(found, key=lambda m: (m.created_at, m.id))


def _valid_ids(values) -> list[int]:
    if not isinstance(values, (list, tuple, set)):
        values = [values]
    ids = set()
    for value in values:
        number = int(value) if isinstance(value, str) and value.isdigit() else value
        if not isinstance(number, int) or isinstance(number, bool) or not 0 < number < 2**63:
            raise DomainError(_("The selected messages could not be understood."),
                              field="message_ids")
        ids.add(number)
    if len(ids) > MAX_MESSAGES_PER_MOVE:
        raise DomainError(_("Move at most %(n)d messages at a time.", n=MAX_MESSAGES_PER_MOVE),
                          field="message_ids")
    return sorted(ids)


def _check_destination(actor: User, topic: Topic) -> None:
    permissions.require(permissions.can_view_topic(actor, topic), hide=True)
    if topic.deleted_at is not None:
        raise DomainError(_("The destination topic is deleted."), field="destination")
    if topic.is_archived:
        raise DomainError(_("The destination topic is archived (read-only)."),
                          field="destination")
    if not permissions.can_reply(actor, topic):
        raise DomainError(_("You cannot add posts to that topic."), status_code=403)


def _check_category(actor: User, category: Category) -> None:
    permissions.require(permissions.can_view_category(actor, category), hide=True)
    if not permissions.can_create_topic(actor, category):
        raise DomainError(_("You cannot create topics in this category."), status_code=403)


# --- the move ----------------------------------------------------------------------------------

def _new_topic(title: str, category: Category, *, first: ChatMessage) -> Topic:
    """A topic opened in the name of the earliest message's author, at its time."""
    topic = Topic(title=title, slug=make_slug(title), category=category, user_id=first.user_id,
                  created_at=first.created_at, bumped_at=first.created_at)
    db.session.add(topic)
    category.topic_count += 1
    if first.user is not None:
        first.user.topic_count += 1
    db.session.flush()
    return topic


def _insert_posts(topic: Topic, chosen: list[ChatMessage]) -> list[int]:
    """One post per message, by its author at its time, numbered after the topic's last."""
    number = next_post_number(topic)
    numbers = []
    for message in chosen:
        post = Post(topic=topic, topic_id=topic.id, user_id=message.user_id, post_number=number,
                    raw=message.raw, cooked=str(cook_post(message.raw)),
                    created_at=message.created_at, updated_at=message.created_at)
        db.session.add(post)
        db.session.flush()
        author = message.user
        db.session.add(PostRevision(post_id=post.id, number=1, user_id=message.user_id,
                                    username=author.username if author else "", raw=message.raw,
                                    title=topic.title if number == 1 else None,
                                    created_at=message.created_at))
        if author is not None:
            author.post_count += 1
        numbers.append(number)
        number += 1
    return numbers


def _retire_messages(channel: ChatChannel, chosen: list[ChatMessage], actor: User,
                     topic: Topic) -> None:
    """Moved messages become placeholders; a note in the channel says where they went."""
    now = utcnow()
    for message in chosen:
        message.deleted_at, message.deleted_by_id = now, actor.id
    db.session.flush()
    for message in chosen:
        emit_after_commit(db.session, EVENT_CHAT_MESSAGE_UPDATED, message_data(message),
                          room=room_for_channel(channel.id), namespace=CHAT_NAMESPACE)
    _post_note(channel, actor, topic, len(chosen), now)


def _post_note(channel: ChatChannel, actor: User, topic: Topic, count: int, now) -> None:
    # Brackets would end the Markdown link text early; the cooker escapes everything else.
    title = re.sub(r"[\[\]]", "", topic.title)
    raw = ngettext("%(num)d message was moved to the topic [%(title)s](%(url)s).",
                   "%(num)d messages were moved to the topic [%(title)s](%(url)s).",
                   count, title=title, url=topic.url)
    note = ChatMessage(channel_id=channel.id, user_id=actor.id, raw=raw,
                       cooked=str(cook_post(raw)), created_at=now)
    note.channel = channel
    db.session.add(note)
    db.session.flush()
    channel.messages_count += 1
    channel.last_message_id, channel.last_message_at = note.id, now
    emit_after_commit(db.session, EVENT_CHAT_MESSAGE, message_data(note),
                      room=room_for_channel(channel.id), namespace=CHAT_NAMESPACE)
