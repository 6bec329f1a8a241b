"""Rendered HTML fragments kept in each process for one content generation.

A topic-list row, or a post's head and body, reads only content (the topic or post, its
category and authors) and the locale, never who is looking; once rendered it can serve every
viewer whom the page's own queries let see that topic or post. Keys carry the content
generation, which every content change bumps in its own transaction
(forum.page_cache.generation), so an edit shows at once. Relative times ("5 minutes ago")
are left as slots in the stored fragment and filled in for each request.

What a viewer may see is never decided here: pages run their visibility queries as before
and look up fragments only for the rows those queries returned. Per-viewer controls (edit,
delete, flag) stay outside the fragments.
"""

from __future__ import annotations

import sys
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from datetime import datetime

from flask import Flask, current_app, g, has_request_context, render_template, request
from flask_babel import get_locale
from markupsafe import Markup, escape
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from forum.column_reads import read_columns
from forum.fragments import time as time_element
from forum.models import SiteState
from forum.page_cache.generation import CONTENT_MODELS
from forum.security import csrf_token
from forum.templating import relative_times, timeago

# GET pages that use fragments: their generation is read before anything they may cache.
FRAGMENT_ENDPOINTS = frozenset({"topics.latest", "topics.show", "categories.show"})
# Marks a relative time's place in a stored fragment; no template prints control characters.
_TIME_SLOT = "\x00time\x00"
# Stands in a kept fragment where the session's CSRF token goes (pass csrf_token=csrf_slot).
CSRF_SLOT = "\x00csrf\x00"


def csrf_slot() -> str:
    return CSRF_SLOT


def with_csrf_tokens(pieces: dict[Hashable, Markup]) -> dict[Hashable, Markup]:
    """Kept HTML pieces with the request's own CSRF token in their slots.

    The token is asked for only when a piece holds a form: a guest's page must not start a
    session (flask-wtf keeps the token in it)."""
    token = None
    filled = {}
    for key, html in pieces.items():
        if CSRF_SLOT in html:
            token = token or csrf_token()
            # str's replace: Markup's would escape the token again for every piece.
            html = Markup(str.replace(html, CSRF_SLOT, token))  # noqa: S704 - URL-safe token
        filled[key] = html
    return filled


class Fragment:
    """HTML with holes for relative times: parts[0] ago(times[0]) parts[1] … parts[-1].

    Only the words ("5 minutes ago") are left out; the <time> element around them, with the
    exact date, is part of the stored HTML.
    """

    __slots__ = ("parts", "times", "keep")

    def __init__(self, parts: tuple[str, ...], times: tuple[datetime | None, ...],
                 keep: bool = True):
        self.parts, self.times = parts, times
        # False when the HTML depends on more than content (e.g. a pin that lapses later).
        self.keep = keep

    def html(self, words: Callable[[datetime | None], str] | None = None) -> Markup:
        """The HTML with each slot's relative time; `words` is relative_times() when the
        caller fills many fragments."""
        words = words or timeago
        out = [self.parts[0]]
        for value, part in zip(self.times, self.parts[1:], strict=True):
            out.append(escape(words(value)))
            out.append(part)
        # The parts are a template's autoescaped output, and the words were escaped above.
        return Markup("".join(out))  # noqa: S704


class LRU:
    """A bounded mapping that forgets the least recently used entry first: at most `size`
    entries and, when `max_bytes` is given, at most that many bytes of kept HTML."""

    def __init__(self, size: int, max_bytes: int | None = None):
        self.size, self.max_bytes = size, max_bytes
        self.data: OrderedDict = OrderedDict()
        self.bytes = 0

    def get(self, key: Hashable):
        value = self.data.get(key)
        if value is not None:
            self.data.move_to_end(key)
        return value

    def set(self, key: Hashable, value) -> None:
        old = self.data.pop(key, None)
        if old is not None:
            self.bytes -= _bytes(old)
        self.data[key] = value
        self.bytes += _bytes(value)
        while self.data and (len(self.data) > self.size or (
                self.max_bytes is not None and self.bytes > self.max_bytes)):
            _key, dropped = self.data.popitem(last=False)
            self.bytes -= _bytes(dropped)

    def clear(self) -> None:
        self.data.clear()
        self.bytes = 0


