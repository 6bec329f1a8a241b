"""Moderation records: the append-only staff action log, flags, the review queue,
site settings that admins change at run time, and editable site pages with revisions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.models.base import Base, utcnow

# Flag kinds, with Discourse's post_action_type ids (the API speaks the numbers).
FLAG_OFF_TOPIC = "off_topic"
FLAG_INAPPROPRIATE = "inappropriate"
FLAG_SPAM = "spam"
FLAG_OTHER = "other"  # "something else": the flagger must say what
FLAG_TYPE_IDS = {FLAG_OFF_TOPIC: 3, FLAG_INAPPROPRIATE: 4, FLAG_OTHER: 7, FLAG_SPAM: 8}
FLAG_KINDS = tuple(FLAG_TYPE_IDS)

# Review item kinds and the states every review item (and each of its flags) moves through.
REVIEW_FLAGGED_POST = "flagged_post"
REVIEW_QUEUED_POST = "queued_post"  # a new member's post held for approval
REVIEW_FLAGGED_CHAT_MESSAGE = "flagged_chat"  # a chat message flagged by members
REVIEW_PENDING = "pending"
REVIEW_AGREED = "agreed"  # for a queued post: approved
REVIEW_DISAGREED = "disagreed"  # for a queued post: rejected
REVIEW_IGNORED = "ignored"
REVIEW_STATES = (REVIEW_PENDING, REVIEW_AGREED, REVIEW_DISAGREED, REVIEW_IGNORED)


class StaffAction(Base):
    """One moderation or admin action: who, when, what, on which target, why, before/after.

    Append-only: the ORM refuses to update or delete a row (see the listeners below), and no
    view or API route offers to. The actor's and target's names are copied so the history
    reads the same after an account is deleted or a topic renamed.
    """

    __tablename__ = "staff_actions"
    __table_args__ = (
        Index("ix_staff_actions_created", "created_at"),
        Index("ix_staff_actions_target", "target_type", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(40), index=True)  # e.g. "topic.close"
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    actor_name: Mapped[str] = mapped_column(String(60), default="")
    target_type: Mapped[str] = mapped_column(String(20), default="")  # topic, post, user, …
    target_id: Mapped[int | None]
    target_label: Mapped[str] = mapped_column(String(255), default="")
    # The category the target lives in: subject moderators see the log of their categories.
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="SET NULL"), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actor = relationship("User", foreign_keys=[actor_id])
    category = relationship("Category")


@event.listens_for(StaffAction, "before_update")
@event.listens_for(StaffAction, "before_delete")
def _refuse_rewriting_history(mapper, connection, target) -> None:
    raise PermissionError("the staff action log is append-only")


class Reviewable(Base):
    """An item in the moderators' review queue: a flagged post, a post held for approval,
    or a flagged chat message (exactly one of post_id and chat_message_id is set)."""

    __tablename__ = "reviewables"
    __table_args__ = (Index("ix_reviewables_status_created", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # REVIEW_FLAGGED_POST | REVIEW_QUEUED_POST
    status: Mapped[str] = mapped_column(String(20), default=REVIEW_PENDING)
    post_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    chat_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("chat_messages.id", ondelete="CASCADE"), index=True)
    # Copied from the post's topic so the queue can be scoped to a moderator's categories.
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolved_by_name: Mapped[str] = mapped_column(String(60), default="")
    resolution_note: Mapped[str] = mapped_column(Text, default="")
    # The author edited the post after it was hidden by flags: the item came back for review.
    edited_by_author_at: Mapped[datetime | None]

    post = relationship("Post")
    chat_message = relationship("ChatMessage")
    category = relationship("Category")
    resolved_by = relationship("User")
    flags: Mapped[list[Flag]] = relationship(back_populates="reviewable",
                                             order_by="Flag.created_at")


class Flag(Base):
    """A member's flag on a post or a chat message; one per member per post or message."""

    __tablename__ = "flags"
    __table_args__ = (UniqueConstraint("post_id", "user_id"),
                      UniqueConstraint("chat_message_id", "user_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    chat_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("chat_messages.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20))  # one of FLAG_KINDS
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=REVIEW_PENDING)
    reviewable_id: Mapped[int | None] = mapped_column(
        ForeignKey("reviewables.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User")
    post = relationship("Post")
    chat_message = relationship("ChatMessage")
    reviewable: Mapped[Reviewable | None] = relationship(back_populates="flags")


class SiteSetting(Base):
    """An admin-changed value of a setting declared in forum.settings (absent: the default)."""

    __tablename__ = "site_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    value: Mapped[dict | list | str | int | bool | None] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class SitePage(Base):
    """An admin-edited page such as the code of conduct, in Markdown with its cooked HTML."""

    __tablename__ = "site_pages"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(255))
    raw: Mapped[str] = mapped_column(Text, default="")
    cooked: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    revisions: Mapped[list[SitePageRevision]] = relationship(
        back_populates="page", order_by="SitePageRevision.number")


class SitePageRevision(Base):
    """One saved version of a site page."""

    __tablename__ = "site_page_revisions"
    __table_args__ = (UniqueConstraint("page_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("site_pages.id", ondelete="CASCADE"))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(255))
    raw: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    username: Mapped[str] = mapped_column(String(60), default="")
    edit_reason: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    page: Mapped[SitePage] = relationship(back_populates="revisions")


__all__ = [
    "StaffAction", "Reviewable", "Flag", "SiteSetting", "SitePage", "SitePageRevision",
    "FLAG_KINDS", "FLAG_TYPE_IDS", "FLAG_OFF_TOPIC", "FLAG_INAPPROPRIATE", "FLAG_SPAM",
    "FLAG_OTHER", "REVIEW_FLAGGED_POST", "REVIEW_QUEUED_POST", "REVIEW_FLAGGED_CHAT_MESSAGE",
    "REVIEW_STATES",
    "REVIEW_PENDING", "REVIEW_AGREED", "REVIEW_DISAGREED", "REVIEW_IGNORED",
]
