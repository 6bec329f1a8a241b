"""Holding new members' posts for approval (setting `approve_new_member_posts`).

A held post is stored like any other but hidden (HIDDEN_AWAITING_APPROVAL) and counted nowhere:
no topic or category counters, no bump, no last poster; a held first post also holds its topic
(Topic.is_awaiting_approval). The permission filters keep both out of every list, page and
API answer for all but the author and the category's moderators. Moderators approve or reject
from the review queue (forum.moderation.review), which counts the post as if posted then.
"""

from __future__ import annotations

from sqlalchemy import select

from forum import domain_events, permissions
from forum.extensions import db
from forum.models import (
    HIDDEN_AWAITING_APPROVAL,
    REVIEW_QUEUED_POST,
    Post,
    Reviewable,
    User,
)
from forum.settings import get_setting


def needs_approval(author: User, post: Post) -> bool:
    """A non-staff author with fewer approved posts than the setting asks has posts held."""
    threshold = get_setting("approve_new_member_posts")
    if threshold <= 0 or permissions.can_moderate(author, post.topic.category):
        return False
    # post_count counts only posts that went public (held posts are counted on approval).
    return author.post_count < threshold


def hold_post(post: Post, *, author: User) -> bool:
    """Hold the freshly added post for approval when its author needs it; True when held."""
    if not needs_approval(author, post):
        return False
    post.hidden_at = post.created_at
    post.hidden_reason = HIDDEN_AWAITING_APPROVAL
    if post.is_first:
        post.topic.is_awaiting_approval = True
    elif post.reply_to_post_number:  # reply() counted it on the replied-to post: not yet
        target = db.session.scalar(select(Post).where(
            Post.topic_id == post.topic_id, Post.post_number == post.reply_to_post_number))
        if target is not None:
            target.reply_count = max(target.reply_count - 1, 0)
    db.session.add(Reviewable(kind=REVIEW_QUEUED_POST, post_id=post.id,
                              category_id=post.topic.category_id, created_at=post.created_at))
    domain_events.post_held.send(post)
    return True
