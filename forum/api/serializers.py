"""Model → dict in Discourse's JSON shapes: posts, topics, topic lists, users.

Pure functions: they read loaded attributes and ask forum.permissions (whose group lookup
is cached per user), never the request, and run no queries of their own: the caller loads
through forum.*.queries. Keys follow
Discourse's serializers so existing clients work; Kafedra extras are only ever added.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

from flask_babel import gettext as _
from flask_login import AnonymousUserMixin
from markupsafe import escape

from forum import markup, permissions
from forum.models import ROLE_MODERATOR, Category, Post, Topic, User

POST_TYPE_REGULAR = 1  # Discourse's post_types.regular
NOTIFICATION_LEVEL_REGULAR = 1


def iso(value: datetime | None) -> str | None:
    """Discourse's timestamp format: UTC, milliseconds, a trailing Z."""
    if value is None:
        return None
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def avatar_template(user: User | None) -> str | None:
    """A letter-avatar URL with Discourse's {size} placeholder (served by the API blueprint)."""
    if user is None:
        return None
    return f"/letter_avatar/{quote(user.username_lower)}/{{size}}/1.svg"


def fancy_title(title: str) -> str:
    """Discourse clients insert fancy_title as HTML, so it is the escaped title."""
    return str(escape(title))


def basic_user(user: User | None) -> dict | None:
    """Discourse's BasicUserSerializer."""
    if user is None:
        return None
    return {"id": user.id, "username": user.username, "name": user.name or None,
            "avatar_template": avatar_template(user)}


def list_user(user: User) -> dict:
    """A user in a list's sideloaded `users` array."""
    return {**basic_user(user), "trust_level": user.trust_level,
            "admin": user.is_admin, "moderator": user.role == ROLE_MODERATOR}


# --- posts ------------------------------------------------------------------------------------

def serialize_post(post: Post, viewer, *, include_raw: bool = False) -> dict:
    """Discourse's PostSerializer; a deleted post's text only for those who may read it."""
    user, topic = post.user, post.topic
    hidden = post.deleted_at is not None and not permissions.can_view_deleted_post(viewer, post)
    # A post hidden by a moderator, by flags or awaiting approval: its author and moderators only.
    hidden = hidden or (post.is_hidden and not permissions.can_view_hidden_post(viewer, post))
    data = {
        **_post_author(user),
        "id": post.id, "created_at": iso(post.created_at), "updated_at": iso(post.updated_at),
        "cooked": "" if hidden else post.cooked, "cooked_hidden": hidden,
        "post_number": post.post_number, "post_type": POST_TYPE_REGULAR,
        "reply_count": post.reply_count, "reply_to_post_number": post.reply_to_post_number,
        "quote_count": 0, "incoming_link_count": 0, "reads": 0, "score": 0,
        "topic_id": post.topic_id, "topic_slug": topic.slug, "topic_title": topic.title,
        "category_id": topic.category_id, "version": post.version,
        "yours": permissions.is_signed_in(viewer) and post.user_id == viewer.id,
        "can_edit": permissions.can_edit_post(viewer, post),
        "can_delete": _can_delete(viewer, post),
        "can_recover": permissions.can_restore_post(viewer, post),
        "can_wiki": False, "wiki": False, "hidden": post.is_hidden, "bookmarked": False,
        "actions_summary": [], "deleted_at": iso(post.deleted_at),
    }
    if include_raw and not hidden:
        data["raw"] = post.raw
    return data


def _post_author(user: User | None) -> dict:
    if user is None:
        return {"user_id": None, "username": None, "name": None, "display_username": None,
                "avatar_template": None, "trust_level": 0, "moderator": False, "admin": False,
                "staff": False, "user_title": None, "user_deleted": True}
    return {"user_id": user.id, "username": user.username, "name": user.name or None,
            "display_username": user.name or None, "avatar_template": avatar_template(user),
            "trust_level": user.trust_level, "moderator": user.role == ROLE_MODERATOR,
            "admin": user.is_admin, "staff": user.is_staff, "user_title": None,
            "user_deleted": user.deleted_at is not None}


