"""load_demo_community(): the Russian demo community, built through the real services.

Going through register/create_category/create_topic/reply/edit_post (rather than inserting rows)
keeps every counter, revision and cooked post exactly as the application would make them; only
the timestamps are rewritten afterwards, to spread the conversations over the past weeks.
"""

from __future__ import annotations

import random
import textwrap
from datetime import datetime, timedelta

from sqlalchemy import select

from forum.accounts import services as accounts
from forum.bootstrap import ensure_base_data
from forum.categories import services as categories
from forum.demo import data
from forum.demo.chat import load_demo_chat
from forum.extensions import db
from forum.groups import services as groups
from forum.markup import quote_markdown
from forum.models import Category, Post, PostRevision, Topic, User, utcnow
from forum.topics import services as topics


def load_demo_community() -> str:
    """Create the demo's people, categories, groups and topics; flushes, the caller commits.

    Meant for an empty database. Calling it again changes nothing: once the demo coordinator
    exists, it only says so. Categories that already exist (by slug) are reused.
    """
    if accounts.find_user(data.ADMIN_USERNAME) is not None:
        return (f"Demo already loaded; nothing changed (sign in as {data.ADMIN_USERNAME}, "
                f"password: {data.PASSWORD}).")
    ensure_base_data()
    now = utcnow()
    users = _create_users(now)
    demo_categories = ensure_categories()
    for slug, usernames in data.MODERATORS.items():
        for username in usernames:
            categories.assign_moderator(demo_categories[slug], users[username], actor=None)
    _create_groups(users)
    last_seen: dict[str, datetime] = {}
    post_count = 0
    for index, spec in enumerate(data.TOPICS):
        post_count += _create_conversation(spec, demo_categories, users, now, index, last_seen)
    chat_count = load_demo_chat(users, demo_categories, now)
    from forum.demo.library import load_demo_library

    material_count = load_demo_library(users, demo_categories)
    for username, user in users.items():
        user.last_seen_at = last_seen.get(username, now - timedelta(hours=20))
    db.session.flush()
    return (f"Demo loaded: {len(users)} users (password: {data.PASSWORD}; "
            f"coordinator: {data.ADMIN_USERNAME}), {len(demo_categories)} categories, "
            f"{len(data.GROUPS)} groups, {len(data.TOPICS)} topics, {post_count} posts, "
            f"{chat_count} chat messages, {material_count} library materials.")


def ensure_categories() -> dict[str, Category]:
    """The demo's categories by slug, creating whichever are missing (the benchmark uses it too)."""
    existing = {c.slug: c for c in db.session.scalars(select(Category))}
    wanted: dict[str, Category] = {}
    for spec in data.CATEGORIES:
        parent = wanted[spec["slug"]] = _ensure_category(spec, None, existing)
        for child in spec.get("children", ()):
            wanted[child["slug"]] = _ensure_category(child, parent, existing)
    return wanted


def _ensure_category(spec: dict, parent: Category | None, existing: dict) -> Category:
    if spec["slug"] in existing:
        return existing[spec["slug"]]
    category = categories.create_category(
        actor=None, name=spec["name"], slug=spec["slug"], description=spec["description"],
        color=spec["color"], parent=parent, permissions_by_group=spec.get("permissions"))
    existing[category.slug] = category
    return category


def _create_users(now: datetime) -> dict[str, User]:
    users = {}
    for spec in data.USERS:
        user = accounts.register(username=spec["username"],
                                 email=f"{spec['username']}@kafedra.example",
                                 password=data.PASSWORD, name=spec["name"], role=spec["role"],
                                 locale="ru")
        accounts.update_profile(user, actor=user, name=spec["name"],
                                organisation=spec["organisation"], subjects=spec["subjects"],
                                about=spec["about"], locale="ru")
        user.created_at = now - timedelta(days=spec["joined_days_ago"])
        # Weeks-old members are past a newcomer's limits (links, posts per day).
        user.trust_level = max(user.trust_level, 1)
        users[user.username] = user
    return users


def _create_groups(users: dict[str, User]) -> None:
    for spec in data.GROUPS:
        group = groups.group_by_name(spec["name"]) or groups.create_group(
            actor=None, name=spec["name"], full_name=spec["full_name"],
            description=spec["description"])
        for username in spec["members"]:
            groups.add_member(group, users[username], actor=None)


def _create_conversation(spec: dict, demo_categories: dict[str, Category],
                         users: dict[str, User], now: datetime, index: int,
                         last_seen: dict[str, datetime]) -> int:
    """One topic with its replies and edits, back-dated; returns the number of posts."""
    opened = now - timedelta(days=spec["days_ago"])
    topic = topics.create_topic(demo_categories[spec["category"]], author=users[spec["author"]],
                                title=spec["title"], raw=_text(spec["raw"]))
    topic.created_at = opened
    posts = [topics.post_by_number(topic, 1)]
    authors = [spec["author"]]
    _back_date(posts[0], opened)
    for reply in spec.get("replies", ()):
        raw = _text(reply["raw"])
        if "quote" in reply:
            target = reply["quote"]["post"]
            quoted = _text(reply["quote"].get("text") or posts[target - 1].raw)
            raw = quote_markdown(authors[target - 1], topic.id, target, quoted) + "\n\n" + raw
        post = topics.reply(topic, author=users[reply["author"]], raw=raw,
                            reply_to_post_number=reply.get("reply_to"))
        # Strictly after the previous post, and never in the future.
        when = max(opened + timedelta(hours=reply["hours"]),
                   posts[-1].created_at + timedelta(minutes=1))
        _back_date(post, min(when, now))
        posts.append(post)
        authors.append(reply["author"])
    for post, post_spec in zip(posts, [spec, *spec.get("replies", ())], strict=True):
        if "edit" in post_spec:
            _edit(post, post_spec["edit"], users[post_spec["author"]], now)
    for post, username in zip(posts, authors, strict=True):
        last_seen[username] = max(last_seen.get(username, post.created_at), post.created_at)
    _finish_topic(topic, spec, posts[-1], random.Random(index))
    return len(posts)


def _finish_topic(topic: Topic, spec: dict, last: Post, rng: random.Random) -> None:
    # The services stamped "now"; the list pages sort by these, so they follow the last post.
    topic.last_posted_at = topic.bumped_at = last.created_at
    topic.views = topic.posts_count * rng.randint(9, 25) + rng.randint(5, 40)
    if spec.get("pinned"):
        topic.pinned_at = topic.created_at
        topic.is_pinned_globally = True
    # Closed last: closing first would stop the replies and edits above.
    topic.is_closed = bool(spec.get("closed"))


def _edit(post: Post, edit: dict, editor: User, now: datetime) -> None:
    topics.edit_post(post, editor=editor, raw=post.raw + "\n\n" + _text(edit["append"]),
                     edit_reason=edit.get("reason", ""))
    edited = min(post.created_at + timedelta(hours=edit.get("hours", 1)), now)
    post.updated_at = edited
    _revision(post, post.version).created_at = edited


def _back_date(post: Post, when: datetime) -> None:
    post.created_at = post.updated_at = when
    _revision(post, 1).created_at = when


def _revision(post: Post, number: int) -> PostRevision:
    return db.session.scalars(select(PostRevision).where(
        PostRevision.post_id == post.id, PostRevision.number == number)).one()


def _text(raw: str) -> str:
    """Post bodies are indented in data.py for readability; Markdown must not see that indent."""
    return textwrap.dedent(raw).strip()
