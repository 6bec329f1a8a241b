"""The search index: one document per searchable item (a post, a chat message, a resource)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from forum.models.base import Base, utcnow


class SearchDocument(Base):
    """The text of one item as search sees it, keyed by (kind, ref_id).

    Who may read the item is never stored here: every search joins the item's own tables
    and applies the visibility filters at query time. The full-text index beside this table
    is per database — PostgreSQL: a generated `tsv` column with a GIN index; SQLite: the
    FTS5 table `search_fts` holding stems, rowid = id (see forum.search.schema).
    """

    __tablename__ = "search_documents"
    __table_args__ = (UniqueConstraint("kind", "ref_id"),
                      Index("ix_search_documents_kind_created", "kind", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # 'post', 'chat', or a registered kind
    ref_id: Mapped[int]
    title: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")  # plain text, never HTML
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    indexed_at: Mapped[datetime] = mapped_column(default=utcnow)


__all__ = ["SearchDocument"]
