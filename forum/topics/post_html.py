"""Posts' heads and bodies as HTML, a live post's rendered once per content generation.

A post that is neither deleted nor hidden looks the same to everyone who may see it, so its
kept HTML serves them all; deleted and hidden posts show placeholders or notices that depend
on the viewer, and are rendered for each request. The controls under a post (reply, edit,
flag, delete) are the viewer's own and are never kept (topics/_post_actions.html).
"""

from __future__ import annotations

from markupsafe import Markup

from forum.fragment_cache import Fragment, cached_fragments, render_fragment
from forum.models import Post, Topic


def post_contents(posts: list[Post], topic: Topic) -> dict[int, Markup]:
    """Each post's opening tag, head and body, by post id."""
    by_id = {post.id: post for post in posts}

    def render(missing: list[int]) -> dict[int, Fragment]:
        return {i: render_fragment("topics/_post_content.html", post=by_id[i], topic=topic,
                                   keep=_same_for_every_viewer(by_id[i]))
                for i in missing}

    return cached_fragments("post-content", by_id, render)


def _same_for_every_viewer(post: Post) -> bool:
    return post.deleted_at is None and post.hidden_at is None
