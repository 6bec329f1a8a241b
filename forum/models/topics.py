"""Topics, posts, post revisions and composer drafts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.models.base import Base, utcnow


class Topic(Base):
    __tablename__ = "topics"
    __table_args__ = (
        Index("ix_topics_category_bumped", "category_id", "bumped_at"),
        Index("ix_topics_bumped", "bumped_at"),
        # A member's "new" count reads only the recent end of this index.
        Index("ix_topics_created", "created_at"),
        # Latest's first page looks up the few globally pinned topics on every view: a partial
        # index holds just them (a plain one on a flag that is almost always false goes unused).
        # PostgreSQL's condition is added by add_postgresql_options().
        Index("ix_topics_pinned_globally", "bumped_at",
              sqlite_where=text("is_pinned_globally IS 1")),
        # Every page looks up the one banner topic.
        Index("ix_topics_is_banner", "is_banner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(255))
    slug: Mapped[str] = mapped_column(String(255), default="topic")
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    bumped_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_posted_at: Mapped[datetime | None]
    last_poster_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    posts_count: Mapped[int] = mapped_column(default=0)
    highest_post_number: Mapped[int] = mapped_column(default=0)
    views: Mapped[int] = mapped_column(default=0)
    like_count: Mapped[int] = mapped_column(default=0, server_default="0")
    is_closed: Mapped[bool] = mapped_column(default=False)
    is_archived: Mapped[bool] = mapped_column(default=False)
    # Unlisted topics (is_visible False) are reachable by link only.
    is_visible: Mapped[bool] = mapped_column(default=True)
    pinned_at: Mapped[datetime | None]
    # A pin may lapse by itself; lists treat a pin past this date as no pin.
    pinned_until: Mapped[datetime | None]
    is_pinned_globally: Mapped[bool] = mapped_column(default=False)
    # The one banner topic is shown on every page until each reader dismisses it.
    is_banner: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Slow mode: a member may reply here once per this many seconds (0: off).
    slow_mode_seconds: Mapped[int] = mapped_column(default=0, server_default="0")
    # A new member's topic held for approval is seen only by its author and moderators.
    is_awaiting_approval: Mapped[bool] = mapped_column(default=False,
                                                       server_default=false())
    deleted_at: Mapped[datetime | None]
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    category = relationship("Category", lazy="joined", innerjoin=True)
    user = relationship("User", foreign_keys=[user_id])
    last_poster = relationship("User", foreign_keys=[last_poster_id])

    @property
    def reply_count(self) -> int:
        return max(self.posts_count - 1, 0)

    @property
    def is_pinned(self) -> bool:
        """Pinned now: a pin past its pinned_until date counts as no pin."""
        return self.pinned_at is not None and (
            self.pinned_until is None or self.pinned_until > utcnow())

    @property
    def url(self) -> str:
        return f"/t/{self.slug}/{self.id}"

    def __repr__(self) -> str:
        return f"<Topic {self.id} {self.title!r}>"


# Why a post is hidden: flagged by the community, hidden by a moderator, awaiting approval.
HIDDEN_FLAGGED = "flagged"
HIDDEN_BY_MODERATOR = "moderator"
HIDDEN_AWAITING_APPROVAL = "approval"
HIDDEN_REASONS = (HIDDEN_FLAGGED, HIDDEN_BY_MODERATOR, HIDDEN_AWAITING_APPROVAL)


def add_postgresql_options() -> None:
    """Give the partial index its PostgreSQL condition; called when the database is PostgreSQL.

    Naming a postgresql_* option imports SQLAlchemy's PostgreSQL dialect, 2 MB of every
    SQLite worker's RSS (issue #2: ≤ 100 MB a worker), so the model leaves it out. Setting it
    again is harmless: tests build many apps."""
    index = next(i for i in Topic.__table__.indexes if i.name == "ix_topics_pinned_globally")
    index.dialect_kwargs["postgresql_where"] = text("is_pinned_globally")


class Post(Base):
    __tablename__ = "posts"
    __table_args__ = (UniqueConstraint("topic_id", "post_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id"))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    post_number: Mapped[int]
    reply_to_post_number: Mapped[int | None]
    raw: Mapped[str] = mapped_column(Text)
    cooked: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    reply_count: Mapped[int] = mapped_column(default=0)
    like_count: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_editor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    deleted_at: Mapped[datetime | None]
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # A hidden post shows a placeholder to readers and its content to its author and moderators.
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str | None] = mapped_column(String(20))  # one of HIDDEN_REASONS
    # The topic's author marked this reply helpful (a reputation source; shown to every reader).
    helpful_at: Mapped[datetime | None]

    topic = relationship("Topic")
    user = relationship("User", foreign_keys=[user_id])

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_first(self) -> bool:
        return self.post_number == 1

    @property
    def url(self) -> str:
        return f"/t/{self.topic.slug}/{self.topic_id}/{self.post_number}"

    def __repr__(self) -> str:
        return f"<Post {self.topic_id}#{self.post_number}>"


class MovedPost(Base):
    """Where a post went when it was moved, split or merged: old permalinks redirect here."""

    __tablename__ = "moved_posts"
    __table_args__ = (UniqueConstraint("old_topic_id", "old_post_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    old_topic_id: Mapped[int] = mapped_column(index=True)
    old_post_number: Mapped[int]
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PostRevision(Base):
    """One saved version of a post: revision 1 is the original, each edit adds one."""

    __tablename__ = "post_revisions"
    __table_args__ = (UniqueConstraint("post_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    number: Mapped[int]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The editor's name survives account deletion (history must stay readable).
    username: Mapped[str] = mapped_column(String(60), default="")
    raw: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(String(255))
    edit_reason: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User")


class Draft(Base):
    """What a member is composing, kept server-side so nothing typed is lost."""

    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("user_id", "draft_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    draft_key: Mapped[str] = mapped_column(String(60))
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    sequence: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class SiteState(Base):
    """A single row whose generation changes whenever public content changes.

    Guests' page cache keys include it, so every process sees an edit at once.
    """

    __tablename__ = "site_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    generation: Mapped[int] = mapped_column(default=0)


__all__ = ["Topic", "Post", "PostRevision", "MovedPost", "Draft", "SiteState", "HIDDEN_REASONS",
           "HIDDEN_FLAGGED", "HIDDEN_BY_MODERATOR", "HIDDEN_AWAITING_APPROVAL"]