def _bytes(value) -> int:
    # What the HTML holds of the worker's memory: a long post's HTML is many times a list
    # row's, and a str with any Cyrillic in it takes two bytes a character, so count bytes
    # as Python stores them, not entries or characters. (Fragments and kept pages have parts;
    # kept headers and forms are one string; other kept values are small.)
    parts = getattr(value, "parts", None)
    if parts is not None:
        return sum(map(sys.getsizeof, parts))
    return sys.getsizeof(value) if isinstance(value, str) else 0


def init_fragment_cache(app: Flask) -> None:
    app.extensions["fragment_cache"] = LRU(app.config["FRAGMENT_CACHE_ENTRIES"],
                                           app.config["FRAGMENT_CACHE_BYTES"])
    if app.config["KEPT_HTML_ENTRIES"] > 0:
        app.extensions["kept_html"] = LRU(app.config["KEPT_HTML_ENTRIES"],
                                          app.config["KEPT_HTML_BYTES"])
    app.before_request(_read_generation_first)


def kept_html(key: tuple, render: Callable[[], Markup]) -> Markup:
    """HTML kept in this process under a key that holds every value it shows.

    Unlike the fragments above, such HTML reads no content that changes (a reader's own
    header, a composer), so its key needs no content generation: a changed value is another
    key. Slots (CSRF_SLOT and the caller's own) stand where each request's values go.
    """
    store: LRU | None = current_app.extensions.get("kept_html")
    html = store.get(key) if store is not None else None
    if html is None:
        html = render()
        if store is not None:
            store.set(key, html)
    return html


_READ_GENERATION = select(SiteState.__table__.c.generation).where(
    SiteState.__table__.c.id == 1)


def _read_generation_first() -> None:
    # Before any query of the request: whatever it then loads and stores is at least as new
    # as the generation in its key. (The reverse order could file old content under a new
    # generation, where it would stay until the next change.)
    # Set on every request: tests keep one app context, and so one `g`, across requests.
    g.content_generation = None
    if (request.method == "GET" and request.endpoint in FRAGMENT_ENDPOINTS
            and current_app.config["FRAGMENT_CACHE_ENTRIES"] > 0):
        # In the session's own transaction, but below the ORM: every page asks, and building
        # and running an ORM statement costs ten times the query.
        g.content_generation = read_columns(_READ_GENERATION).scalar()


@event.listens_for(Session, "before_flush")
def _stop_caching_after_own_changes(session: Session, flush_context, instances) -> None:
    # Content this request changed may yet roll back: never file it under any generation.
    if has_request_context() and g.get("content_generation") is not None and any(
            isinstance(obj, CONTENT_MODELS)
            for obj in (*session.new, *session.dirty, *session.deleted)):
        g.content_generation = None


def render_fragment(template: str, *, keep: bool = True, **context) -> Fragment:
    """Render a template with every time(...) call left as a slot for the request to fill."""
    times: list[datetime | None] = []

    def time_slot(value: datetime | None) -> Markup:
        if value:
            times.append(value)
        return time_element(value, words=_TIME_SLOT)

    html = render_template(template, time=time_slot, **context)
    return Fragment(tuple(html.split(_TIME_SLOT)), tuple(times), keep)


def cached_fragments(kind: str, ids: Iterable[Hashable],
                     render_missing: Callable[[list], dict[Hashable, Fragment]]
                     ) -> dict[Hashable, Markup]:
    """The HTML of each key's fragment, rendering (and keeping) only those not yet kept.

    A key is a row's id, or a tuple of the id and whatever else the fragment depends on.

    render_missing may leave out an id it cannot render (e.g. a row deleted meanwhile).
    """
    ids = list(ids)
    generation = g.get("content_generation") if has_request_context() else None
    # A page rendering for keeping (forum.kept_pages) leaves the times as slots of its own.
    keeping = g.get("kept_page_recorder") if has_request_context() else None
    words = keeping.time_words if keeping is not None else relative_times()
    if generation is None:  # not a fragment page, the cache is off, or content changed
        return {i: fragment.html(words) for i, fragment in render_missing(ids).items()}
    store: LRU = current_app.extensions["fragment_cache"]
    scope = (generation, str(get_locale()), request.script_root, kind)
    found = {i: store.get((*scope, i)) for i in ids}
    missing = [i for i, fragment in found.items() if fragment is None]
    if missing:
        for i, fragment in render_missing(missing).items():
            found[i] = fragment
            if fragment.keep and g.get("content_generation") == generation:
                store.set((*scope, i), fragment)
            elif keeping is not None:
                keeping.keep = False  # the page would outlive this fragment
    return {i: fragment.html(words) for i, fragment in found.items()
            if fragment is not None}