def _can_delete(viewer, post: Post) -> bool:
    # Deleting the first post deletes its topic (topics.services.delete_post).
    if post.is_first:
        return permissions.can_delete_topic(viewer, post.topic)
    return permissions.can_delete_post(viewer, post)


# --- topic lists ------------------------------------------------------------------------------

def topic_list(listing, *, can_create_topic: bool, more_topics_url: str | None) -> dict:
    """Discourse's TopicListSerializer with the posters sideloaded in `users`."""
    users: dict[int, User] = {}
    for topic in listing.topics:
        for user in (topic.user, topic.last_poster):
            if user is not None:
                users[user.id] = user
    body = {"can_create_topic": can_create_topic, "draft": None, "draft_key": "new_topic",
            "draft_sequence": 0, "per_page": listing.per_page, "top_tags": [],
            "topics": [topic_list_item(t) for t in listing.topics]}
    if more_topics_url:
        body["more_topics_url"] = more_topics_url
    return {"users": [list_user(u) for u in users.values()], "primary_groups": [],
            "flair_groups": [], "topic_list": body}


def topic_list_item(topic: Topic) -> dict:
    """Discourse's TopicListItemSerializer."""
    last = topic.last_poster
    return {
        **_topic_common(topic), "bumped": topic.bumped_at > topic.created_at,
        "bumped_at": iso(topic.bumped_at), "unseen": False, "unpinned": None,
        "image_url": None, "liked": False, "bookmarked": False, "tags": [],
        "last_poster_username": last.username if last else None,
        "posters": topic_posters(topic),
    }


def _topic_common(topic: Topic) -> dict:
    return {
        "id": topic.id, "title": topic.title, "fancy_title": fancy_title(topic.title),
        "slug": topic.slug, "posts_count": topic.posts_count, "reply_count": topic.reply_count,
        "highest_post_number": topic.highest_post_number, "created_at": iso(topic.created_at),
        "last_posted_at": iso(topic.last_posted_at), "pinned": topic.pinned_at is not None,
        "pinned_globally": topic.is_pinned_globally, "visible": topic.is_visible,
        "closed": topic.is_closed, "archived": topic.is_archived, "views": topic.views,
        "like_count": 0, "has_summary": False, "archetype": "regular",
        "category_id": topic.category_id, "user_id": topic.user_id,
    }


def topic_posters(topic: Topic) -> list[dict]:
    """The original and the most recent poster, described as Discourse describes them."""
    first, last = topic.user_id, topic.last_poster_id
    if first is not None and first == last:
        extras = "latest single" if topic.posts_count <= 1 else "latest"
        return [_poster(first, _("Original Poster, Most Recent Poster"), extras)]
    posters = [_poster(first, _("Original Poster"), None)] if first is not None else []
    if last is not None:
        posters.append(_poster(last, _("Most Recent Poster"), "latest"))
    return posters


def _poster(user_id: int, description: str, extras: str | None) -> dict:
    return {"extras": extras, "description": description, "user_id": user_id,
            "primary_group_id": None, "flair_group_id": None}


# --- one topic --------------------------------------------------------------------------------

def topic_view(topic: Topic, posts: list[Post], *, stream: list[int],
               participants: list[tuple[User, int]], viewer) -> dict:
    """Discourse's TopicViewSerializer: the topic, a window of posts and every post id."""
    return {
        **_topic_common(topic),
        "post_stream": {"posts": [serialize_post(p, viewer) for p in posts], "stream": stream},
        "timeline_lookup": [], "tags": [], "word_count": None, "featured_link": None,
        "pinned_at": iso(topic.pinned_at), "unpinned": None, "deleted_at": iso(topic.deleted_at),
        "deleted_by": None, "draft": None, "draft_key": f"topic_{topic.id}",
        "draft_sequence": 0, "chunk_size": len(posts) or 20, "bookmarked": False,
        "actions_summary": [], "details": topic_details(topic, participants, viewer),
    }


