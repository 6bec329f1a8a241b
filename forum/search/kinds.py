"""Kinds of searchable documents: a registry, so each capability brings its own.

A kind says which of its documents a viewer may read and which filters it understands, as SQL
conditions on SearchDocument (ref_id is the item's id), and how to show a page of hits. The
library registers 'resource' from its own package:

    search.register_kind(search.SearchKind(
        name="resource", label=_l("Library"), filter=..., load=..., supports={"category"},
        reindex=...))
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.sql.expression import false

# Filters a kind may understand beyond the common ones (words, @user, before:, after:).
CATEGORY, STATUS, TITLE = "category", "status", "title"


@dataclass
class SearchContext:
    """What a kind's filter needs: the parsed query, the viewer, and the categories that
    category:/# resolved to (already limited to those the viewer may read)."""

    query: Any
    viewer: Any
    category_ids: list[int] | None = None


@dataclass
class Hit:
    """One result as pages and the API show it; `snippet` is safe HTML (escaped, <mark>ed).
    `link` is the address, or a function giving it (called within a request, where URLs can
    be built; a search itself also runs without one, from the CLI or a benchmark)."""

    kind: str
    ref_id: int
    title: str
    link: Any
    context: str = ""                # where it lives: a category or a channel name
    username: str | None = None
    created_at: datetime | None = None
    snippet: Any = ""
    data: dict = field(default_factory=dict)  # kind-specific fields for the JSON API

    @property
    def url(self) -> str:
        return self.link() if callable(self.link) else self.link


@dataclass(frozen=True)
class SearchKind:
    """A searchable kind of item.

    filter(ctx) -> a condition on SearchDocument: the documents of this kind the viewer may
        read and that satisfy the kind's filters in ctx (checked at query time, every search).
    load(ref_ids, viewer) -> {ref_id: Hit} for the hits on a page (snippet filled in later);
        an id missing from the answer is dropped.
    supports: which of CATEGORY, STATUS, TITLE the filter understands; a search using another
        one leaves this kind out.
    reindex(batch_size) -> a generator that upserts every item, batch by batch, yielding how
        many it did after each batch (the CLI commits between batches); None: nothing to do.
    count() -> how many items reindex() goes through (for the progress bar).
    """

    name: str
    label: Any
    filter: Callable[[SearchContext], ColumnElement[bool]]
    load: Callable[[list[int], Any], dict[int, Hit]]
    supports: frozenset = frozenset()
    reindex: Callable[[int], Iterable[int]] | None = None
    count: Callable[[], int] | None = None


_kinds: dict[str, SearchKind] = {}


def register_kind(kind: SearchKind) -> None:
    """Add (or replace) a kind; call it at app start-up."""
    _kinds[kind.name] = kind


def registered_kinds() -> dict[str, SearchKind]:
    return dict(_kinds)


def get_kind(name: str) -> SearchKind | None:
    return _kinds.get(name)


def nothing() -> ColumnElement[bool]:
    return false()
