"""Members' pages kept whole per content generation, with each reader's own parts as slots.

A member's Latest, category or topic page shows what every member for whom the view decided
the same things sees, except a few parts that are the reader's own: the header, the CSRF
token, the banner they may have dismissed, the footer's staff-log link, their new and unread
counts, their marks on list rows, their watching level, their controls under each post and
their reply draft. While a page renders for keeping, each of those leaves a numbered slot
instead of its HTML, and so does every relative time; each request, this page's reader's
included, then fills the slots for itself. Rendering the page was half of a member's
request; filling it is a few string joins.

A reader's part is either a Jinja global named in READER_PARTS, which the fill calls again,
or a value the view computed for this reader and passed as `reader=` (a topic's post
controls, the composer), which the fill takes from this request's view.

Everything else on the page must be in its key: the view names what it decided for this
reader (the topic or post ids its visibility queries chose, whether they may post there),
and the template, address, language and content generation are added here. While rendering
for keeping, the template's `current_user` answers only that a member is signed in, and a
reader value may be shown but not tested: a template that reads the reader anywhere else
raises KeptPageError in the tests instead of showing one member's page to another.

Guests never come here (their whole pages are cached in front of Flask), nor does a request
with a flash message to show, or one that changed content itself (no generation).
"""
from __future__ import annotations

import re
from collections.abc import Hashable, Mapping
from datetime import datetime
from typing import Any

from flask import current_app, g, render_template, request, session
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup, escape

from forum.fragment_cache import LRU
from forum.fragments import time as time_element
from forum.templating import relative_times

# Jinja globals that show the reader's own part of a page.
READER_PARTS = ("site_header", "csrf_token", "site_banner_html", "footer_links",
                "nav_counts", "topic_marks", "level_form")
_SLOT = re.compile("\x00slot(\\d+)\x00")


class KeptPageError(RuntimeError):
    """A template read the reader outside READER_PARTS while its page rendered for keeping."""


class KeptPage:
    """parts[0] slot[0] parts[1] … parts[-1]; a slot is ("time", when), ("value", the
    view's reader value, the item to show or None) or ("part", global's name, arguments,
    the item of its answer to show or None)."""

    __slots__ = ("parts", "slots")

    def __init__(self, parts: tuple[str, ...], slots: tuple[tuple, ...]):
        self.parts, self.slots = parts, slots


def init_kept_pages(app) -> None:
    if app.config["KEPT_PAGES"] > 0:
        app.extensions["kept_pages"] = LRU(app.config["KEPT_PAGES"],
                                           app.config["KEPT_PAGES_BYTES"])


def render_member_page(template: str, key: Hashable, *, reader: Mapping[str, Any] | None = None,
                       **context) -> str:
    """render_template(template, **context, **reader), kept for the next member whose view
    gives the same key."""
    reader = dict(reader or {})
    store: LRU | None = current_app.extensions.get("kept_pages")
    generation = g.get("content_generation")
    if (store is None or generation is None or not current_user.is_authenticated
            or "_flashes" in session):
        return render_template(template, **context, **reader)
    full_key = (template, key, generation, str(get_locale()), request.host,
                request.script_root, request.full_path)
    page = store.get(full_key)
    if page is None:
        page, keep = _render_for_keeping(template, context, reader)
        if keep and g.get("content_generation") == generation:
            store.set(full_key, page)
    return _fill(page, reader)


class _Recorder:
    """The slots of the page being rendered for keeping (kept in `g` meanwhile)."""

    def __init__(self):
        self.slots: list[tuple] = []
        self.keep = True  # False once a part of the page may change without a new generation

    def mark(self, slot: tuple) -> Markup:
        self.slots.append(slot)
        return Markup(f"\x00slot{len(self.slots) - 1}\x00")  # noqa: S704 - a control marker

    def time_words(self, when: datetime | None) -> Markup:
        """Stands in for relative_times()'s words (forum.fragment_cache fills rows with it)."""
        return self.mark(("time", when)) if when else Markup("")

    def time(self, when: datetime | None) -> Markup:
        """Stands in for the `time` global."""
        return time_element(when, words=self.time_words(when)) if when else Markup("")