def topic_details(topic: Topic, participants: list[tuple[User, int]], viewer) -> dict:
    """Discourse's TopicViewDetailsSerializer: who posted, and what the viewer may do."""
    return {
        "created_by": basic_user(topic.user), "last_poster": basic_user(topic.last_poster),
        "participants": [{**list_user(u), "post_count": n, "primary_group_name": None}
                         for u, n in participants],
        "notification_level": NOTIFICATION_LEVEL_REGULAR, "links": [],
        "can_edit": permissions.can_edit_topic(viewer, topic),
        "can_create_post": permissions.can_reply(viewer, topic),
        "can_reply_as_new_topic": permissions.can_create_topic(viewer, topic.category),
        "can_delete": permissions.can_delete_topic(viewer, topic),
        "can_recover": permissions.can_restore_topic(viewer, topic),
        "can_flag_topic": False,
    }


# --- users ------------------------------------------------------------------------------------

def user_profile(user: User, viewer, *, counts: tuple[int, int], recent_posts: list[Post]) -> dict:
    """Discourse's `/u/<username>.json` (UserSerializer) plus Kafedra's profile fields."""
    topic_count, post_count = counts
    own = permissions.can_edit_profile(viewer, user)
    data = {
        **list_user(user), "title": None, "created_at": iso(user.created_at),
        "last_seen_at": iso(user.last_seen_at), "last_posted_at": None,
        "post_count": post_count, "topic_count": topic_count, "badge_count": 0,
        "profile_view_count": 0, "primary_group_id": None, "can_edit": own,
        "bio_cooked": user.about_cooked or None,
        "bio_excerpt": markup.plain_text_excerpt(user.about_cooked) or None,
        "website": None, "website_name": None, "location": None,
        # Kafedra: where and what a teacher teaches, and what they wrote lately (visible only).
        "organisation": user.organisation or None, "subjects": user.subjects or None,
        "recent_posts": [_recent_post(p) for p in recent_posts],
    }
    if own:
        data["bio_raw"] = user.about
    return {"user_badges": [], "user": data}


def _recent_post(post: Post) -> dict:
    return {"id": post.id, "topic_id": post.topic_id, "topic_slug": post.topic.slug,
            "topic_title": post.topic.title, "post_number": post.post_number,
            "category_id": post.topic.category_id, "created_at": iso(post.created_at),
            "excerpt": markup.plain_text_excerpt(post.cooked)}


# --- categories and the site ------------------------------------------------------------------

@dataclass
class CategoryContext:
    """What category dicts need beyond the category: the viewer's visible tree and a guest."""

    viewer: object
    visible_ids: set[int]
    children: dict[int, list[Category]]
    guest: AnonymousUserMixin


def category_context(viewer, visible: list[Category]) -> CategoryContext:
    """Index the categories the viewer may see (from categories.queries.visible_category_list)."""
    children: dict[int, list[Category]] = {}
    for category in visible:
        if category.parent_id is not None:
            children.setdefault(category.parent_id, []).append(category)
    return CategoryContext(viewer, {c.id for c in visible}, children, AnonymousUserMixin())


