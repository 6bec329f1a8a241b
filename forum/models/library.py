"""The resource library («методическая копилка»): a resource per file attached to a post, its
versions, expert reviews, members' star ratings, daily unique downloads, and which group of
experts reviews each subject."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    DDL,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.models.base import Base, utcnow

# Grade levels: preschool, grades 1–11, vocational (СПО). Stored as ",1,5,spo," for LIKE filters.
GRADE_LEVELS = ("preschool", *(str(n) for n in range(1, 12)), "spo")
# Material types the issue lists, in its order.
MATERIAL_TYPES = ("lesson_plan", "presentation", "work_programme", "assessment",
                  "extracurricular", "video_lesson", "methodological", "other")
LICENCES = ("cc-by-4.0", "cc-by-sa-4.0", "cc-by-nc-4.0", "cc-by-nc-sa-4.0", "cc0",
            "all-rights-reserved")
REVIEW_CRITERIA = ("relevance", "methodology", "clarity", "completeness")
# "Recommended by experts": at least this many reviews of the current version, averaging this.
RECOMMENDED_MIN_REVIEWS = 2
RECOMMENDED_MIN_AVERAGE = 4.0


class LibraryExpertGroup(Base):
    """The group whose members review the resources of one subject (category and its
    subcategories): «Эксперты: математика» is an ordinary group linked here."""

    __tablename__ = "library_expert_groups"

    category_id: Mapped[int] = mapped_column(
        ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"),
                                          index=True)

    category = relationship("Category")
    group = relationship("Group")


class Resource(Base):
    """One file attached to one post, with the metadata its author edits. The post decides who
    may see it; the subject is only where the library files it."""

    __tablename__ = "library_resources"
    __table_args__ = (
        UniqueConstraint("post_id", "source_upload_id"),
        Index("ix_library_resources_category_created", "category_id", "created_at"),
        # The three sorts of the browse page, each with the id that breaks ties.
        Index("ix_library_resources_created", "created_at", "id"),
        Index("ix_library_resources_downloads", "download_count", "id"),
        Index("ix_library_resources_rating", "is_recommended", "review_average",
              "rating_average", "rating_count", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    # The upload the post attached (the first version); the current one is `upload_id`.
    source_upload_id: Mapped[int] = mapped_column(ForeignKey("uploads.id", ondelete="CASCADE"))
    upload_id: Mapped[int] = mapped_column(ForeignKey("uploads.id", ondelete="CASCADE"),
                                           index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                index=True)
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    grade_levels: Mapped[str] = mapped_column(String(100), default="")
    material_type: Mapped[str] = mapped_column(String(30), default="other")
    tags: Mapped[str] = mapped_column(String(400), default="")  # ",tag one,tag two,"
    licence: Mapped[str] = mapped_column(String(30), default="cc-by-4.0")
    # Deferred: lists never load the (long) text and stems, only search and the indexer do.
    extracted_text: Mapped[str] = mapped_column(Text, default="", deferred=True)
    # Unique Russian/English stems of title, description, tags and text: " stem stem … ".
    search_stems: Mapped[str] = mapped_column(Text, default="", deferred=True)
    preview_sha256: Mapped[str | None] = mapped_column(String(64))
    version_number: Mapped[int] = mapped_column(default=1)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("library_resource_versions.id", ondelete="SET NULL", use_alter=True))
    download_count: Mapped[int] = mapped_column(default=0)
    rating_count: Mapped[int] = mapped_column(default=0)
    rating_sum: Mapped[int] = mapped_column(default=0)
    rating_average: Mapped[float] = mapped_column(Float, default=0.0)
    review_count: Mapped[int] = mapped_column(default=0)  # of the current version
    review_average: Mapped[float] = mapped_column(Float, default=0.0)
    is_recommended: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set when the post stops referencing the file: the resource leaves the library.
    removed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    post = relationship("Post")
    upload = relationship("Upload", foreign_keys=[upload_id])
    user = relationship("User")
    category = relationship("Category")
    current_version = relationship("ResourceVersion", foreign_keys=[current_version_id],
                                   post_update=True)

    @property
    def grade_list(self) -> list[str]:
        return [g for g in self.grade_levels.split(",") if g]

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split(",") if t]


class ResourceVersion(Base):
    """A file a resource has had; reviews belong to the version they judged."""

    __tablename__ = "library_resource_versions"
    __table_args__ = (UniqueConstraint("resource_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("library_resources.id", ondelete="CASCADE"))
    number: Mapped[int]
    upload_id: Mapped[int] = mapped_column(ForeignKey("uploads.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    upload = relationship("Upload")


class ExpertReview(Base):
    """An expert's rubric for one version of a resource: four scores of 1–5 and a comment."""

    __tablename__ = "library_reviews"
    __table_args__ = (UniqueConstraint("version_id", "user_id"),
                      Index("ix_library_reviews_user", "user_id", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("library_resources.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("library_resource_versions.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    relevance: Mapped[int]
    methodology: Mapped[int]
    clarity: Mapped[int]
    completeness: Mapped[int]
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User")
    version = relationship("ResourceVersion")

    @property
    def average(self) -> float:
        return sum(getattr(self, c) for c in REVIEW_CRITERIA) / len(REVIEW_CRITERIA)


class ResourceRating(Base):
    """A member's usefulness stars (1–5) for a resource, one per member, changeable."""

    __tablename__ = "library_ratings"
    __table_args__ = (UniqueConstraint("resource_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("library_resources.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    stars: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ResourceDownload(Base):
    """Who downloaded a resource on which day: a user ("u:ID") or a visitor's hashed key."""

    __tablename__ = "library_downloads"
    __table_args__ = (UniqueConstraint("resource_id", "visitor_key", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("library_resources.id", ondelete="CASCADE"))
    visitor_key: Mapped[str] = mapped_column(String(64))
    day: Mapped[date] = mapped_column(Date)


# PostgreSQL searches the stems through a GIN full-text index (forum.library.search); SQLite
# scans them with LIKE. The index is an expression Alembic cannot compare on SQLite, so it
# lives outside the models: created with the table here (tests' create_all) and by revision
# 6b0000000001, and left alone by autogenerate through include_object below.
STEMS_INDEX = "ix_library_resources_stems"
event.listen(Resource.__table__, "after_create", DDL(
    f"CREATE INDEX {STEMS_INDEX} ON library_resources "
    "USING gin (to_tsvector('simple', search_stems))").execute_if(dialect="postgresql"))


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's filter: skip the library's full-text index (see above)."""
    return not (type_ == "index" and name == STEMS_INDEX)
