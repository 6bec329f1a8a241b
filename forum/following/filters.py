"""SQL filters on Topic for what a member muted (Latest leaves muted topics and categories out)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, select, true

from forum.models import LEVEL_MUTED, CategoryUser, Topic, TopicUser


def not_muted(viewer) -> ColumnElement[bool]:
    """Topics the viewer neither muted nor left in a muted category (guests mute nothing).
    A topic the member set to another level shows even in a muted category."""
    if not getattr(viewer, "is_authenticated", False):
        return true()
    muted_topics = select(TopicUser.topic_id).where(
        TopicUser.user_id == viewer.id, TopicUser.notification_level == LEVEL_MUTED)
    muted_categories = select(CategoryUser.category_id).where(
        CategoryUser.user_id == viewer.id, CategoryUser.notification_level == LEVEL_MUTED)
    kept = select(TopicUser.topic_id).where(TopicUser.user_id == viewer.id,
                                           TopicUser.notification_level > LEVEL_MUTED)
    return (~Topic.id.in_(muted_topics)
            & (~Topic.category_id.in_(muted_categories) | Topic.id.in_(kept)))
