"""Uploads: files members attach to posts, stored once per content hash, and which posts
reference which upload (the library builds on these links)."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.models.base import Base, utcnow

UPLOAD_IMAGE, UPLOAD_FILE = "image", "file"

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
SHORT_KEY_LENGTH = 22  # 22 base62 digits: about 131 random bits


def new_short_key() -> str:
    """A random base62 key naming one upload in Markdown (`upload://KEY.ext`) and in its URL.

    Random rather than derived from the content hash: the same bytes uploaded by two members
    are two uploads with two names, and a key cannot be guessed from a file one happens to hold.
    """
    return "".join(secrets.choice(BASE62) for _ in range(SHORT_KEY_LENGTH))


class Upload(Base):
    """One upload by one member. The bytes live in the storage under their SHA-256, so the
    same file uploaded twice (by anyone) is stored once while each upload keeps its own name."""

    __tablename__ = "uploads"
    __table_args__ = (Index("ix_uploads_user_created", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The public name of the upload (see new_short_key); unique.
    short_key: Mapped[str] = mapped_column(String(32), unique=True, default=new_short_key)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    original_filename: Mapped[str] = mapped_column(String(255))
    extension: Mapped[str] = mapped_column(String(16))
    content_type: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(10), default=UPLOAD_FILE)  # image | file
    size: Mapped[int]
    width: Mapped[int | None]
    height: Mapped[int | None]
    # The thumbnail of an image (or of a PDF's first page), itself stored by its hash.
    thumbnail_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User")


class PostUpload(Base):
    """A post's Markdown references this upload; kept in step with each edit of the post."""

    __tablename__ = "post_uploads"
    __table_args__ = (UniqueConstraint("post_id", "upload_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    upload_id: Mapped[int] = mapped_column(ForeignKey("uploads.id", ondelete="CASCADE"),
                                           index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    post = relationship("Post")
    upload = relationship("Upload")
