"""Notification reads: a member's notifications, newest first, with what each links to."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from forum import permissions
from forum.extensions import db
from forum.models import ChatChannel, ChatMembership, Notification, Post, Topic, User
from forum.notifications import kinds
from forum.notifications.texts import gone_text, notification_text

PER_PAGE = 30
MAX_PAGE = 10_000


@dataclass
class Item:
    """One notification as the reader sees it: the sentence, and the topic only if visible."""

    note: Notification
    text: str
    topic: Topic | None
    channel: ChatChannel | None = None  # a chat notification's channel, when still readable
    # What it points to was deleted or became unreadable: shown as gone, with no link.
    gone: bool = False

    @property
    def is_read(self) -> bool:
        return self.note.read_at is not None


@dataclass
class NotificationPage:
    items: list[Item]
    page: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def notification_page(user: User, page: int = 1) -> NotificationPage:
    """One page of the member's notifications, newest first, rendered in the current locale."""
    page = min(max(page, 1), MAX_PAGE)
    rows = list(db.session.scalars(
        select(Notification).where(Notification.user_id == user.id)
        .options(selectinload(Notification.topic).selectinload(Topic.category))
        .order_by(Notification.id.desc()).offset((page - 1) * PER_PAGE).limit(PER_PAGE + 1)))
    channels = _chat_channels(rows[:PER_PAGE])
    posts = _posts(rows[:PER_PAGE])
    items = [item_for(user, note, channels, posts) for note in rows[:PER_PAGE]]
    return NotificationPage(items=items, page=page, has_next=len(rows) > PER_PAGE)


# Kinds that point at a post: when it (or its topic) is gone, so is the notification's point.
CONTENT_KINDS = frozenset({
    kinds.KIND_REPLIED, kinds.KIND_MENTIONED, kinds.KIND_QUOTED, kinds.KIND_LIKED,
    kinds.KIND_POSTED, kinds.KIND_WATCHING_FIRST_POST, kinds.KIND_BOOKMARK_REMINDER})


def item_for(user: User, note: Notification,
             channels: dict[int, ChatChannel] | None = None,
             posts: dict[tuple[int, int], Post] | None = None) -> Item:
    """The sentence and link target; a topic or channel the reader can no longer see stays
    unnamed, and a notification about a post that was deleted or became unreadable is gone."""
    topic = note.topic
    if topic is not None and not permissions.can_view_topic(user, topic):
        topic = None
    if note.kind in CONTENT_KINDS and note.topic_id is not None:
        if topic is None:
            return Item(note=note, text=gone_text(post=False), topic=None, gone=True)
        if note.post_number and not _post_readable(user, topic, note, posts):
            return Item(note=note, text=gone_text(post=True), topic=None, gone=True)
    channel = _readable_channel(user, note, channels)
    return Item(note=note, text=notification_text(note, topic.title if topic else None,
                                                  _channel_name(channel, user)),
                topic=topic, channel=channel)


def link_for(item: Item) -> str:
    """Where a notification leads: its badge, chat message, post — or the list, when the
    reader can no longer see what it was about."""
    from flask import url_for

    from forum.chat.links import channel_url
    from forum.notifications.kinds import KIND_BADGE_GRANTED

    note = item.note
    data = note.data if isinstance(note.data, dict) else {}
    if note.kind == KIND_BADGE_GRANTED and isinstance(data.get("badge_id"), int):
        return url_for("badges.show", badge_id=data["badge_id"])
    if item.channel is not None:
        return channel_url(item.channel, data.get("message_id"))
    if item.topic is None:
        return url_for("notifications.index")
    return url_for("topics.show", slug=item.topic.slug, topic_id=item.topic.id,
                   post_number=note.post_number) + (
        f"#post_{note.post_number}" if note.post_number else "")


def _posts(notes: list[Notification]) -> dict[tuple[int, int], Post]:
    """The posts a page of notifications points at, keyed (topic_id, post_number), one query."""
    wanted = {(n.topic_id, n.post_number) for n in notes
              if n.topic_id is not None and n.post_number and n.kind in CONTENT_KINDS}
    if not wanted:
        return {}
    found = db.session.scalars(select(Post).where(
        Post.topic_id.in_({t for t, _ in wanted}),
        Post.post_number.in_({p for _, p in wanted})))
    return {(p.topic_id, p.post_number): p for p in found
            if (p.topic_id, p.post_number) in wanted}


def _post_readable(user: User, topic: Topic, note: Notification,
                   posts: dict[tuple[int, int], Post] | None) -> bool:
    if posts is not None:
        post = posts.get((topic.id, note.post_number))
    else:
        post = db.session.scalar(select(Post).where(Post.topic_id == topic.id,
                                                    Post.post_number == note.post_number))
    return post is not None and post.deleted_at is None and permissions.can_view_post(user, post)


def _chat_channel_id(note: Notification) -> int | None:
    value = note.data.get("channel_id") if isinstance(note.data, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _chat_channels(notes: list[Notification]) -> dict[int, ChatChannel]:
    """The channels a page of notifications speaks of, with memberships, in two queries."""
    ids = {i for i in map(_chat_channel_id, notes) if i is not None}
    if not ids:
        return {}
    found = db.session.scalars(select(ChatChannel).where(ChatChannel.id.in_(ids)).options(
        selectinload(ChatChannel.memberships).selectinload(ChatMembership.user),
        selectinload(ChatChannel.category)))
    return {c.id: c for c in found}


def _readable_channel(user: User, note: Notification,
                      channels: dict[int, ChatChannel] | None) -> ChatChannel | None:
    channel_id = _chat_channel_id(note)
    if channel_id is None:
        return None
    channel = (channels.get(channel_id) if channels is not None
               else db.session.get(ChatChannel, channel_id))
    return channel if channel is not None and permissions.can_view_channel(user, channel) \
        else None


def _channel_name(channel: ChatChannel | None, user: User) -> str | None:
    if channel is None:
        return None
    if channel.is_direct:
        from forum.chat.channels import direct_title

        return direct_title(channel, user)
    return channel.name


def notification_for(user: User, notification_id: int) -> Notification | None:
    """The member's own notification by id (None for anyone else's)."""
    return db.session.scalar(select(Notification).where(
        Notification.id == notification_id, Notification.user_id == user.id))


def total_count(user: User) -> int:
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user.id)) or 0


def last_read_id(user: User) -> int | None:
    """The newest notification the member has read (Discourse's seen_notification_id)."""
    return db.session.scalar(select(func.max(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_not(None)))
