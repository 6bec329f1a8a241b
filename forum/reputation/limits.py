"""The limits a new member (TL0) meets when posting: links per post and posts per day.

The numbers come from forum.permissions (which reads the admin settings); this module counts
and refuses with a message that says which trust level lifts the limit.
"""

from __future__ import annotations

import re
from datetime import timedelta

from flask_babel import ngettext
from sqlalchemy import func, select

from forum import permissions
from forum.errors import DomainError
from forum.extensions import db
from forum.models import Post, utcnow

# Mentions are links to profiles, not links a spammer gains from: they do not count.
_LINK = re.compile(r"<a\b(?![^>]*\bclass=\"mention\")[^>]*\bhref=", re.IGNORECASE)


def count_links(cooked: str) -> int:
    """Links in a cooked post, @mentions excepted."""
    return len(_LINK.findall(str(cooked)))


def check_links(author, cooked) -> None:
    """Refuse a post with more links than the author's level allows."""
    limit = permissions.link_limit(author)
    if limit is None or count_links(cooked) <= limit:
        return
    raise DomainError(permissions.trust_refusal(permissions.TL_BASIC, ngettext(
        "New members may put at most %(num)d link in a post.",
        "New members may put at most %(num)d links in a post.", limit)), field="raw")


def check_daily_posts(author, *, new_topic: bool) -> None:
    """Refuse a topic or reply beyond the author's daily allowance (TL0 only)."""
    limit = (permissions.daily_topic_limit(author) if new_topic
             else permissions.daily_reply_limit(author))
    if limit is None or _posts_since(author, new_topic, utcnow() - timedelta(days=1)) < limit:
        return
    what = ngettext("New members may open at most %(num)d topic a day.",
                    "New members may open at most %(num)d topics a day.", limit) if new_topic \
        else ngettext("New members may post at most %(num)d reply a day.",
                      "New members may post at most %(num)d replies a day.", limit)
    raise DomainError(permissions.trust_refusal(permissions.TL_BASIC, what), status_code=429)


def _posts_since(author, first_posts: bool, since) -> int:
    query = select(func.count(Post.id)).where(Post.user_id == author.id,
                                              Post.created_at >= since)
    query = query.where(Post.post_number == 1) if first_posts \
        else query.where(Post.post_number > 1)
    return db.session.scalar(query) or 0
