"""Who is who (signed in, admin, global moderator, may write, group membership), require(),
and the rules about accounts, profiles and administration."""

from __future__ import annotations

import contextlib

from flask import abort
from sqlalchemy import select

from forum.extensions import db
from forum.generation_memo import remembered
from forum.models import (
    ROLE_ADMIN,
    ROLE_MODERATOR,
    Group,
    User,
    group_members,
)

ANYONE = "*"  # automatic group roles: guests included
ANY_ACCOUNT = "+"  # automatic group roles: every signed-in account


def require(allowed: bool, *, hide: bool = False) -> None:
    """Stop the request unless allowed: 404 when the object must stay invisible, else 403."""
    if not allowed:
        abort(404 if hide else 403)


# --- who is who -------------------------------------------------------------------------------

def is_signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_admin(user) -> bool:
    """Admins are the community's coordinators."""
    return is_signed_in(user) and user.role == ROLE_ADMIN


def may_write(user) -> bool:
    """Signed in and not silenced: the precondition of posting, editing, flagging and chat."""
    return is_signed_in(user) and not user.is_silenced


def is_global_moderator(user) -> bool:
    """Admins and moderators without a subject moderate everything."""
    return is_signed_in(user) and user.role in (ROLE_ADMIN, ROLE_MODERATOR)


def group_ids(user) -> frozenset[int]:
    """The ids of every group the user belongs to, automatic groups included (cached per user)."""
    cached = getattr(user, "_kafedra_group_ids", None)
    if cached is not None:
        return cached
    ids = {gid for gid, roles in _automatic_groups() if _automatic_group_has(user, roles)}
    if is_signed_in(user):
        ids.update(_explicit_group_ids(user))
    result = frozenset(ids)
    # Objects that refuse new attributes are simply not cached.
    with contextlib.suppress(AttributeError):
        user._kafedra_group_ids = result
    return result


def _automatic_groups() -> tuple[tuple[int, str], ...]:
    # Every page asks; groups change rarely and each change bumps the content generation.
    return remembered("automatic-groups", lambda: tuple(
        (gid, roles) for gid, roles in db.session.execute(
            select(Group.id, Group.automatic_roles).where(Group.automatic_roles.is_not(None)))))


def _explicit_group_ids(user) -> frozenset[int]:
    # Joining or leaving a group changes the Group (and User) rows: a new generation.
    if "groups" in vars(user):  # already loaded with the account: no query to save
        return frozenset(group.id for group in user.groups)
    return remembered(("group-members", user.id), lambda: frozenset(db.session.scalars(
        select(group_members.c.group_id).where(group_members.c.user_id == user.id))))


def forget_cached_groups(user) -> None:
    """Drop the cached group ids after the user's role or memberships change."""
    if hasattr(user, "_kafedra_group_ids"):
        del user._kafedra_group_ids


def _automatic_group_has(user, roles: str) -> bool:
    if roles == ANYONE:
        return True
    if not is_signed_in(user):
        return False
    return roles == ANY_ACCOUNT or user.role in roles.split(",")


# --- people and administration ----------------------------------------------------------------

def can_view_profile(user, target: User) -> bool:
    """Profiles of live accounts are public; anonymised accounts show to staff only."""
    return target.deleted_at is None or is_global_moderator(user)


def can_edit_profile(user, target: User) -> bool:
    """Members edit their own profile; admins edit anyone's."""
    return is_signed_in(user) and (user.id == target.id or is_admin(user))


def can_delete_account(user, target: User) -> bool:
    """Members may leave; an admin may remove an account; the last admin cannot delete itself."""
    return is_signed_in(user) and (user.id == target.id or is_admin(user))


def can_administer(user) -> bool:
    """The admin area (users, groups, categories, API keys) is for admins."""
    return is_admin(user)


def can_use_drafts(user) -> bool:
    """Drafts belong to signed-in accounts."""
    return is_signed_in(user)
