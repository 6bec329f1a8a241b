"""Search results in Discourse's search.json shape (posts, topics, users, categories,
grouped_search_result); chat messages and other kinds are Kafedra extras under their own keys."""

from __future__ import annotations

from flask import url_for
from markupsafe import Markup

from forum.api.serializers import avatar_template, iso
from forum.models import Category, User
from forum.search.kinds import Hit
from forum.search.queries import SearchResults


def blurb(hit: Hit) -> str:
    """The snippet as plain text (Discourse's blurb); `blurb_html` keeps the <mark>s."""
    return Markup(str(hit.snippet)).striptags()  # noqa: S704 -- our own escaped snippet


def search_data(results: SearchResults, users: list[User], categories: list[Category]) -> dict:
    posts = [h for h in results.hits if h.kind == "post"]
    topics, seen = [], set()
    for hit in posts:
        if hit.data["topic_id"] not in seen:
            seen.add(hit.data["topic_id"])
            topics.append(_topic(hit))
    data = {
        "posts": [_post(h) for h in posts],
        "topics": topics,
        "users": [_user(u) for u in users],
        "categories": [_category(c) for c in categories],
        "tags": [],
        "groups": [],
        "chat_messages": [_document(h) for h in results.hits if h.kind == "chat"],
    }
    for hit in results.hits:
        if hit.kind not in ("post", "chat"):
            data.setdefault(f"{hit.kind}s", []).append(_document(hit))
    data["grouped_search_result"] = {
        "term": results.query.text,
        "more_posts": results.has_more or None,
        "more_users": None,
        "more_categories": None,
        "more_full_page_results": results.has_more or None,
        "search_log_id": None,
        "can_create_topic": False,
        "error": results.error,
        "notes": list(results.notes),
        "post_ids": [h.ref_id for h in posts],
        "user_ids": [u.id for u in users],
        "category_ids": [c.id for c in categories],
        "tag_ids": [],
        "group_ids": [],
        "page": results.page,
    }
    return data


def _post(hit: Hit) -> dict:
    return {"id": hit.ref_id, "name": hit.data.get("name", ""), "username": hit.username,
            "avatar_template": hit.data.get("avatar_template"), "created_at": iso(hit.created_at),
            "like_count": hit.data["like_count"], "blurb": blurb(hit),
            "blurb_html": str(hit.snippet), "post_number": hit.data["post_number"],
            "topic_id": hit.data["topic_id"], "url": hit.url}


def _topic(hit: Hit) -> dict:
    return {"id": hit.data["topic_id"], "title": hit.title, "fancy_title": str(Markup.escape(
        hit.title)), "slug": hit.data["topic_slug"], "posts_count": hit.data["posts_count"],
        "category_id": hit.data["category_id"], "closed": hit.data["closed"],
        "pinned": hit.data["pinned"], "archived": False, "visible": True}


def _document(hit: Hit) -> dict:
    return {"id": hit.ref_id, "kind": hit.kind, "title": hit.title, "url": hit.url,
            "context": hit.context, "username": hit.username,
            "created_at": iso(hit.created_at), "blurb": blurb(hit),
            "blurb_html": str(hit.snippet)}


def _user(user: User) -> dict:
    return {"id": user.id, "username": user.username, "name": user.name,
            "avatar_template": avatar_template(user),
            "url": url_for("accounts.profile", username=user.username)}


def _category(category: Category) -> dict:
    return {"id": category.id, "name": category.name, "slug": category.slug,
            "color": category.color, "parent_category_id": category.parent_id,
            "url": url_for("categories.show", slug=category.slug, category_id=category.id)}
