"""The search query language (Discourse's): words, "phrases", @user, category:slug / #slug,
tags:, in:title|chat|library, status:open|closed|pinned, before:/after:YYYY-MM-DD,
order:latest.

Parsing never fails: a filter it cannot use is left out and described in `notes`, and only
an empty or over-long query is an error (`error`). Everything here is plain Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

MAX_QUERY_LENGTH = 200
STATUSES = ("open", "closed", "pinned")
# in:<value> → the document kind it restricts the search to ('title' is a narrower post search).
IN_KINDS = {"chat": "chat", "library": "resource", "title": "post"}

_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
_FILTER = re.compile(r"^([a-z_]+):(.*)$", re.I)


@dataclass
class ParsedQuery:
    text: str = ""
    words: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    username: str | None = None
    category_slug: str | None = None
    kind: str | None = None          # restrict to one document kind
    in_title: bool = False
    status: str | None = None
    before: date | None = None
    after: date | None = None
    order: str = "relevance"         # or "latest"
    notes: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def has_terms(self) -> bool:
        return bool(self.words or self.phrases)

    @property
    def has_filters(self) -> bool:
        return bool(self.username or self.category_slug or self.kind or self.status
                     or self.before or self.after)

    @property
    def term_text(self) -> str:
        """The words and phrases alone, as typed (for PostgreSQL's query functions)."""
        return " ".join(self.words + self.phrases)


def parse(text: str | None) -> ParsedQuery:
    """Read a query string; see the module docstring for the language."""
    query = ParsedQuery(text=(text or "").strip())
    if not query.text:
        query.error = _("Type something to search for.")
        return query
    if len(query.text) > MAX_QUERY_LENGTH:
        query.error = _("The search is too long: at most %(n)d characters.", n=MAX_QUERY_LENGTH)
        return query
    for match in _TOKEN.finditer(query.text):
        phrase, token = match.group(1), match.group(2)
        if phrase is not None:
            if phrase.strip():
                query.phrases.append(phrase.strip())
        else:
            _read_token(query, token)
    if not query.has_terms and not query.has_filters:
        query.error = _("Add a word to search for.")
    return query


def _read_token(query: ParsedQuery, token: str) -> None:
    if token.startswith("@") and len(token) > 1:
        query.username = token[1:]
        return
    if token.startswith("#") and len(token) > 1:
        query.category_slug = token[1:].lower()
        return
    match = _FILTER.match(token)
    if match is None or not match.group(2):
        query.words.append(token)
        return
    name, value = match.group(1).lower(), match.group(2)
    reader = _FILTERS.get(name)
    if reader is None:
        query.notes.append(_("Unknown filter “%(name)s:” was ignored.", name=name))
    else:
        reader(query, value)


def _category(query: ParsedQuery, value: str) -> None:
    query.category_slug = value.lower()


def _tags(query: ParsedQuery, value: str) -> None:
    # Topics have no tags in Kafedra: the filter is accepted and has no effect.
    query.notes.append(_("Topics have no tags here, so “tags:” was ignored."))


def _in(query: ParsedQuery, value: str) -> None:
    value = value.lower()
    if value not in IN_KINDS:
        query.notes.append(_("“in:%(value)s” is not a place to search in and was ignored.",
                             value=value))
        return
    query.kind = IN_KINDS[value]
    query.in_title = value == "title"


def _status(query: ParsedQuery, value: str) -> None:
    value = value.lower()
    if value in STATUSES:
        query.status = value
    else:
        query.notes.append(_("Unknown status “%(value)s” was ignored (use open, closed or "
                             "pinned).", value=value))


def _date(which: str):
    def read(query: ParsedQuery, value: str) -> None:
        try:
            setattr(query, which, date.fromisoformat(value))
        except ValueError:
            query.notes.append(_("“%(value)s” is not a date like 2024-09-01; the filter was "
                                 "ignored.", value=value))
    return read


def _order(query: ParsedQuery, value: str) -> None:
    if value.lower() == "latest":
        query.order = "latest"
    else:
        query.notes.append(_("Unknown order “%(value)s” was ignored (use latest).", value=value))


_FILTERS = {"category": _category, "tags": _tags, "tag": _tags, "in": _in, "status": _status,
            "before": _date("before"), "after": _date("after"), "order": _order,
            "user": lambda q, v: setattr(q, "username", v.lstrip("@"))}
