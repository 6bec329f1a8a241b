"""Rules for helpful replies: the topic's author thanks the replies that answered them."""

from __future__ import annotations

from forum.models import Post, Topic
from forum.models.users import TEACHER_ROLES
from forum.permissions.content import can_view_post, can_view_topic
from forum.permissions.people import may_write


def can_mark_helpful_in_topic(user, topic: Topic) -> bool:
    """The topic's author (an unsilenced teacher) marks replies in their live, open topic."""
    return (may_write(user) and user.role in TEACHER_ROLES and topic.user_id == user.id
            and topic.deleted_at is None and not topic.is_closed and not topic.is_archived
            and can_view_topic(user, topic))


def can_mark_listed_post_helpful(user, post: Post, *, in_topic: bool) -> bool:
    """Given the topic's answer (asked once per page): a live, shown reply of someone else."""
    return (in_topic and not post.is_first and post.user_id is not None
            and post.user_id != user.id and post.deleted_at is None and post.hidden_at is None)


def can_mark_helpful(user, post: Post) -> bool:
    """A reply may be marked (or unmarked) helpful by its topic's author while they may mark
    in the topic and the reply is someone else's, live and shown."""
    return (can_mark_listed_post_helpful(user, post,
                                         in_topic=can_mark_helpful_in_topic(user, post.topic))
            and can_view_post(user, post))
