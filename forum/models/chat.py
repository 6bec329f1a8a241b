"""Live chat: channels (category, public, private, seminar rooms, direct messages), memberships
with read positions and per-channel silences, messages with revisions, and reactions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.models.base import Base, utcnow

# Channel kinds. A category channel is readable by whoever reads its category; a public
# channel by every signed-in reader (and guests); private channels and direct messages only
# by their members; a seminar room is public but has a host, a start and an end.
CHANNEL_CATEGORY = "category"
CHANNEL_PUBLIC = "public"
CHANNEL_PRIVATE = "private"
CHANNEL_SEMINAR = "seminar"
CHANNEL_DIRECT = "direct"
CHANNEL_KINDS = (CHANNEL_CATEGORY, CHANNEL_PUBLIC, CHANNEL_PRIVATE, CHANNEL_SEMINAR,
                 CHANNEL_DIRECT)
# Kinds anyone who may read the channel may join by themselves; the rest are by invitation.
OPEN_CHANNEL_KINDS = (CHANNEL_CATEGORY, CHANNEL_PUBLIC, CHANNEL_SEMINAR)


class ChatChannel(Base):
    __tablename__ = "chat_channels"
    __table_args__ = (Index("ix_chat_channels_kind_last", "kind", "last_message_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # one of CHANNEL_KINDS
    name: Mapped[str] = mapped_column(String(100), default="")
    slug: Mapped[str] = mapped_column(String(100), default="channel")
    description: Mapped[str] = mapped_column(Text, default="")
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Seminar rooms: the host moderates the room; before starts_at it is read-only,
    # after ends_at it is an archive.
    host_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    starts_at: Mapped[datetime | None]
    ends_at: Mapped[datetime | None]
    is_closed: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Slow mode: a member may send one message per this many seconds (0: off).
    slow_mode_seconds: Mapped[int] = mapped_column(default=0, server_default="0")
    messages_count: Mapped[int] = mapped_column(default=0, server_default="0")
    last_message_id: Mapped[int | None]
    last_message_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None]

    category = relationship("Category")
    host = relationship("User", foreign_keys=[host_id])
    created_by = relationship("User", foreign_keys=[created_by_id])
    memberships: Mapped[list[ChatMembership]] = relationship(
        back_populates="channel", cascade="all, delete-orphan")

    @property
    def is_direct(self) -> bool:
        return self.kind == CHANNEL_DIRECT

    @property
    def is_seminar(self) -> bool:
        return self.kind == CHANNEL_SEMINAR


class ChatMembership(Base):
    """A member's place in a channel: joined or invited, where they stopped reading, and
    a silence that applies in this channel only."""

    __tablename__ = "chat_memberships"
    __table_args__ = (UniqueConstraint("channel_id", "user_id"),
                      Index("ix_chat_memberships_user", "user_id", "is_following"))

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("chat_channels.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # Following: listed under "my channels" with unread counts. Leaving clears it; the row
    # stays so an invitation to a private channel survives leaving and re-joining.
    is_following: Mapped[bool] = mapped_column(default=True)
    is_invited: Mapped[bool] = mapped_column(default=False, server_default=false())
    last_read_message_id: Mapped[int | None]
    silenced_until: Mapped[datetime | None]
    last_message_at: Mapped[datetime | None]  # for slow mode and rate limits
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)

    channel: Mapped[ChatChannel] = relationship(back_populates="memberships")
    user = relationship("User")

    @property
    def is_silenced(self) -> bool:
        return self.silenced_until is not None and self.silenced_until > utcnow()


class ChatMessage(Base):
    __tablename__ = "chat_messages"
    __table_args__ = (
        Index("ix_chat_messages_channel_id", "channel_id", "id"),
        # Nothing is lost and nothing doubles: a resend with the same client id is the same
        # message (PostgreSQL and SQLite both let NULLs repeat in a unique index). Unique across
        # authors, so replaying someone else's id is refused rather than becoming a new message.
        UniqueConstraint("client_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("chat_channels.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    client_id: Mapped[str | None] = mapped_column(String(64))
    raw: Mapped[str] = mapped_column(Text)
    cooked: Mapped[str] = mapped_column(Text)
    reply_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("chat_messages.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    channel: Mapped[ChatChannel] = relationship()
    user = relationship("User", foreign_keys=[user_id])
    reply_to: Mapped[ChatMessage | None] = relationship(remote_side=[id])
    reactions: Mapped[list[ChatReaction]] = relationship(
        back_populates="message", cascade="all, delete-orphan", order_by="ChatReaction.id")


class ChatMessageRevision(Base):
    """The text a message had before an edit."""

    __tablename__ = "chat_message_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("chat_messages.id", ondelete="CASCADE"), index=True)
    raw: Mapped[str] = mapped_column(Text)
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    editor_name: Mapped[str] = mapped_column(String(60), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ChatReaction(Base):
    __tablename__ = "chat_reactions"
    __table_args__ = (UniqueConstraint("message_id", "user_id", "emoji"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("chat_messages.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    emoji: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    message: Mapped[ChatMessage] = relationship(back_populates="reactions")
    user = relationship("User")


__all__ = [
    "ChatChannel", "ChatMembership", "ChatMessage", "ChatMessageRevision", "ChatReaction",
    "CHANNEL_KINDS", "CHANNEL_CATEGORY", "CHANNEL_PUBLIC", "CHANNEL_PRIVATE", "CHANNEL_SEMINAR",
    "CHANNEL_DIRECT", "OPEN_CHANNEL_KINDS",
]
