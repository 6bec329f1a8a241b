"""SQL visibility filters: what every list, count, search and feed may show to a user.

Each filter normally carries the viewer's categories as subqueries. Given them resolved
(categories=viewer_categories(user): one small query, remembered for the content generation),
visible_topics and shown_posts write them into the SQL as plain id lists instead, leaving out
the branches that are empty for this viewer. The rules are the same; PostgreSQL then costs the
per-row check right (a hashed subplan under an OR is costed again on every row) and can walk a
sorted index and stop after one page instead of joining every post first, which is what the
library's listing needs.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, bindparam, exists, false, or_, select, true
from sqlalchemy.orm import aliased

from forum.extensions import db
from forum.generation_memo import remembered
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

# (ids of the categories the viewer sees, or None for all; ids of those the viewer moderates)
ViewerCategories = tuple[frozenset[int] | None, frozenset[int]]


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


def visible_topics(user, *, include_deleted: bool = False,
                   categories: ViewerCategories | None = None) -> ColumnElement[bool]:
    """A filter on Topic: topics in visible categories; deleted ones only when asked for.
    categories: the user's viewer_categories, to write them as lists (see the module's doc)."""
    if categories is not None:
        visibility = topics_visibility(user, categories, include_deleted=include_deleted)
        return visible_topics_filter(visibility.shape, visibility.values)
    condition = Topic.category_id.in_(select(Category.id).where(visible_categories(user)))
    if not include_deleted:
        condition = condition & Topic.deleted_at.is_(None)
    if is_global_moderator(user):
        return condition
    # A new member's topic awaiting approval: only its author and its moderators see it.
    awaiting_ok = Topic.is_awaiting_approval.is_(False)
    if is_signed_in(user):
        awaiting_ok = or_(awaiting_ok, Topic.user_id == user.id,
                          Topic.category_id.in_(_moderated_category_ids(user)))
    return condition & awaiting_ok


@dataclass(frozen=True)
class TopicsVisibility:
    """visible_topics for one viewer, split for statements kept between requests.

    shape: which branches the filter has (the same for every viewer of one kind); values: the
    viewer's own ids for its parameters. visible_topics_filter(shape) builds the filter once
    with required parameters; each request runs it with its viewer's values, so a kept
    statement never carries another viewer's ids (a missing value is an error, not a default).
    """
    shape: tuple
    values: dict


def topics_visibility(user, categories: ViewerCategories, *,
                      include_deleted: bool = False) -> TopicsVisibility:
    readable, moderated = categories
    values: dict = {}
    if readable is not None:
        values["viewer_readable"] = sorted(readable)
    if is_global_moderator(user):
        kind = "staff"
    elif is_signed_in(user):
        kind = "member"
        values["viewer_id"] = user.id
        if moderated:
            values["viewer_moderated"] = sorted(moderated)
    else:
        kind = "guest"
    shape = ("topics", kind, readable is None, include_deleted, "viewer_moderated" in values)
    return TopicsVisibility(shape, values)


def visible_topics_filter(shape: tuple, values: dict | None = None) -> ColumnElement[bool]:
    """The filter of a TopicsVisibility shape: with values for this request's statement, or
    without, as required parameters of a statement kept for every viewer of the shape."""
    _, kind, everything, include_deleted, moderates = shape

    def param(name: str, expanding: bool = False):
        if values is None:
            return bindparam(name, expanding=expanding, required=True)
        return bindparam(name, values[name], expanding=expanding)

    condition = true() if everything else Topic.category_id.in_(param("viewer_readable", True))
    if not include_deleted:
        condition = condition & Topic.deleted_at.is_(None)
    if kind == "staff":
        return condition
    # A new member's topic awaiting approval: only its author and its moderators see it.
    awaiting_ok = Topic.is_awaiting_approval.is_(False)
    if kind == "member":
        awaiting_ok = or_(awaiting_ok, Topic.user_id == param("viewer_id"),
                          *([Topic.category_id.in_(param("viewer_moderated", True))]
                            if moderates else []))
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


def shown_posts(user, *, categories: ViewerCategories | None = None) -> ColumnElement[bool]:
    """A filter on Post: hides posts awaiting approval from all but their authors and moderators.
    categories: the user's viewer_categories, to write them as lists (see the module's doc)."""
    if is_global_moderator(user):
        return true()
    condition = Post.hidden_reason.is_distinct_from(HIDDEN_AWAITING_APPROVAL)
    if is_signed_in(user):
        if categories is None:
            moderated_topics = [Post.topic_id.in_(select(Topic.id).where(
                Topic.category_id.in_(_moderated_category_ids(user))))]
        elif categories[1]:
            # A check of the post's own topic: a hashed list of every topic in the moderated
            # categories, under the OR, would again be costed on every row.
            topic = aliased(Topic)
            moderated_topics = [exists().where(topic.id == Post.topic_id,
                                               topic.category_id.in_(sorted(categories[1])))]
        else:
            moderated_topics = []
        condition = or_(condition, Post.user_id == user.id, *moderated_topics)
    return condition


def viewer_categories(user) -> ViewerCategories:
    """The ids of the categories the user may see (None: every one, for global moderators)
    and of those among them the user moderates, from visible_categories and
    moderated_categories in one query, remembered for the content generation where the page
    read it (category, permission, group and moderator changes all bump it)."""
    if is_global_moderator(user):
        return None, frozenset()
    if not is_signed_in(user):
        return remembered(("viewer-categories", None, group_ids(user)), lambda: (frozenset(
            db.session.scalars(select(Category.id).where(visible_categories(user)))),
            frozenset()))

    def compute():
        rows = db.session.execute(select(Category.id, moderated_categories(user))
                                  .where(visible_categories(user))).all()
        return (frozenset(cid for cid, _ in rows),
                frozenset(cid for cid, moderates in rows if moderates))
    return remembered(("viewer-categories", user.id, group_ids(user)), compute)


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
