"""Accounts: users with roles, groups that category permissions name, and API keys."""

from __future__ import annotations

import hashlib
from datetime import datetime

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from forum.models.base import Base, utcnow

# Roles, from most to least powerful. Students and parents read; teachers (members) write.
ROLE_ADMIN = "admin"
ROLE_MODERATOR = "moderator"
ROLE_MEMBER = "member"
ROLE_STUDENT = "student"
ROLE_PARENT = "parent"
ROLES = (ROLE_ADMIN, ROLE_MODERATOR, ROLE_MEMBER, ROLE_STUDENT, ROLE_PARENT)
STAFF_ROLES = (ROLE_ADMIN, ROLE_MODERATOR)
TEACHER_ROLES = (ROLE_ADMIN, ROLE_MODERATOR, ROLE_MEMBER)

group_members = Table(
    "group_members",
    Base.metadata,
    Column("group_id", Integer, ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60))
    # Lower-cased copies carry the unique indexes: names and addresses are case-insensitive.
    username_lower: Mapped[str] = mapped_column(String(60), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    email_lower: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256), default="")
    name: Mapped[str] = mapped_column(String(100), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    subjects: Mapped[str] = mapped_column(String(200), default="")
    about: Mapped[str] = mapped_column(Text, default="")
    about_cooked: Mapped[str] = mapped_column(Text, default="")
    locale: Mapped[str | None] = mapped_column(String(10))
    role: Mapped[str] = mapped_column(String(20), default=ROLE_MEMBER)
    trust_level: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    topic_count: Mapped[int] = mapped_column(default=0)
    post_count: Mapped[int] = mapped_column(default=0)
    # Sanctions: a silenced member reads but may not post, flag or chat; a suspended one may
    # not log in. Each lasts until its date; the reason is shown to the member.
    silenced_until: Mapped[datetime | None]
    silence_reason: Mapped[str | None] = mapped_column(Text, default="")
    suspended_until: Mapped[datetime | None]
    suspend_reason: Mapped[str | None] = mapped_column(Text, default="")
    # The badge shown as a title beside the member's name (one they hold and may use as title).
    title_badge_id: Mapped[int | None] = mapped_column(
        ForeignKey("badges.id", ondelete="SET NULL", use_alter=True))
    # The banner topic this member closed; a new banner shows again.
    dismissed_banner_topic_id: Mapped[int | None]

    groups: Mapped[list[Group]] = relationship(
        secondary=group_members, back_populates="members"
    )

    def set_password(self, password: str) -> None:
        # The method is configurable so tests can use a cheap hash; checks read it from the hash.
        method = current_app.config.get("PASSWORD_HASH_METHOD") if has_app_context() else None
        self.password_hash = generate_password_hash(password, method or "scrypt")

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:
        """Flask-Login: deleted and suspended accounts cannot log in (or stay logged in)."""
        return self.deleted_at is None and not self.is_suspended

    @property
    def is_silenced(self) -> bool:
        return self.silenced_until is not None and self.silenced_until > utcnow()

    @property
    def is_suspended(self) -> bool:
        return self.suspended_until is not None and self.suspended_until > utcnow()

    @property
    def is_admin(self) -> bool:
        return self.role == ROLE_ADMIN

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def display_name(self) -> str:
        return self.name or self.username

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class Group(Base):
    """A named set of users. Automatic groups derive membership from roles."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    full_name: Mapped[str] = mapped_column(String(120), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    # For automatic groups: which roles belong ("*" = everyone incl. guests, "+" = any account).
    automatic_roles: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    members: Mapped[list[User]] = relationship(secondary=group_members, back_populates="groups")

    @property
    def is_automatic(self) -> bool:
        return self.automatic_roles is not None


class ApiKey(Base):
    """A Discourse-style API key; only its SHA-256 digest is stored."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_digest: Mapped[str] = mapped_column(String(64), unique=True)
    truncated_key: Mapped[str] = mapped_column(String(8))
    # None: an "all users" key that may act as any user named in Api-Username.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    description: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])

    @staticmethod
    def digest(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
