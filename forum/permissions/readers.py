"""Who may read what, for many members at once: set-based SQL for badges and other backfills.

visible_categories(user) answers for one user; badge rules and backfills need the same answer
for every member in one statement, so they join this relation instead of looping in Python.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, and_, false, or_, select, true, union

from forum.extensions import db
from forum.models import (
    PERMISSION_READONLY,
    ROLE_ADMIN,
    ROLE_MODERATOR,
    ROLES,
    Category,
    CategoryPermission,
    Group,
    User,
    category_moderators,
    group_members,
)
from forum.permissions.people import ANY_ACCOUNT, ANYONE


def category_readers(user_ids: Iterable[int] | None = None) -> Select:
    """Rows (user_id, category_id): each live account with each category it may read, as
    visible_categories(account) decides for it signed in; user_ids narrows it to some accounts.

    A suspended account is answered as if it could sign in: what it may read is unchanged by
    the suspension, only whether it can come in.
    """
    ids = None if user_ids is None else sorted(set(user_ids))
    branches = [_staff(ids), _automatic_groups(ids), _explicit_groups(ids), _moderation(ids)]
    return union(*branches)


def _live(ids, column=User.id):
    condition = User.deleted_at.is_(None)
    return condition if ids is None else condition & column.in_(ids or [-1])


def _readable():
    return CategoryPermission.permission_type <= PERMISSION_READONLY


def _staff(ids) -> Select:
    # Admins and moderators see every category (is_global_moderator).
    return (select(User.id.label("user_id"), Category.id.label("category_id"))
            .select_from(User).join(Category, true())
            .where(_live(ids), User.role.in_((ROLE_ADMIN, ROLE_MODERATOR))))


def _automatic_groups(ids) -> Select:
    """Automatic groups hold members by role: one condition per role over its groups."""
    rows = db.session.execute(
        select(Group.id, Group.automatic_roles).where(Group.automatic_roles.is_not(None))).all()
    by_role = {role: [gid for gid, roles in rows if _role_in(role, roles)] for role in ROLES}
    matches = [and_(User.role == role, CategoryPermission.group_id.in_(groups))
               for role, groups in by_role.items() if groups]
    return (select(User.id.label("user_id"), CategoryPermission.category_id.label("category_id"))
            .select_from(User).join(CategoryPermission, or_(*matches) if matches else false())
            .where(_live(ids), _readable()))


def _role_in(role: str, roles: str) -> bool:
    return roles in (ANYONE, ANY_ACCOUNT) or role in roles.split(",")


def _explicit_groups(ids) -> Select:
    return (select(group_members.c.user_id.label("user_id"),
                   CategoryPermission.category_id.label("category_id"))
            .join(CategoryPermission, CategoryPermission.group_id == group_members.c.group_id)
            .join(User, User.id == group_members.c.user_id)
            .where(_live(ids), _readable()))


def _moderation(ids) -> Select:
    # A subject moderator reads the categories they moderate and their subcategories.
    moderated = category_moderators.c.category_id
    return (select(category_moderators.c.user_id.label("user_id"),
                   Category.id.label("category_id"))
            .join(Category, or_(Category.id == moderated, Category.parent_id == moderated))
            .join(User, User.id == category_moderators.c.user_id)
            .where(_live(ids)))
