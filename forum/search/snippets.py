"""Result snippets: a short extract of a document's stored plain text with the matches marked.

PostgreSQL's ts_headline chooses the fragments; on SQLite we cut a window around the first
match ourselves. Either way the text is HTML-escaped here, and only our own <mark> tags are
added (the index holds plain text, and control characters never reach it, so the markers
ts_headline puts around matches cannot be forged by a post).
"""

from __future__ import annotations

from markupsafe import Markup, escape
from sqlalchemy import func, literal_column, select

from forum.extensions import db
from forum.models import SearchDocument
from forum.search import stems
from forum.search.index import MARK_END, MARK_START

SNIPPET_CHARS = 220
_HEADLINE_OPTIONS = (f'StartSel="{MARK_START}", StopSel="{MARK_END}", MaxWords=25, MinWords=10, '
                     'ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "')


def fill(hits, rows_by_id: dict, terms, tsquery) -> None:
    """Set each hit's snippet from its document (rows_by_id: document id → row with body)."""
    if tsquery is not None and hits:
        headlines = _headlines([h.data["document_id"] for h in hits], tsquery)
    else:
        headlines = {}
    for hit in hits:
        row = rows_by_id[hit.data["document_id"]]
        if hit.data["document_id"] in headlines:
            hit.snippet = marked(headlines[hit.data["document_id"]])
        else:
            hit.snippet = highlight(row.body or row.title or "", terms)


def _headlines(ids: list[int], tsquery) -> dict[int, str]:
    headline = func.ts_headline(literal_column("'russian'::regconfig"), SearchDocument.body,
                                tsquery, _HEADLINE_OPTIONS)
    rows = db.session.execute(select(SearchDocument.id, headline).where(
        SearchDocument.id.in_(ids), SearchDocument.body != ""))
    return {row[0]: row[1] for row in rows}


def marked(text: str) -> Markup:
    """Escape a headline and turn its match markers into <mark> elements."""
    escaped = str(escape(text)).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return Markup(escaped)  # noqa: S704 -- escaped just above; only our <mark> tags added


def highlight(text: str, terms) -> Markup:
    """A window of the text around the first match, matching words marked, all escaped."""
    wanted = set(terms.stems) | {s for phrase in terms.phrases for s in phrase}
    matches = [m for m in stems.WORD.finditer(text) if _matches(m.group().lower(), wanted,
                                                                 terms.prefix)]
    start = 0
    if matches and matches[0].start() > SNIPPET_CHARS // 3:
        start = text.rfind(" ", 0, matches[0].start() - SNIPPET_CHARS // 4) + 1
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    pieces, position = [], start
    for match in matches:
        if match.start() < start or match.end() > end:
            continue
        pieces.append(text[position:match.start()])
        pieces.append(MARK_START + match.group() + MARK_END)
        position = match.end()
    pieces.append(text[position:end])
    snippet = "".join(pieces).replace("\n", " ")
    return marked(("… " if start else "") + snippet + (" …" if end < len(text) else ""))


def _matches(word: str, wanted: set[str], prefix: str | None) -> bool:
    if prefix and word.startswith(prefix):
        return True
    return stems.stem(word) in wanted
