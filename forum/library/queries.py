"""Library reads: the filtered, sorted browse page and one resource, as the viewer may see them.

Every query goes through permissions.visible_resources, so a private category's materials
never show in a list, a search or a JSON answer to someone who cannot read the post.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from forum import permissions
from forum.extensions import db
from forum.library.search import matching_resource_ids
from forum.models import Category, Resource

PER_PAGE = 24
SORTS = ("newest", "downloads", "rating")


@dataclass(frozen=True)
class LibraryFilters:
    subject: int | None = None
    grade: str | None = None
    material_type: str | None = None
    licence: str | None = None
    q: str = ""
    sort: str = "newest"
    page: int = 1


@dataclass
class LibraryPage:
    resources: list[Resource]
    page: int
    has_more: bool


def library_page(viewer, filters: LibraryFilters) -> LibraryPage:
    """One page of the browse list (PER_PAGE resources; one query more for what they show)."""
    query = select(Resource).where(permissions.visible_resources(viewer, listing=True))
    if filters.subject:
        # Only subjects the viewer may see: asking for a hidden category's id (or reaching its
        # hidden subcategories through a visible parent) must not tell what is filed there.
        children = select(Category.id).where(Category.parent_id == filters.subject)
        query = query.where(or_(Resource.category_id == filters.subject,
                                Resource.category_id.in_(children)),
                            permissions.filed_under_visible_subject(viewer))
    if filters.grade:
        query = query.where(Resource.grade_levels.like(f"%,{filters.grade},%"))
    if filters.material_type:
        query = query.where(Resource.material_type == filters.material_type)
    if filters.licence:
        query = query.where(Resource.licence == filters.licence)
    if filters.q.strip():
        query = query.where(Resource.id.in_(matching_resource_ids(filters.q)))
    query = query.order_by(*_order(filters.sort))
    page = max(1, filters.page)
    rows = list(db.session.scalars(
        query.offset((page - 1) * PER_PAGE).limit(PER_PAGE + 1)
        .options(selectinload(Resource.user), selectinload(Resource.category),
                 selectinload(Resource.upload))))
    return LibraryPage(resources=rows[:PER_PAGE], page=page, has_more=len(rows) > PER_PAGE)


def _order(sort: str):
    if sort == "downloads":
        return (Resource.download_count.desc(), Resource.id.desc())
    if sort == "rating":
        # Recommended by experts first, then the experts' average, then members' stars.
        return (Resource.is_recommended.desc(), Resource.review_average.desc(),
                Resource.rating_average.desc(), Resource.rating_count.desc(),
                Resource.id.desc())
    return (Resource.created_at.desc(), Resource.id.desc())


def resource_by_id(resource_id: int) -> Resource | None:
    return db.session.get(Resource, resource_id)


def subject_choices(viewer) -> list[Category]:
    """Subjects to filter by (or file under): the categories the viewer can see."""
    return list(db.session.scalars(
        select(Category).where(permissions.visible_categories(viewer))
        .order_by(Category.position, Category.name)))


def shown_subject_ids(viewer, resources: list[Resource]) -> set[int]:
    """Of the subjects these resources are filed under, those the viewer may see (one query):
    the others are shown as no subject (permissions.can_view_subject)."""
    ids = {r.category_id for r in resources if r.category_id is not None}
    if not ids:
        return set()
    return set(db.session.scalars(select(Category.id).where(
        Category.id.in_(ids), permissions.visible_categories(viewer))))


def subject_labels(subjects: list[Category]) -> dict[int, str]:
    """Each of the viewer's subjects (from subject_choices) by id, named as lists show it:
    "Parent › Child" only when the parent is among them. A subcategory may be open while its
    parent is not, and the hidden parent's name must not show in the child's label."""
    names = {c.id: c.name for c in subjects}
    return {c.id: f"{names[c.parent_id]} › {c.name}" if c.parent_id in names else c.name
            for c in subjects}


def resources_of(viewer, user, *, limit: int = 50) -> list[Resource]:
    """A member's materials the viewer may see, newest first (for the portfolio)."""
    return list(db.session.scalars(
        select(Resource).where(permissions.visible_resources(viewer), Resource.user_id == user.id)
        .order_by(Resource.created_at.desc()).limit(limit)))
