"""Keeping posts and chat messages indexed: receivers of the domain events.

Each receiver rewrites one document (or a few, for a move) in the sender's transaction, so
the index commits or rolls back with the change. Topic states that do not change a
document's text — closing, pinning, moving to another category, hiding by flags, approval
state — need no receiver: every search reads them live through the kind's filter.
"""

from __future__ import annotations

from sqlalchemy import select

from forum import domain_events
from forum.extensions import db
from forum.models import Post
from forum.search.chat import index_message, unindex_message
from forum.search.posts import index_post, unindex_post


def on_post_written(post, **_):
    index_post(post)


def on_post_deleted(post, **_):
    unindex_post(post)


def on_posts_moved(destination, *, post_ids, **_):
    for post in db.session.scalars(select(Post).where(Post.id.in_(post_ids))):
        index_post(post)


def on_message_written(message, **_):
    index_message(message)


def on_message_deleted(message, **_):
    unindex_message(message)


def _receivers():
    return [(domain_events.post_published, on_post_written),
            (domain_events.post_held, on_post_written),
            (domain_events.post_edited, on_post_written),
            (domain_events.post_restored, on_post_written),
            (domain_events.post_deleted, on_post_deleted),
            (domain_events.posts_moved, on_posts_moved),
            (domain_events.chat_message_sent, on_message_written),
            (domain_events.chat_message_edited, on_message_written),
            (domain_events.chat_message_restored, on_message_written),
            (domain_events.chat_message_deleted, on_message_deleted)]


def register_receivers() -> None:
    for signal, receiver in _receivers():
        signal.connect(receiver)


def unregister_receivers() -> None:
    for signal, receiver in _receivers():
        signal.disconnect(receiver)
