"""Rules for likes: who may like and unlike a post, and who may see who liked it."""

from __future__ import annotations

from forum.models import Post, Topic
from forum.models.users import TEACHER_ROLES
from forum.permissions.content import TopicFacts, can_view_deleted_post, can_view_post


def can_like_in_topic(user, topic: Topic) -> bool:
    """Unsilenced teachers (members and staff) like posts in live, open topics they can read."""
    return likes_in_topic(TopicFacts(user, topic))


def likes_in_topic(facts: TopicFacts) -> bool:
    """can_like_in_topic given the viewer's facts about the topic."""
    topic = facts.topic
    return (facts.writer and facts.user.role in TEACHER_ROLES and topic.deleted_at is None
            and not topic.is_closed and not topic.is_archived and facts.views)


def can_like_listed_post(user, post: Post, *, in_topic: bool) -> bool:
    """Given the topic's answer (`can_like_in_topic`, asked once per page): a live, shown post
    of someone else. A like is a thanks to a person: never one's own post."""
    return (in_topic and post.user_id is not None and post.user_id != user.id
            and post.deleted_at is None and post.hidden_at is None)


def can_like_post(user, post: Post) -> bool:
    """A post may be liked by whoever may like in its topic, when it is someone else's, live
    and shown."""
    return (can_like_listed_post(user, post, in_topic=can_like_in_topic(user, post.topic))
            and can_view_post(user, post))


def can_unlike_post(user, post: Post) -> bool:
    """A like may be taken back while the topic is open and the liker is not silenced."""
    return can_like_in_topic(user, post.topic) and can_view_post(user, post)


def can_view_likers(user, post: Post) -> bool:
    """Who liked a post is seen by whoever can read it (a deleted one: whoever may see it)."""
    return can_view_post(user, post) and (post.deleted_at is None
                                          or can_view_deleted_post(user, post))
