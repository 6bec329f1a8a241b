"""Writing the index: upsert or remove one document, in the caller's transaction.

A kind's receivers call these when an item is written; `forum search reindex` calls them in
batches. They flush but never commit, like every service.
"""

from __future__ import annotations

import html
import re
from datetime import datetime

from sqlalchemy import bindparam, delete, insert, select, update

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


def upsert_documents(kind: str, documents: list[dict]) -> None:
    """Store many documents of one kind at once (for reindexing): each dict has ref_id and
    upsert_document's keyword arguments. A few statements per batch, not per document."""
    if not documents:
        return
    now = utcnow()
    rows = [{"ref_id": d["ref_id"], "title": clean(d.get("title")), "body": clean(d.get("body")),
             "user_id": d.get("user_id"), "created_at": d.get("created_at") or now,
             "indexed_at": now} for d in documents]
    existing = dict(db.session.execute(select(SearchDocument.ref_id, SearchDocument.id).where(
        SearchDocument.kind == kind, SearchDocument.ref_id.in_([r["ref_id"] for r in rows]))).all())
    old = [dict(r, doc_id=existing[r["ref_id"]]) for r in rows if r["ref_id"] in existing]
    new = [dict(r, kind=kind) for r in rows if r["ref_id"] not in existing]
    if old:
        db.session.execute(
            update(SearchDocument.__table__).where(SearchDocument.__table__.c.id
                                                   == bindparam("doc_id"))
            .values(title=bindparam("title"), body=bindparam("body"),
                    user_id=bindparam("user_id"), created_at=bindparam("created_at"),
                    indexed_at=bindparam("indexed_at")), old)
    if new:
        ids = db.session.execute(insert(SearchDocument.__table__).returning(
            SearchDocument.__table__.c.id, SearchDocument.__table__.c.ref_id,
            sort_by_parameter_order=True), new).all()
        for row, (doc_id, _ref) in zip(new, ids, strict=True):
            row["doc_id"] = doc_id
    if _is_sqlite():
        everything = old + new
        db.session.execute(delete(FTS).where(FTS.c.rowid.in_([r["doc_id"] for r in everything])))
        db.session.execute(insert(FTS), [{"rowid": r["doc_id"], "title": stems.analysed(r["title"]),
                                          "body": stems.analysed(r["body"])} for r in everything])


def remove_stale(kind: str, before: datetime) -> int:
    """Remove the kind's documents not rewritten since `before` (their items are gone):
    what a full reindex does last. Returns how many went."""
    stale = select(SearchDocument.id).where(SearchDocument.kind == kind,
                                            SearchDocument.indexed_at < before)
    ids = list(db.session.scalars(stale))
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        if _is_sqlite():
            db.session.execute(delete(FTS).where(FTS.c.rowid.in_(chunk)))
        db.session.execute(delete(SearchDocument).where(SearchDocument.id.in_(chunk)),
                           execution_options={"synchronize_session": False})
    _forget(lambda document: document.id in set(ids))
    return len(ids)


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
