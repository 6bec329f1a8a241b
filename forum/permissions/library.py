"""The library's rules: who sees, edits, reviews and rates a resource, and the SQL filter that
every library list, count, search and feed uses."""

from __future__ import annotations

from sqlalchemy import ColumnElement, select

from forum.extensions import db
from forum.models import Category, LibraryExpertGroup, Post, Resource, Topic, group_members
from forum.models.users import TEACHER_ROLES
from forum.permissions.content import can_moderate, can_view_category, can_view_post
from forum.permissions.filters import (
    shown_posts,
    viewer_categories,
    visible_categories,
    visible_topics,
)
from forum.permissions.people import is_admin, is_signed_in, may_write


def can_view_resource(user, resource: Resource) -> bool:
    """A resource is visible while it is in the library and its post is live and readable."""
    post = resource.post
    return (resource.removed_at is None and post is not None and post.deleted_at is None
            and post.topic.deleted_at is None and can_view_post(user, post))


def can_view_subject(user, resource: Resource) -> bool:
    """A resource's subject shows only to those who may see that category.

    The subject is metadata the author chooses among the categories *they* see, so a material
    on a public post may be filed under a teachers-only subject: its readers then see the
    material without its subject, never the private category's name."""
    return resource.category is not None and can_view_category(user, resource.category)


def can_download_resource(user, resource: Resource) -> bool:
    """Whoever may see a resource may download it (guests too, where its post is public)."""
    return can_view_resource(user, resource)


def can_edit_resource(user, resource: Resource) -> bool:
    """The author, moderators of the post's category, and admins edit metadata and versions."""
    if not may_write(user) or not can_view_resource(user, resource):
        return False
    return (user.id == resource.user_id or is_admin(user)
            or can_moderate(user, resource.post.topic.category))


def is_subject_expert(user, category: Category | None) -> bool:
    """A member of the expert group of the subject (or of its parent subject)."""
    if not is_signed_in(user) or category is None:
        return False
    subject_ids = [category.id] + ([category.parent_id] if category.parent_id else [])
    return db.session.scalar(
        select(LibraryExpertGroup.category_id)
        .join(group_members, group_members.c.group_id == LibraryExpertGroup.group_id)
        .where(LibraryExpertGroup.category_id.in_(subject_ids),
               group_members.c.user_id == user.id).limit(1)) is not None


def can_review_resource(user, resource: Resource) -> bool:
    """An unsilenced expert of the resource's subject who can see it and is not its author."""
    return (may_write(user) and user.id != resource.user_id
            and can_view_resource(user, resource) and is_subject_expert(user, resource.category))


def can_rate_resource(user, resource: Resource) -> bool:
    """Unsilenced teachers (members, moderators, admins) rate what they see, not their own.
    Students and parents read the library but do not rate: the stars say how useful a
    material is for teaching."""
    return (may_write(user) and user.role in TEACHER_ROLES and user.id != resource.user_id
            and can_view_resource(user, resource))


def can_manage_expert_groups(user) -> bool:
    """Admins name the expert group of each subject."""
    return is_admin(user)


def visible_resources(user, *, listing: bool = False) -> ColumnElement[bool]:
    """A filter on Resource: in the library, with a live post the user may read.

    listing: for a sorted page of the library. The viewer's categories then go in as id lists
    (see forum.permissions.filters), at the cost of one small query: PostgreSQL walks the
    sort's index and checks each row's post and topic until the page is full, where the
    subqueries' OR branches made it join every post first (members' pages took several times
    a guest's). Counts and sums read every visible row either way and keep the subqueries."""
    categories = viewer_categories(user) if listing else None
    posts = (select(Post.id).join(Topic, Topic.id == Post.topic_id)
             .where(visible_topics(user, categories=categories), Post.deleted_at.is_(None),
                    shown_posts(user, categories=categories)))
    return Resource.removed_at.is_(None) & Resource.post_id.in_(posts)


def filed_under_visible_subject(user) -> ColumnElement[bool]:
    """A filter on Resource: filed under a subject the user may see (for subject filters and
    per-subject figures, which must not count what is filed under a hidden category)."""
    return Resource.category_id.in_(select(Category.id).where(visible_categories(user)))
