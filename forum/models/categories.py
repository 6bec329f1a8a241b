"""Categories (one level of subcategories), their group permissions and subject moderators."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship

from forum.models.base import Base, utcnow

# Discourse's permission types: a lower number grants more.
PERMISSION_FULL = 1  # see, create topics, reply
PERMISSION_REPLY = 2  # see, reply
PERMISSION_READONLY = 3  # see
PERMISSION_NAMES = {PERMISSION_FULL: "full", PERMISSION_REPLY: "create_post",
                    PERMISSION_READONLY: "readonly"}

category_moderators = Table(
    "category_moderators",
    Base.metadata,
    Column("category_id", Integer, ForeignKey("categories.id", ondelete="CASCADE"),
           primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Category(Base):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    color: Mapped[str] = mapped_column(String(6), default="0088CC")
    text_color: Mapped[str] = mapped_column(String(6), default="FFFFFF")
    position: Mapped[int] = mapped_column(default=0)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="RESTRICT"), index=True
    )
    topic_count: Mapped[int] = mapped_column(default=0)
    post_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    parent: Mapped[Category | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Category]] = relationship(
        back_populates="parent", order_by="Category.position"
    )
    permissions: Mapped[list[CategoryPermission]] = relationship(
        back_populates="category", cascade="all, delete-orphan", lazy="selectin"
    )
    moderators = relationship("User", secondary=category_moderators, lazy="selectin")

    @property
    def url(self) -> str:
        return f"/c/{self.slug}/{self.id}"

    def __repr__(self) -> str:
        return f"<Category {self.slug}>"


class CategoryPermission(Base):
    __tablename__ = "category_permissions"
    __table_args__ = (UniqueConstraint("category_id", "group_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    permission_type: Mapped[int] = mapped_column(default=PERMISSION_FULL)

    category: Mapped[Category] = relationship(back_populates="permissions")
    group = relationship("Group", lazy="joined")


@event.listens_for(Category.moderators, "append")
@event.listens_for(Category.moderators, "remove")
def _forget_whether_user_moderates(category, user, initiator, *args) -> None:
    """User.moderates_any_category (models.user_state) may be loaded: re-read it after a change."""
    session = object_session(user)
    if session is not None and user.id is not None:
        session.expire(user, ["moderates_any_category"])

