"""Who hears about a new post or a like: domain-event receivers that create notifications.

Each recipient must be able to read the topic (a private category's post never notifies an
outsider), hears about one post once (a mention beats a quote beats a reply beats watching),
and never about their own post.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from forum import domain_events, markup, permissions
from forum.extensions import db
from forum.models import (
    LEVEL_MUTED,
    LEVEL_WATCHING,
    CategoryUser,
    Post,
    TopicUser,
    User,
)
from forum.notifications import kinds
from forum.notifications.services import notify, notify_liked

# Discourse's max_mentions_per_post: a post naming half the forum notifies the first few.
MAX_MENTIONS = 10
_QUOTE = re.compile(r'\[quote="([^",\]]+),\s*post:\d+,\s*topic:(\d+)', re.IGNORECASE)


def quoted_usernames(raw: str, topic_id_hint: int | None = None) -> list[str]:
    """The lower-cased names a post quotes (Discourse's [quote="name, post:N, topic:T"])."""
    seen: dict[str, None] = {}
    for name, _topic in _QUOTE.findall(raw or ""):
        seen[name.strip().lower()] = None
    return list(seen)


def _users_named(names: list[str]) -> list[User]:
    if not names:
        return []
    found = {u.username_lower: u for u in db.session.scalars(select(User).where(
        User.username_lower.in_(names), User.deleted_at.is_(None)))}
    return [found[n] for n in names if n in found]


def _reply_target(post: Post) -> User | None:
    """The author of the post replied to, or of the topic for a plain reply."""
    if post.post_number == 1:
        return None
    if post.reply_to_post_number:
        target = db.session.scalar(select(Post).where(
            Post.topic_id == post.topic_id, Post.post_number == post.reply_to_post_number))
        if target is not None and target.deleted_at is None:
            return target.user
    return post.topic.user


def watchers(post: Post) -> list[tuple[User, str]]:
    """Members watching the topic, or its category without muting the topic, with the kind
    they get: a new topic for category watchers, a new post otherwise."""
    topic = post.topic
    levels = dict(db.session.execute(select(TopicUser.user_id, TopicUser.notification_level)
                                     .where(TopicUser.topic_id == topic.id)).all())
    result = {uid: kinds.KIND_POSTED for uid, level in levels.items() if level == LEVEL_WATCHING}
    category_watchers = db.session.scalars(select(CategoryUser.user_id).where(
        CategoryUser.category_id == topic.category_id,
        CategoryUser.notification_level == LEVEL_WATCHING))
    first = kinds.KIND_WATCHING_FIRST_POST if post.post_number == 1 else kinds.KIND_POSTED
    for uid in category_watchers:
        if levels.get(uid, LEVEL_WATCHING) != LEVEL_MUTED and uid not in result:
            result[uid] = first
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(list(result))))}
    return [(users[uid], kind) for uid, kind in result.items() if uid in users]


def on_post_published(post: Post, **_kwargs) -> None:
    """Mentions, quotes, the reply and the watchers of a post that readers can now see."""
    from forum.following.services import track_on_post

    author = post.user
    if author is not None:
        track_on_post(post, author)
    topic = post.topic
    done: set[int] = {author.id} if author is not None else set()
    data = {"by": author.username if author else "", "post_id": post.id}
    recipients: list[tuple[User, str]] = []
    mentioned = markup.mentioned_usernames(post.raw)[:MAX_MENTIONS]
    recipients += [(u, kinds.KIND_MENTIONED) for u in _users_named(mentioned)]
    recipients += [(u, kinds.KIND_QUOTED) for u in _users_named(quoted_usernames(post.raw))]
    target = _reply_target(post)
    if target is not None:
        recipients.append((target, kinds.KIND_REPLIED))
    recipients += watchers(post)
    for user, kind in recipients:
        if user.id in done or user.deleted_at is not None:
            continue
        done.add(user.id)
        if permissions.can_view_topic(user, topic) and permissions.can_view_post(user, post):
            notify(user, kind, data=data, topic=topic, post_number=post.post_number)


def on_like_given(action, **_kwargs) -> None:
    post, liker = action.post, action.user
    owner = post.user if post is not None else None
    if owner is None or liker is None or owner.id == liker.id:
        return
    if permissions.can_view_post(owner, post):
        notify_liked(owner, liker=liker, topic=post.topic, post_number=post.post_number,
                     post_id=post.id)


def register_receivers() -> None:
    """Connect the receivers (module-level functions: blinker holds weak references)."""
    domain_events.post_published.connect(on_post_published)
    domain_events.like_given.connect(on_like_given)
