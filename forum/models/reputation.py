"""Reputation: likes (Discourse's post actions), members' activity statistics and daily visits
for trust levels, the reputation event ledger, badges and the badges members hold."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from forum.models.base import Base, utcnow

# Discourse's post_action_type_id for a like (flags use 3, 4, 7, 8; see models.moderation).
POST_ACTION_LIKE = 2

TRUST_LEVELS = (0, 1, 2, 3, 4)  # new, basic, member, regular, leader

BADGE_BRONZE, BADGE_SILVER, BADGE_GOLD = "bronze", "silver", "gold"
BADGE_TIERS = (BADGE_BRONZE, BADGE_SILVER, BADGE_GOLD)


class PostAction(Base):
    """A member's like on a post (one per member per post); unliking removes the row."""

    __tablename__ = "post_actions"
    __table_args__ = (
        UniqueConstraint("post_id", "user_id", "action_type"),
        Index("ix_post_actions_user_created", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    action_type: Mapped[int] = mapped_column(default=POST_ACTION_LIKE)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    post = relationship("Post")
    user = relationship("User")


class UserStats(Base):
    """Counters that trust levels, the portfolio and the honour board read, one row per member,
    kept right by the services (never aggregated per request)."""

    __tablename__ = "user_stats"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    days_visited: Mapped[int] = mapped_column(default=0, server_default="0")
    topics_entered: Mapped[int] = mapped_column(default=0, server_default="0")
    posts_read: Mapped[int] = mapped_column(default=0, server_default="0")
    time_read_seconds: Mapped[int] = mapped_column(default=0, server_default="0")
    likes_given: Mapped[int] = mapped_column(default=0, server_default="0")
    likes_received: Mapped[int] = mapped_column(default=0, server_default="0")
    reputation: Mapped[int] = mapped_column(default=0, server_default="0", index=True)
    # Trust levels: when the current level was reached, and the end of the grace period a
    # regular (TL3) keeps after activity drops below the requirements.
    trust_level_reached_at: Mapped[datetime | None]
    tl3_grace_until: Mapped[datetime | None]
    # An admin fixed the level (e.g. granted TL4): automatic promotion and demotion skip it.
    trust_level_locked: Mapped[bool] = mapped_column(default=False, server_default=false())

    user = relationship("User", backref=backref("stats", uselist=False))


class UserVisit(Base):
    """One day on which a member visited, with what they read that day (TL3's recent window)."""

    __tablename__ = "user_visits"
    __table_args__ = (UniqueConstraint("user_id", "visited_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    visited_on: Mapped[date] = mapped_column(Date)
    posts_read: Mapped[int] = mapped_column(default=0, server_default="0")
    time_read_seconds: Mapped[int] = mapped_column(default=0, server_default="0")


class TopicRead(Base):
    """How far a member has read a topic (Discourse's TopicUser.last_read_post_number): the row
    says the topic was entered once, and the high-water mark keeps a post from counting as
    read twice when the page is opened again."""

    __tablename__ = "topic_reads"
    __table_args__ = (
        UniqueConstraint("user_id", "topic_id"),
        Index("ix_topic_reads_user_last_read", "user_id", "last_read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"))
    last_read_post_number: Mapped[int] = mapped_column(default=0, server_default="0")
    time_read_seconds: Mapped[int] = mapped_column(default=0, server_default="0")
    first_read_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_read_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReputationEvent(Base):
    """One entry of a member's reputation ledger: what happened, who caused it, how many points.

    The score is the sum of a member's entries, so it is explainable (the profile lists them)
    and recomputable from the source tables with the same result.
    """

    __tablename__ = "reputation_events"
    __table_args__ = (
        Index("ix_reputation_events_user_created", "user_id", "created_at"),
        Index("ix_reputation_events_created", "created_at"),
        # A source counts once per kind: recompute and incremental updates cannot double it.
        UniqueConstraint("user_id", "kind", "source_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))  # e.g. "like_received", "post_removed"
    points: Mapped[int]
    source_key: Mapped[str] = mapped_column(String(80))  # e.g. "like:123", "badge:45"
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"))
    # The category the event happened in, for the per-category honour board.
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User", foreign_keys=[user_id])
    actor = relationship("User", foreign_keys=[actor_id])


class Badge(Base):
    """A badge's stored identity and holder count; its name, description and rule are declared
    in code (forum.reputation) by slug, so they are translated like the rest of the interface."""

    __tablename__ = "badges"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    tier: Mapped[str] = mapped_column(String(10), default=BADGE_BRONZE)
    icon: Mapped[str] = mapped_column(String(40), default="")
    allow_multiple: Mapped[bool] = mapped_column(default=False)
    is_manual: Mapped[bool] = mapped_column(default=False)
    is_enabled: Mapped[bool] = mapped_column(default=True)
    # Badges that may serve as a title beside the member's name.
    allow_title: Mapped[bool] = mapped_column(default=False)
    grant_count: Mapped[int] = mapped_column(default=0, server_default="0")


class UserBadge(Base):
    """A badge granted to a member; grant_key tells repeated grants apart (empty for badges
    granted once, e.g. the post id or the year for repeatable ones), which makes backfills
    idempotent."""

    __tablename__ = "user_badges"
    __table_args__ = (
        UniqueConstraint("badge_id", "user_id", "grant_key"),
        Index("ix_user_badges_user", "user_id", "granted_at"),
        Index("ix_user_badges_badge", "badge_id", "granted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    badge_id: Mapped[int] = mapped_column(ForeignKey("badges.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    grant_key: Mapped[str] = mapped_column(String(60), default="")
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"))

    badge: Mapped[Badge] = relationship()
    user = relationship("User", foreign_keys=[user_id])
    granted_by = relationship("User", foreign_keys=[granted_by_id])
    post = relationship("Post")


__all__ = [
    "PostAction", "UserStats", "UserVisit", "TopicRead", "ReputationEvent", "Badge", "UserBadge",
    "POST_ACTION_LIKE", "TRUST_LEVELS", "BADGE_BRONZE", "BADGE_SILVER", "BADGE_GOLD",
    "BADGE_TIERS",
]
