"""Category reads: the visible category tree, looked up once per page."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import lazyload, selectinload

from forum import permissions
from forum.column_reads import read_columns
from forum.extensions import db, load_by_id
from forum.generation_memo import remembered
from forum.models import Category

# For pages that ask the rules through permissions.category_rules, kept for the content
# generation: they need not load each category's permission and moderator rows every view.
RULES_KEPT = (lazyload(Category.permissions), lazyload(Category.moderators))


def visible_category_list(viewer) -> list[Category]:
    """Every category the viewer may see, parents first, by position."""
    return list(db.session.scalars(
        select(Category).where(permissions.visible_categories(viewer))
        .order_by(Category.position, Category.id)
        .options(selectinload(Category.parent))))


def category_tree(viewer) -> list[tuple[Category, list[Category]]]:
    """Top-level visible categories, each with its visible subcategories."""
    visible = visible_category_list(viewer)
    children: dict[int, list[Category]] = {}
    for cat in visible:
        if cat.parent_id is not None:
            children.setdefault(cat.parent_id, []).append(cat)
    return [(cat, children.get(cat.id, [])) for cat in visible if cat.parent_id is None]


def category_by_id(category_id: int, *, options=()) -> Category | None:
    if not 0 < category_id < 2**63:  # form input: a huge number would overflow the driver
        return None
    return load_by_id(Category, category_id, options)


def child_category_ids(category: Category) -> tuple[int, ...]:
    """The ids of a category's subcategories, by position, kept for the content generation:
    most categories have none, and their page then needs no query for them."""
    return remembered(("category-children", category.id), lambda: tuple(read_columns(
        _CHILD_IDS, {"parent_id": category.id}).scalars()))


_CHILD_IDS = (select(Category.id)
              .where(Category.parent_id == bindparam("parent_id", required=True))
              .order_by(Category.position, Category.id))
