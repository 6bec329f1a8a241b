"""Writing the index: upsert or remove one document, in the caller's transaction.

A kind's receivers call these when an item is written; `forum search reindex` calls them in
batches. They flush but never commit, like every service.
"""

from __future__ import annotations

import html
import re
from datetime import datetime

from sqlalchemy import delete, insert, select

from forum.extensions import db
from forum.models import SearchDocument, utcnow
from forum.search import stems
from forum.search.schema import FTS

# Snippets mark matches with these two characters; stored text never contains them.
MARK_START, MARK_END = "\x02", "\x03"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_TAG = re.compile(r"<[^>]*>")
_BLOCK_END = re.compile(r"</(p|div|li|h[1-6]|blockquote|pre|tr|td|th)>|<br\s*/?>", re.I)
_SPACES = re.compile(r"[ \t]+")


def plain_text(cooked_html: str) -> str:
    """The readable text of cooked HTML: tags out, entities decoded, one line per block."""
    textual = _BLOCK_END.sub("\n", cooked_html or "")
    textual = html.unescape(_TAG.sub(" ", textual))
    return clean(textual)


def clean(value: str | None) -> str:
    """Text safe to store: no control characters (the snippet markers among them)."""
    lines = (_SPACES.sub(" ", line).strip() for line in _CONTROL.sub(" ", value or "")
             .splitlines())
    return "\n".join(line for line in lines if line)


def upsert_document(kind: str, ref_id: int, *, title: str = "", body: str = "",
                    user_id: int | None = None, created_at: datetime | None = None) -> None:
    """Store (or replace) the document of one item. `body` is plain text, never HTML."""
    title, body = clean(title), clean(body)
    document = db.session.scalar(select(SearchDocument).where(
        SearchDocument.kind == kind, SearchDocument.ref_id == ref_id))
    if document is None:
        document = SearchDocument(kind=kind, ref_id=ref_id)
        db.session.add(document)
    document.title, document.body, document.user_id = title, body, user_id
    document.created_at = created_at or document.created_at or utcnow()
    document.indexed_at = utcnow()
    db.session.flush()
    if _is_sqlite():
        _write_fts(document.id, title, body)


def remove_document(kind: str, ref_id: int) -> None:
    """Take one item's document out of the index (nothing happens when there is none)."""
    ids = list(db.session.scalars(select(SearchDocument.id).where(
        SearchDocument.kind == kind, SearchDocument.ref_id == ref_id)))
    if not ids:
        return
    if _is_sqlite():
        db.session.execute(delete(FTS).where(FTS.c.rowid.in_(ids)))
    db.session.execute(delete(SearchDocument).where(SearchDocument.id.in_(ids)),
                       execution_options={"synchronize_session": False})
    _forget(lambda document: document.id in ids)


def remove_kind(kind: str) -> None:
    """Empty the index of one kind (a full reindex starts with this)."""
    if _is_sqlite():
        db.session.execute(delete(FTS).where(FTS.c.rowid.in_(
            select(SearchDocument.id).where(SearchDocument.kind == kind))))
    db.session.execute(delete(SearchDocument).where(SearchDocument.kind == kind),
                       execution_options={"synchronize_session": False})
    _forget(lambda document: document.kind == kind)


def _forget(gone) -> None:
    """Drop deleted documents from the session (a bulk DELETE leaves them there)."""
    for obj in [o for o in db.session.identity_map.values()
                if isinstance(o, SearchDocument) and gone(o)]:
        db.session.expunge(obj)


def _write_fts(doc_id: int, title: str, body: str) -> None:
    db.session.execute(delete(FTS).where(FTS.c.rowid == doc_id))
    db.session.execute(insert(FTS).values(rowid=doc_id, title=stems.analysed(title),
                                          body=stems.analysed(body)))


def _is_sqlite() -> bool:
    return db.session.get_bind().dialect.name == "sqlite"
