"""Full-text search over posts, chat messages and whatever other kinds register themselves.

The stable API for other packages:

    from forum import search
    search.upsert_document(kind, ref_id, title=..., body=..., user_id=..., created_at=...)
    search.remove_document(kind, ref_id)
    search.register_kind(search.SearchKind(name=..., label=..., filter=..., load=..., ...))
    search.search(viewer, "дробями in:library", page=1) -> SearchResults

Documents hold text only; who may read them is decided at query time by each kind's filter.
"""

from forum.search import schema  # noqa: F401 - the full-text index DDL rides on create_all
from forum.search.index import plain_text, remove_document, remove_kind, upsert_document
from forum.search.kinds import (
    CATEGORY,
    STATUS,
    TITLE,
    Hit,
    SearchContext,
    SearchKind,
    get_kind,
    register_kind,
    registered_kinds,
)
from forum.search.queries import PER_PAGE, SearchResults, search


def register_builtin_kinds() -> None:
    """Posts, chat messages and library materials, and the domain-event receivers that keep
    posts and chat indexed (the library indexes its materials itself, when they change)."""
    from forum.library.search_kind import RESOURCE_KIND
    from forum.search.chat import CHAT_KIND
    from forum.search.posts import POST_KIND
    from forum.search.receivers import register_receivers

    register_kind(POST_KIND)
    register_kind(CHAT_KIND)
    register_kind(RESOURCE_KIND)
    register_receivers()


__all__ = ["upsert_document", "remove_document", "remove_kind", "plain_text", "register_kind",
           "registered_kinds", "get_kind", "SearchKind", "SearchContext", "Hit", "CATEGORY",
           "STATUS", "TITLE", "search", "SearchResults", "PER_PAGE", "register_builtin_kinds"]
