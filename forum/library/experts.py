"""Expert groups: which ordinary group («Эксперты: математика») reviews which subject."""

from __future__ import annotations

from sqlalchemy import select

from forum import permissions
from forum.extensions import db
from forum.models import Category, Group, LibraryExpertGroup, User


def expert_group_of(category: Category) -> Group | None:
    link = db.session.get(LibraryExpertGroup, category.id)
    return link.group if link is not None else None


def set_expert_group(category: Category, group: Group | None, *, actor: User | None) -> None:
    """Name (or, with None, clear) the group whose members review the subject's resources."""
    if actor is not None:
        permissions.require(permissions.can_manage_expert_groups(actor))
    link = db.session.get(LibraryExpertGroup, category.id)
    if group is None:
        if link is not None:
            db.session.delete(link)
    elif link is None:
        db.session.add(LibraryExpertGroup(category_id=category.id, group_id=group.id))
    else:
        link.group_id = group.id
    db.session.flush()


def subjects_of_group(group: Group) -> list[Category]:
    """The subjects this group reviews."""
    return list(db.session.scalars(
        select(Category).join(LibraryExpertGroup, LibraryExpertGroup.category_id == Category.id)
        .where(LibraryExpertGroup.group_id == group.id).order_by(Category.name)))
