"""Group writes: the automatic groups every installation has, named groups and their members."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import select

from forum import permissions
from forum.errors import DomainError
from forum.extensions import db
from forum.models import Group, User

# name → (roles that belong, Russian full name). "*" includes guests, "+" any account.
AUTOMATIC_GROUPS = {
    "everyone": ("*", "Все, включая гостей"),
    "members": ("+", "Все участники"),
    "teachers": ("admin,moderator,member", "Учителя"),
    "staff": ("admin,moderator", "Координаторы и модераторы"),
    "students": ("student", "Ученики"),
    "parents": ("parent", "Родители"),
}
GROUP_NAME = re.compile(r"^[\w.-]{2,60}$")


def ensure_automatic_groups() -> dict[str, Group]:
    """Create the automatic groups that are missing; return them all by name (idempotent)."""
    existing = {g.name: g for g in db.session.scalars(
        select(Group).where(Group.name.in_(AUTOMATIC_GROUPS)))}
    for name, (roles, full_name) in AUTOMATIC_GROUPS.items():
        if name not in existing:
            existing[name] = Group(name=name, full_name=full_name, automatic_roles=roles)
            db.session.add(existing[name])
    db.session.flush()
    return existing


def group_by_name(name: str) -> Group | None:
    return db.session.scalar(select(Group).where(Group.name == name))


def create_group(*, actor: User | None, name: str, full_name: str = "",
                 description: str = "") -> Group:
    """A named group such as "experts" («Эксперты»); names are unique."""
    if actor is not None:
        permissions.require(permissions.can_administer(actor))
    name = (name or "").strip()
    if not GROUP_NAME.match(name):
        raise DomainError(_("A group name has 2 to 60 letters, digits, '_', '.' or '-'."),
                          field="name")
    if group_by_name(name) is not None:
        raise DomainError(_("A group with this name already exists."), field="name")
    group = Group(name=name, full_name=(full_name or "").strip()[:120],
                  description=(description or "").strip())
    db.session.add(group)
    db.session.flush()
    return group


def add_member(group: Group, user: User, *, actor: User | None) -> None:
    if actor is not None:
        permissions.require(permissions.can_administer(actor))
    if group.is_automatic:
        raise DomainError(_("Membership of automatic groups follows the user's role."))
    if user not in group.members:
        group.members.append(user)
    permissions.forget_cached_groups(user)
    db.session.flush()


def remove_member(group: Group, user: User, *, actor: User | None) -> None:
    if actor is not None:
        permissions.require(permissions.can_administer(actor))
    if user in group.members:
        group.members.remove(user)
    permissions.forget_cached_groups(user)
    db.session.flush()
