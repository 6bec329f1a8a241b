"""Category writes: create and edit categories, set group permissions, assign subject moderators."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import select

from forum import permissions
from forum.errors import DomainError
from forum.extensions import db
from forum.groups.services import ensure_automatic_groups
from forum.models import PERMISSION_FULL, PERMISSION_READONLY, Category, CategoryPermission, User
from forum.moderation import audit
from forum.text import make_slug

HEX_COLOUR = re.compile(r"^[0-9A-Fa-f]{6}$")
# A new category: everyone reads, teachers write (students and parents read only).
DEFAULT_PERMISSIONS = {"everyone": PERMISSION_READONLY, "teachers": PERMISSION_FULL}


def create_category(*, actor: User | None, name: str, slug: str | None = None,
                    description: str = "", color: str = "0088CC", parent: Category | None = None,
                    position: int | None = None,
                    permissions_by_group: dict[str, int] | None = None) -> Category:
    """A new category (or subcategory, one level deep) with group permissions."""
    if actor is not None:
        permissions.require(permissions.can_manage_categories(actor))
    name = (name or "").strip()
    if not 1 <= len(name) <= 80:
        raise DomainError(_("A category name has 1 to 80 characters."), field="name")
    if parent is not None and parent.parent_id is not None:
        raise DomainError(_("Subcategories cannot have subcategories."), field="parent_id")
    slug = make_slug(slug or name, fallback="category")
    if db.session.scalar(select(Category.id).where(Category.slug == slug)):
        raise DomainError(_("A category with this slug already exists."), field="slug")
    category = Category(name=name, slug=slug, description=(description or "").strip(),
                        color=_colour(color), parent=parent,
                        position=position if position is not None else _next_position())
    db.session.add(category)
    # An empty mapping is a deliberate choice (visible to staff only), not "use the defaults".
    chosen = DEFAULT_PERMISSIONS if permissions_by_group is None else permissions_by_group
    _apply_permissions(category, chosen)
    if actor is not None:
        audit.record(audit.CATEGORY_CHANGE, actor=actor, target=category, before=None,
                     after={**_fields(category), "permissions": _levels(category)})
    return category


def update_category(category: Category, *, actor: User, name: str, description: str,
                    color: str, position: int) -> Category:
    permissions.require(permissions.can_manage_categories(actor))
    name = (name or "").strip()
    if not 1 <= len(name) <= 80:
        raise DomainError(_("A category name has 1 to 80 characters."), field="name")
    before = _fields(category)
    category.name = name
    category.description = (description or "").strip()
    category.color = _colour(color)
    category.position = position
    _record_change(category, actor, before, _fields(category))
    db.session.flush()
    return category


def move_category(category: Category, *, actor: User, parent: Category | None) -> Category:
    """Make the category top-level (parent None) or a subcategory; one level deep only."""
    permissions.require(permissions.can_manage_categories(actor))
    if parent is not None:
        if parent.id == category.id:
            raise DomainError(_("A category cannot be its own parent."), field="parent_id")
        if parent.parent_id is not None:
            raise DomainError(_("Subcategories cannot have subcategories."), field="parent_id")
        if category.children:
            raise DomainError(_("A category with subcategories cannot become a subcategory."),
                              field="parent_id")
    before = {"parent": category.parent.name if category.parent else None}
    category.parent = parent
    _record_change(category, actor, before, {"parent": parent.name if parent else None})
    db.session.flush()
    return category


def set_permissions(category: Category, by_group: dict[str, int], *, actor: User | None) -> None:
    """Replace the category's permissions: group name → 1 full, 2 reply, 3 read-only."""
    if actor is not None:
        permissions.require(permissions.can_manage_categories(actor))
    before = _levels(category)
    _apply_permissions(category, by_group)
    if actor is not None:
        _record_change(category, actor, {"permissions": before},
                       {"permissions": _levels(category)})


def _apply_permissions(category: Category, by_group: dict[str, int]) -> None:
    groups = ensure_automatic_groups()
    from forum.groups.services import group_by_name

    category.permissions.clear()
    db.session.flush()
    for group_name, level in by_group.items():
        group = groups.get(group_name) or group_by_name(group_name)
        if group is None:
            raise DomainError(_("Unknown group: %(name)s", name=group_name), field="permissions")
        if level not in (1, 2, 3):
            raise DomainError(_("Unknown permission level."), field="permissions")
        category.permissions.append(CategoryPermission(group_id=group.id, permission_type=level))
    db.session.flush()


def assign_moderator(category: Category, user: User, *, actor: User | None) -> None:
    """Make the user a subject moderator of the category (and its subcategories)."""
    if actor is not None:
        permissions.require(permissions.can_administer(actor))
    if user not in category.moderators:
        before = _moderator_names(category)
        category.moderators.append(user)
        if actor is not None:
            audit.record(audit.CATEGORY_MODERATORS, actor=actor, target=category,
                         before={"moderators": before},
                         after={"moderators": _moderator_names(category)})
    db.session.flush()


def remove_moderator(category: Category, user: User, *, actor: User) -> None:
    permissions.require(permissions.can_administer(actor))
    if user in category.moderators:
        before = _moderator_names(category)
        category.moderators.remove(user)
        audit.record(audit.CATEGORY_MODERATORS, actor=actor, target=category,
                     before={"moderators": before},
                     after={"moderators": _moderator_names(category)})
    db.session.flush()


def _fields(category: Category) -> dict:
    return {"name": category.name, "description": category.description,
            "color": category.color, "position": category.position}


def _levels(category: Category) -> dict[str, int]:
    return {p.group.name: p.permission_type for p in category.permissions
            if p.group is not None}


def _moderator_names(category: Category) -> list[str]:
    return sorted(m.username for m in category.moderators)


def _record_change(category: Category, actor: User, before: dict, after: dict) -> None:
    """Log only what changed (an unchanged save is not an action)."""
    changed = [key for key in after if before.get(key) != after[key]]
    if changed:
        audit.record(audit.CATEGORY_CHANGE, actor=actor, target=category,
                     before={k: before.get(k) for k in changed},
                     after={k: after[k] for k in changed})


def _colour(value: str) -> str:
    value = (value or "").strip().lstrip("#")
    if not HEX_COLOUR.match(value):
        raise DomainError(_("A colour is six hexadecimal digits, like 0088CC."), field="color")
    return value.upper()


def _next_position() -> int:
    positions = db.session.scalars(select(Category.position)).all()
    return max(positions, default=-1) + 1
