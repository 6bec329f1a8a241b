"""Facts about the signed-in member that every page header needs, loaded with the account row.

Deferred SQL expressions on User (no columns, so no migration): the user loader undefers them,
so the bell's unread count, "moderates some category" and "mutes anything" cost no query of
their own per page. Anywhere else they load on first access, like any deferred attribute.
"""

from __future__ import annotations

from sqlalchemy import exists, func, select
from sqlalchemy.orm import column_property, undefer

from forum.models.categories import category_moderators
from forum.models.following import LEVEL_MUTED, CategoryUser, TopicUser
from forum.models.notifications import Notification
from forum.models.users import User

User.unread_notification_count = column_property(
    select(func.count(Notification.id))
    .where(Notification.user_id == User.id, Notification.read_at.is_(None))
    .correlate_except(Notification).scalar_subquery(),
    deferred=True)

User.moderates_any_category = column_property(
    exists().where(category_moderators.c.user_id == User.id), deferred=True)

# Most members mute nothing; then the topic lists need neither a filter nor a query for it
# (forum.following.filters.viewer_mutes).
User.mutes_anything = column_property(
    exists().where(TopicUser.user_id == User.id, TopicUser.notification_level == LEVEL_MUTED)
    | exists().where(CategoryUser.user_id == User.id,
                     CategoryUser.notification_level == LEVEL_MUTED),
    deferred=True)

# Options for loading the signed-in user once per request.
SIGNED_IN_USER_OPTIONS = (undefer(User.unread_notification_count),
                          undefer(User.moderates_any_category),
                          undefer(User.mutes_anything))
