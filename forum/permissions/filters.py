"""SQL visibility filters: what every list, count, search and feed may show to a user."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, select, true

from forum.models import (
    HIDDEN_AWAITING_APPROVAL,
    PERMISSION_READONLY,
    Category,
    CategoryPermission,
    Post,
    Topic,
    category_moderators,
)
from forum.permissions.people import group_ids, is_global_moderator, is_signed_in

# --- SQL filters ------------------------------------------------------------------------------

def visible_categories(user) -> ColumnElement[bool]:
    """A filter on Category: the categories the user may see."""
    if is_global_moderator(user):
        return true()
    granted = select(CategoryPermission.category_id).where(
        CategoryPermission.group_id.in_(group_ids(user) or {-1}),
        CategoryPermission.permission_type <= PERMISSION_READONLY,
    )
    condition = Category.id.in_(granted)
    if is_signed_in(user):
        moderated = select(category_moderators.c.category_id).where(
            category_moderators.c.user_id == user.id
        )
        condition = or_(condition, Category.id.in_(moderated), Category.parent_id.in_(moderated))
    return condition


def visible_topics(user, *, include_deleted: bool = False) -> ColumnElement[bool]:
    """A filter on Topic: topics in visible categories; deleted ones only when asked for."""
    condition = Topic.category_id.in_(select(Category.id).where(visible_categories(user)))
    if not include_deleted:
        condition = condition & Topic.deleted_at.is_(None)
    # A new member's topic awaiting approval: only its author and its moderators see it.
    awaiting_ok = Topic.is_awaiting_approval.is_(False)
    if is_global_moderator(user):
        return condition
    if is_signed_in(user):
        awaiting_ok = or_(awaiting_ok, Topic.user_id == user.id,
                          Topic.category_id.in_(_moderated_category_ids(user)))
    return condition & awaiting_ok


def moderated_categories(user) -> ColumnElement[bool]:
    """A filter on a category id column's owner Category: the categories the user moderates."""
    if is_global_moderator(user):
        return true()
    if not is_signed_in(user):
        return false()
    moderated = select(category_moderators.c.category_id).where(
        category_moderators.c.user_id == user.id)
    return or_(Category.id.in_(moderated), Category.parent_id.in_(moderated))


def visible_posts(user) -> ColumnElement[bool]:
    """A filter on Post: live posts of visible, live topics (for counts, search and feeds)."""
    topics = select(Topic.id).where(visible_topics(user))
    return Post.topic_id.in_(topics) & Post.deleted_at.is_(None) & shown_posts(user)


def shown_posts(user) -> ColumnElement[bool]:
    """A filter on Post: hides posts awaiting approval from all but their authors and moderators."""
    if is_global_moderator(user):
        return true()
    condition = Post.hidden_reason.is_distinct_from(HIDDEN_AWAITING_APPROVAL)
    if is_signed_in(user):
        moderated_topics = select(Topic.id).where(
            Topic.category_id.in_(_moderated_category_ids(user)))
        condition = or_(condition, Post.user_id == user.id, Post.topic_id.in_(moderated_topics))
    return condition


def _moderated_category_ids(user):
    return select(Category.id).where(moderated_categories(user))


def unhidden_posts(user) -> ColumnElement[bool]:
    """A filter on Post: a hidden post's text only for its author and moderators (readers see a
    placeholder, so search and excerpts must not show it to them)."""
    if is_global_moderator(user):
        return true()
    condition = Post.hidden_at.is_(None)
    if is_signed_in(user):
        moderated_topics = select(Topic.id).where(
            Topic.category_id.in_(_moderated_category_ids(user)))
        condition = or_(condition, Post.user_id == user.id, Post.topic_id.in_(moderated_topics))
    return condition
