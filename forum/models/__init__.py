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
from forum.models.chat import (
    CHANNEL_CATEGORY,
    CHANNEL_DIRECT,
    CHANNEL_KINDS,
    CHANNEL_PRIVATE,
    CHANNEL_PUBLIC,
    CHANNEL_SEMINAR,
    OPEN_CHANNEL_KINDS,
    ChatChannel,
    ChatMembership,
    ChatMessage,
    ChatMessageRevision,
    ChatReaction,
)
from forum.models.moderation import (
    FLAG_INAPPROPRIATE,
    FLAG_KINDS,
    FLAG_OFF_TOPIC,
    FLAG_OTHER,
    FLAG_SPAM,
    FLAG_TYPE_IDS,
    REVIEW_AGREED,
    REVIEW_DISAGREED,
    REVIEW_FLAGGED_CHAT_MESSAGE,
    REVIEW_FLAGGED_POST,
    REVIEW_IGNORED,
    REVIEW_PENDING,
    REVIEW_QUEUED_POST,
    REVIEW_STATES,
    Flag,
    Reviewable,
    SitePage,
    SitePageRevision,
    SiteSetting,
    StaffAction,
)
from forum.models.notifications import Notification
from forum.models.topics import (
    HIDDEN_AWAITING_APPROVAL,
    HIDDEN_BY_MODERATOR,
    HIDDEN_FLAGGED,
    HIDDEN_REASONS,
    Draft,
    MovedPost,
    Post,
    PostRevision,
    SiteState,
    Topic,
)
from forum.models.user_state import SIGNED_IN_USER_OPTIONS
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
    "Topic", "Post", "PostRevision", "MovedPost", "Draft", "SiteState",
    "HIDDEN_REASONS", "HIDDEN_FLAGGED", "HIDDEN_BY_MODERATOR", "HIDDEN_AWAITING_APPROVAL",
    "StaffAction", "Reviewable", "Flag", "SiteSetting", "SitePage", "SitePageRevision",
    "FLAG_KINDS", "FLAG_TYPE_IDS", "FLAG_OFF_TOPIC", "FLAG_INAPPROPRIATE", "FLAG_SPAM",
    "FLAG_OTHER", "REVIEW_FLAGGED_POST", "REVIEW_QUEUED_POST", "REVIEW_STATES",
    "REVIEW_PENDING", "REVIEW_AGREED", "REVIEW_DISAGREED", "REVIEW_IGNORED",
    "REVIEW_FLAGGED_CHAT_MESSAGE",
    "Notification",
    "ChatChannel", "ChatMembership", "ChatMessage", "ChatMessageRevision", "ChatReaction",
    "CHANNEL_KINDS", "CHANNEL_CATEGORY", "CHANNEL_PUBLIC", "CHANNEL_PRIVATE", "CHANNEL_SEMINAR",
    "CHANNEL_DIRECT", "OPEN_CHANNEL_KINDS",
    "User", "Group", "ApiKey", "group_members",
    "ROLES", "ROLE_ADMIN", "ROLE_MODERATOR", "ROLE_MEMBER", "ROLE_STUDENT", "ROLE_PARENT",
    "SIGNED_IN_USER_OPTIONS",
]
