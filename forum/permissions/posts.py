"""A topic page's per-post controls for one viewer, decided in one pass.

Every post of a page asks the same topic-wide questions (do they see the topic, moderate its
category, may they reply or like here?); post_controls asks them once, through TopicFacts,
and applies to each post the same per-post rules that the single checks (can_edit_post,
can_flag_post, …) apply, so the batch and the single answers cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from forum.models import Post, Topic
from forum.permissions.content import TopicFacts, deletes_post, edits_post, restores_post
from forum.permissions.helpful import can_mark_helpful_in_topic, can_mark_listed_post_helpful
from forum.permissions.likes import can_like_listed_post, likes_in_topic
from forum.permissions.moderation import flags_post, hides_post


@dataclass(frozen=True, slots=True)
class PostControls:
    """What the viewer may do to one post of a page they are reading."""

    like: bool  # can_like_listed_post with the topic's can_like_in_topic
    flag: bool  # can_flag_post
    edit: bool  # can_edit_post
    delete: bool  # can_delete_post
    restore: bool  # can_restore_post
    hide: bool  # can_hide_post (hide or unhide)
    mark_helpful: bool  # can_mark_helpful (mark or take the mark back)


def post_controls(user, topic: Topic, posts: Iterable[Post]) -> dict[int, PostControls]:
    """Each post's controls by post id, for posts of `topic` that the viewer may see.

    The rules read a post's columns only, so a topic page passes its kept PagePosts."""
    # Every rule below reads the user many times per post: through Flask-Login's
    # current_user proxy, each read is a context lookup.
    user = getattr(user, "_get_current_object", lambda: user)()
    facts = TopicFacts(user, topic)
    likes_here = likes_in_topic(facts)
    helpful_here = can_mark_helpful_in_topic(user, topic)
    return {post.id: PostControls(
        like=can_like_listed_post(user, post, in_topic=likes_here),
        flag=flags_post(facts, post),
        edit=edits_post(facts, post),
        delete=deletes_post(facts, post),
        restore=restores_post(facts, post),
        hide=hides_post(facts, post),
        mark_helpful=can_mark_listed_post_helpful(user, post, in_topic=helpful_here),
    ) for post in posts}

