"""All models, imported here so Alembic autogenerate and the app see one complete metadata."""

from forum.models.base import Base, UTCDateTime, utcnow
from forum.models.categories import (
    PERMISSION_FULL,
    PERMISSION_READONLY,
    PERMISSION_REPLY,
    Category,
    CategoryPermission,
    category_moderators,
)
from forum.models.topics import Draft, Post, PostRevision, SiteState, Topic
from forum.models.users import (
    ROLE_ADMIN,
    ROLE_MEMBER,
    ROLE_MODERATOR,
    ROLE_PARENT,
    ROLE_STUDENT,
    ROLES,
    ApiKey,
    Group,
    User,
    group_members,
)

__all__ = [
    "Base", "UTCDateTime", "utcnow",
    "Category", "CategoryPermission", "category_moderators",
    "PERMISSION_FULL", "PERMISSION_REPLY", "PERMISSION_READONLY",
    "Topic", "Post", "PostRevision", "Draft", "SiteState",
    "User", "Group", "ApiKey", "group_members",
    "ROLES", "ROLE_ADMIN", "ROLE_MODERATOR", "ROLE_MEMBER", "ROLE_STUDENT", "ROLE_PARENT",
]
