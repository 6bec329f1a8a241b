"""Posts' heads and bodies as HTML, a live post's rendered once per content generation.

A post that is neither deleted nor hidden looks the same to everyone who may see it, so its
kept HTML serves them all; deleted and hidden posts show placeholders or notices that depend
on the viewer, and are rendered for each request.

The controls under a post (reply, like, edit, flag, delete) are the viewer's own: they are
kept per post and per distinct set of those permissions, so every member who may do the same
things to a post shares one rendering, with the session's CSRF token filled in per request.
"""

from __future__ import annotations

from markupsafe import Markup

from forum.accounts.auth import current_viewer
from forum.fragment_cache import (
    Fragment,
    cached_fragments,
    csrf_slot,
    render_fragment,
    with_csrf_tokens,
)
from forum.models import Post, Topic
from forum.permissions import PostControls
from forum.reputation.queries import page_likes
from forum.topics.queries import PagePost, posts_with_authors


def post_contents(posts: list[PagePost], topic: Topic) -> dict[int, Markup]:
    """Each post's opening tag, head and body, by post id; the Post objects (with authors)
    are loaded only for those not kept."""

    def render(missing: list[int]) -> dict[int, Fragment]:
        return {post.id: render_fragment("topics/_post_content.html", post=post, topic=topic,
                                         keep=same_for_every_viewer(post))
                for post in posts_with_authors(topic, missing)}

    return cached_fragments("post-content", [post.id for post in posts], render)


def same_for_every_viewer(post: Post | PagePost) -> bool:
    """Neither deleted nor hidden: what those show depends on who reads."""
    return post.deleted_at is None and post.hidden_at is None


def post_footers(posts: list[PagePost], topic: Topic, actions,
                 controls: dict[int, PostControls],
                 bookmarked: dict[int, int]) -> dict[int, Markup]:
    """Each post's controls and the end of its article (topics/_post_actions.html), by id.

    The key holds everything the footer reads about the viewer: their topic-wide actions,
    the post's controls, whether they liked or bookmarked it. The post's own state is covered
    by the content generation in every kept fragment's key.
    """
    reader = current_viewer()
    likes = page_likes(reader, topic, [post.id for post in posts])
    viewer = (reader.is_authenticated, actions, likes.can_like)
    keys = {}
    for post in posts:
        keys[post.id] = (post.id, viewer, controls[post.id], post.id in likes.liked,
                         bookmarked.get(post.id) if bookmarked else None)
    posts_by_key = {keys[post.id]: post for post in posts}

    def render(missing: list) -> dict:
        return {key: render_fragment("topics/_post_actions.html", post=posts_by_key[key],
                                     topic=topic, actions=actions, post_controls=controls,
                                     bookmarked=bookmarked, csrf_token=csrf_slot)
                for key in missing}

    html = cached_fragments("post-footer", keys.values(), render)
    return with_csrf_tokens({post_id: html[key] for post_id, key in keys.items()})