def recorder() -> _Recorder | None:
    """The page being rendered for keeping, if any (fragment_cache asks for its times)."""
    return g.get("kept_page_recorder")


class _SignedInMember:
    """current_user while a page renders for keeping: signed in, and nothing more."""

    is_authenticated = True
    is_anonymous = False

    def __getattr__(self, name: str):
        raise KeptPageError(f"a kept page read current_user.{name}: show it through a reader "
                            f"part (kept_pages.READER_PARTS) or put it in the view's key")


class _ReaderValue:
    """A value the view computed for this reader, while the page renders for keeping: shown
    whole or by item (footers[post.id]), or handed to a reader part, it becomes a slot that
    each request fills with its own value; tested in a condition, it raises."""

    __slots__ = ("name", "_recorder")

    def __init__(self, name: str, recorder_: _Recorder):
        self.name, self._recorder = name, recorder_

    def __bool__(self):
        raise KeptPageError(f"a kept page tested the reader's value {self.name!r}: "
                            f"decide it in the view and put the decision in the key")

    def __html__(self) -> Markup:
        return self._recorder.mark(("value", self.name, None))

    def __getitem__(self, key: Hashable) -> Markup:
        return self._recorder.mark(("value", self.name, key))

    def __eq__(self, other):
        return isinstance(other, _ReaderValue) and other.name == self.name

    def __hash__(self):
        return hash(self.name)


class _PartAnswer:
    """What a reader part returns while the page renders for keeping: shown whole, or one
    item of it (counts.new, marks[topic_id]), each becomes a slot."""

    __slots__ = ("_name", "_args", "_recorder")

    def __init__(self, name: str, args: tuple, recorder_: _Recorder):
        self._name, self._args, self._recorder = name, args, recorder_

    def __html__(self) -> Markup:
        return self._recorder.mark(("part", self._name, self._args, None))

    __str__ = __html__

    def __getitem__(self, key: Hashable) -> Markup:
        return self._recorder.mark(("part", self._name, self._args, key))

    def __getattr__(self, key: str) -> Markup:
        if key.startswith("_"):
            raise AttributeError(key)
        return self[key]

    def __contains__(self, key: Hashable) -> bool:
        return True

    def get(self, key: Hashable, default=None) -> Markup:
        return self[key]


def _stand_in(name: str, recorder_: _Recorder):
    def part(*args):
        # Lists become tuples: the filled page calls the part once per distinct arguments.
        return _PartAnswer(name, tuple(tuple(a) if isinstance(a, list) else a for a in args),
                           recorder_)

    return part


def _render_for_keeping(template: str, context: dict, reader: dict) -> tuple[KeptPage, bool]:
    recorder_ = g.kept_page_recorder = _Recorder()
    try:
        html = render_template(
            template, **context, **{name: _ReaderValue(name, recorder_) for name in reader},
            **{name: _stand_in(name, recorder_) for name in READER_PARTS},
            current_user=_SignedInMember(), time=recorder_.time,
            get_flashed_messages=lambda **_kwargs: [])
    finally:
        g.pop("kept_page_recorder", None)
    pieces = _SLOT.split(html)
    page = KeptPage(tuple(pieces[0::2]),
                    tuple(recorder_.slots[int(index)] for index in pieces[1::2]))
    return page, recorder_.keep


def _fill(page: KeptPage, reader: dict) -> str:
    words = relative_times()
    parts = current_app.jinja_env.globals
    answers: dict[tuple, Any] = {}
    out = [page.parts[0]]
    for slot, text in zip(page.slots, page.parts[1:], strict=True):
        if slot[0] == "time":
            out.append(escape(words(slot[1])))
        elif slot[0] == "value":
            _kind, name, item = slot
            out.append(escape(reader[name] if item is None else reader[name][item]))
        else:
            _kind, name, args, item = slot
            args = tuple(reader[a.name] if isinstance(a, _ReaderValue) else a for a in args)
            try:
                answer = answers[name, args]
            except KeyError:
                answer = answers[name, args] = parts[name](*args)
            if item is not None:
                answer = answer.get(item, "")
            out.append(escape(answer))
        out.append(text)
    # The parts are the template's autoescaped output; every slot's value was escaped above.
    return Markup("".join(out))  # noqa: S704