def serialize_category(category: Category, ctx: CategoryContext) -> dict:
    """Discourse's BasicCategorySerializer, with the viewer's permission and visible children."""
    viewer, children = ctx.viewer, ctx.children.get(category.id, [])
    description = category.description or ""
    return {
        "id": category.id, "name": category.name, "slug": category.slug,
        "color": category.color, "text_color": category.text_color,
        # Discourse's description is HTML that clients insert as is; ours is plain text.
        "description": str(escape(description)) or None,
        "description_text": description or None, "description_excerpt": description or None,
        "topic_url": None, "topic_count": category.topic_count,
        "post_count": category.post_count, "position": category.position,
        # A parent the viewer may not see is not even named by its id.
        "parent_category_id": category.parent_id if category.parent_id in ctx.visible_ids
        else None,
        "read_restricted": not permissions.can_view_category(ctx.guest, category),
        "permission": (permissions.category_access(viewer, category)
                       if permissions.is_signed_in(viewer) else None),
        "can_create_topic": permissions.can_create_topic(viewer, category),
        "can_edit": permissions.can_manage_categories(viewer),
        "notification_level": NOTIFICATION_LEVEL_REGULAR,
        "has_children": bool(children), "subcategory_ids": [c.id for c in children],
        "sort_order": None, "sort_ascending": None, "show_subcategory_list": False,
        "num_featured_topics": 3, "default_view": "latest", "topic_template": None,
        "uploaded_logo": None, "uploaded_background": None,
    }


def category_detail(category: Category, ctx: CategoryContext) -> dict:
    """`/c/<id>/show.json`: the category, and its group permissions for those who manage them."""
    data = serialize_category(category, ctx)
    if permissions.can_manage_categories(ctx.viewer):
        data["group_permissions"] = [
            {"permission_type": p.permission_type, "group_name": p.group.name}
            for p in category.permissions]
    return {"category": data}


def category_list(visible: list[Category], viewer, *, include_subcategories: bool) -> dict:
    """`/categories.json`: top-level categories (and orphans whose parent is hidden)."""
    ctx = category_context(viewer, visible)
    top = [c for c in visible if c.parent_id not in ctx.visible_ids]
    categories = []
    for category in top:
        data = serialize_category(category, ctx)
        if include_subcategories:
            data["subcategory_list"] = [serialize_category(child, ctx)
                                        for child in ctx.children.get(category.id, [])]
        categories.append(data)
    return {"category_list": {
        "can_create_category": permissions.can_manage_categories(viewer),
        "can_create_topic": any(c["can_create_topic"] for c in _flat(categories)),
        "draft": None, "draft_key": "new_topic", "draft_sequence": 0,
        "categories": categories}}


def _flat(categories: list[dict]):
    for data in categories:
        yield data
        yield from data.get("subcategory_list", [])


def site(visible: list[Category], viewer) -> dict:
    """`/site.json`: every visible category (flat) and the enumerations clients look up."""
    ctx = category_context(viewer, visible)
    categories = [serialize_category(c, ctx) for c in visible]
    return {
        "categories": categories,
        "can_create_topic": any(c["can_create_topic"] for c in categories),
        "default_archetype": "regular",
        "archetypes": [{"id": "regular", "name": _("Regular Topic"), "options": []}],
        "post_types": POST_TYPES, "trust_levels": TRUST_LEVELS,
        "notification_types": NOTIFICATION_TYPES, "notification_levels": NOTIFICATION_LEVELS,
        "post_action_types": [], "topic_flag_types": [], "groups": [],
        "filters": ["latest", "categories"], "periods": [],
        "top_menu_items": ["latest", "categories"],
        "anonymous_top_menu_items": ["latest", "categories"],
        "uncategorized_category_id": None, "can_create_tag": False, "can_tag_topics": False,
        "top_tags": [], "user_fields": [], "auth_providers": [],
    }


# Discourse's enumerations, as far as Kafedra has the things they name.
POST_TYPES = {"regular": 1, "moderator_action": 2, "small_action": 3, "whisper": 4}
TRUST_LEVELS = {"newuser": 0, "basic": 1, "member": 2, "regular": 3, "leader": 4}
NOTIFICATION_LEVELS = {"muted": 0, "regular": 1, "tracking": 2, "watching": 3}
NOTIFICATION_TYPES = {"mentioned": 1, "replied": 2, "quoted": 3, "edited": 4, "liked": 5,
                      "private_message": 6, "posted": 9, "moved_post": 10, "linked": 11}
