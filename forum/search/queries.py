"""Running a search: one interface over PostgreSQL (tsvector) and SQLite (FTS5 of stems).

search(viewer, "дробями @anna order:latest") parses the query, keeps the kinds that can answer
it, asks each kind for its visibility-and-filters condition, matches the words in the index,
and returns one page of hits with highlighted snippets. Nothing the viewer may not read is
ever counted, ranked or quoted: every condition is applied in the one SQL statement.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time

from flask_babel import gettext as _
from sqlalchemy import and_, func, literal_column, or_, select, text

from forum import permissions
from forum.extensions import db
from forum.models import Category, SearchDocument, User
from forum.search import snippets, stems
from forum.search.kinds import CATEGORY, STATUS, TITLE, Hit, SearchContext, registered_kinds
from forum.search.query_parser import ParsedQuery, parse
from forum.search.schema import FTS, FTS_TABLE, TSV_COLUMN
from forum.text import fold

PER_PAGE = 20
# Above this many matches, an unfiltered search ranks only the newest this many (see _run).
CANDIDATES = 500


@dataclass
class SearchResults:
    query: ParsedQuery
    hits: list[Hit] = field(default_factory=list)
    page: int = 1
    per_page: int = PER_PAGE
    has_more: bool = False

    @property
    def error(self) -> str | None:
        return self.query.error

    @property
    def notes(self) -> list[str]:
        return self.query.notes


@dataclass
class _Terms:
    """The query's words as each backend needs them."""

    stems: list[str]                 # SQLite: the words' stems
    phrases: list[list[str]]         # SQLite: each phrase's stems
    words_text: str = ""             # PostgreSQL: the words as typed (it stems them itself)
    phrase_texts: list[str] = field(default_factory=list)
    prefix: str | None = None        # the last word typed so far (instant suggestions)

    @property
    def empty(self) -> bool:
        return not (self.stems or self.phrases or self.prefix)


def search(viewer, query: str | ParsedQuery, *, page: int = 1, per_page: int = PER_PAGE,
           prefix: bool = False) -> SearchResults:
    """One page of what `viewer` may read that matches `query` (a string or a parsed query).

    prefix=True also matches the last word as the start of a word (search-as-you-type).
    """
    parsed = parse(query) if isinstance(query, str) else query
    results = SearchResults(query=parsed, page=max(1, page), per_page=per_page)
    if parsed.error:
        return results
    terms = _terms(parsed, prefix)
    if terms.empty and not parsed.has_filters:
        parsed.error = _("Only very common words were given; add a more specific word.")
        return results
    if _is_postgresql():
        # The visibility subqueries make the planner's cost estimate big enough for JIT,
        # whose compiling alone takes ~200 ms for a query that runs in a few: not here.
        db.session.execute(text("SET LOCAL jit = off"))
    ctx = SearchContext(query=parsed, viewer=viewer, category_ids=_category_ids(parsed, viewer))
    condition = _conditions(parsed, ctx, terms)
    if condition is None:
        return results
    rows = _run(condition, parsed, terms, results)
    results.has_more = len(rows) > per_page
    rows = rows[:per_page]
    results.hits = _load(rows, viewer)
    headline_query = _tsquery(terms) if _is_postgresql() and not terms.empty else None
    snippets.fill(results.hits, _texts([row.id for row in rows]), terms, headline_query)
    return results


def _terms(parsed: ParsedQuery, prefix: bool) -> _Terms:
    words = list(parsed.words)
    last = None
    # Only a plain word typed last is taken as unfinished (not a phrase or a filter).
    if prefix and words and parsed.text.split()[-1] == words[-1]:
        typed = stems.words(words.pop())
        if typed:
            words.extend(typed[:-1])
            last = typed[-1]
    phrases = [p for p in parsed.phrases if stems.terms(p)]
    return _Terms(stems=stems.terms(" ".join(words)),
                  phrases=[stems.terms(p) for p in phrases],
                  words_text=" ".join(words), phrase_texts=phrases, prefix=last)


def _category_ids(parsed: ParsedQuery, viewer) -> list[int] | None:
    """The readable categories category:/# names (with their subcategories); a slug the
    viewer cannot read is answered exactly like one that does not exist."""
    if not parsed.category_slug:
        return None
    found = list(db.session.scalars(select(Category.id).where(
        permissions.visible_categories(viewer),
        or_(Category.slug == parsed.category_slug,
            Category.parent_id.in_(select(Category.id).where(
                Category.slug == parsed.category_slug))))))
    if not found:
        parsed.notes.append(_("There is no category “%(slug)s”; the filter was ignored.",
                              slug=parsed.category_slug))
        parsed.category_slug = None
        return None
    return found


def _conditions(parsed: ParsedQuery, ctx: SearchContext, terms: _Terms):
    """The WHERE clause, or None when nothing can match (after a note saying why)."""
    needs = {CATEGORY} if ctx.category_ids is not None else set()
    needs |= {STATUS} if parsed.status else set()
    needs |= {TITLE} if parsed.in_title else set()
    kinds = [k for k in registered_kinds().values()
             if (parsed.kind is None or k.name == parsed.kind) and needs <= k.supports]
    if not kinds:
        if parsed.kind == "resource":
            parsed.notes.append(_("The library cannot be searched yet."))
        return None
    per_kind = or_(*(and_(SearchDocument.kind == k.name, k.filter(ctx)) for k in kinds))
    conditions = [per_kind]
    if parsed.username:
        user_id = db.session.scalar(select(User.id).where(
            User.username_lower == fold(parsed.username), User.deleted_at.is_(None)))
        if user_id is None:
            parsed.notes.append(_("There is no member “%(name)s”.", name=parsed.username))
            return None
        conditions.append(SearchDocument.user_id == user_id)
    if parsed.after:
        conditions.append(SearchDocument.created_at >= _midnight(parsed.after))
    if parsed.before:
        conditions.append(SearchDocument.created_at < _midnight(parsed.before))
    return and_(*conditions)


def _midnight(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _run(condition, parsed: ParsedQuery, terms: _Terms, results: SearchResults) -> list:
    # Only ids are ranked and sorted; the page's texts are read afterwards (_texts).
    statement = select(SearchDocument.id, SearchDocument.kind,
                       SearchDocument.ref_id).where(condition)
    rank = None
    if not terms.empty:
        matches = _matches(parsed, terms)
        # A word in a quarter of all posts would have every match ranked on every search:
        # without narrowing filters, only the newest CANDIDATES matches are ranked (a page of
        # the best of them is what anyone reads). Filtered searches rank every match, so a
        # rare author or category is never cut off. Both backends cut the same way.
        if _count(matches) > CANDIDATES and not _narrows(parsed):
            matches = matches.order_by(matches.selected_columns.doc_id.desc()).limit(CANDIDATES)
        found = matches.subquery()
        statement = statement.join(found, found.c.doc_id == SearchDocument.id)
        rank = found.c.score.desc() if _is_postgresql() else found.c.score
    latest = (SearchDocument.created_at.desc(), SearchDocument.id.desc())
    order = latest if parsed.order == "latest" or rank is None else (rank, *latest)
    offset = (results.page - 1) * results.per_page
    return list(db.session.execute(statement.order_by(*order).offset(offset)
                                   .limit(results.per_page + 1)))


def _narrows(parsed: ParsedQuery) -> bool:
    """Filters that may keep few of the matches (in:title does not: it is part of the match)."""
    return bool(parsed.username or parsed.category_slug or parsed.status or parsed.before
                or parsed.after or (parsed.kind and not parsed.in_title))


def _matches(parsed: ParsedQuery, terms: _Terms):
    """SELECT doc_id, score of the documents matching the words (no visibility yet)."""
    if _is_postgresql():
        tsquery = _tsquery(terms)
        tsv = literal_column(f"search_documents.{TSV_COLUMN}")
        matches = select(SearchDocument.id.label("doc_id"),
                         func.ts_rank_cd(tsv, tsquery).label("score")).where(
            tsv.op("@@")(tsquery))
        if parsed.in_title:
            matches = matches.where(func.to_tsvector(
                literal_column("'russian'::regconfig"), SearchDocument.title).op("@@")(tsquery))
        return matches
    return select(FTS.c.rowid.label("doc_id"),
                  func.bm25(literal_column(FTS_TABLE), 5.0, 1.0).label("score")).where(
        literal_column(FTS_TABLE).op("MATCH")(fts_expression(terms, parsed.in_title)))


def _count(matches) -> int:
    """How many documents match, counting no further than CANDIDATES + 1 (cheap)."""
    capped = matches.with_only_columns(matches.selected_columns.doc_id).limit(CANDIDATES + 1)
    return db.session.scalar(select(func.count()).select_from(capped.subquery())) or 0


def fts_expression(terms: _Terms, in_title: bool = False) -> str:
    """An FTS5 MATCH expression of quoted stems: nothing the user typed reaches FTS5's syntax
    (stems are letters and digits only)."""
    parts = [f'"{s}"' for s in terms.stems]
    parts += ['"' + " ".join(p) + '"' for p in terms.phrases]
    if terms.prefix:
        stemmed = stems.stem(terms.prefix)
        alternatives = [f'"{terms.prefix}"*'] + ([f'"{stemmed}"'] if stemmed else [])
        parts.append("(" + " OR ".join(alternatives) + ")")
    expression = " AND ".join(parts)
    return f"title : ({expression})" if in_title else expression


def _tsquery(terms: _Terms):
    """A PostgreSQL tsquery built only by plainto/phraseto_tsquery and a quoted prefix lexeme,
    so no input can be a tsquery syntax error."""
    config = literal_column("'russian'::regconfig")
    parts = []
    if terms.stems:
        parts.append(func.plainto_tsquery(config, terms.words_text))
    for phrase in terms.phrase_texts:
        parts.append(func.phraseto_tsquery(config, phrase))
    if terms.prefix:
        prefix = func.to_tsquery(literal_column("'simple'::regconfig"),
                                 "'" + terms.prefix + "':*")
        stemmed = stems.stem(terms.prefix)
        if stemmed:
            prefix = prefix.op("||")(func.plainto_tsquery(config, terms.prefix))
        parts.append(prefix)
    combined = parts[0]
    for part in parts[1:]:
        combined = combined.op("&&")(part)
    return combined


def _texts(ids: list[int]) -> dict:
    if not ids:
        return {}
    return {row.id: row for row in db.session.execute(select(
        SearchDocument.id, SearchDocument.title, SearchDocument.body).where(
        SearchDocument.id.in_(ids)))}


def _load(rows, viewer) -> list[Hit]:
    by_kind: dict[str, list[int]] = {}
    for row in rows:
        by_kind.setdefault(row.kind, []).append(row.ref_id)
    kinds = registered_kinds()
    loaded = {name: kinds[name].load(ids, viewer) for name, ids in by_kind.items()
              if name in kinds}
    hits = []
    for row in rows:
        hit = loaded.get(row.kind, {}).get(row.ref_id)
        if hit is not None:
            hit.data["document_id"] = row.id
            hits.append(hit)
    return hits


def matching_users(parsed: ParsedQuery, limit: int = 5) -> list[User]:
    """Live members whose username starts with the query's first word (the quick-search
    people list)."""
    if parsed.error or not parsed.words:
        return []
    start = fold(parsed.words[0]).replace("\\", "").replace("%", "").replace("_", "")
    if not start:
        return []
    return list(db.session.scalars(select(User).where(
        User.deleted_at.is_(None), User.username_lower.startswith(start))
        .order_by(User.username_lower).limit(limit)))


def matching_categories(parsed: ParsedQuery, viewer, limit: int = 5) -> list[Category]:
    """Categories the viewer may read whose name or slug contains the query's words (compared
    in Python: SQLite folds the case of Latin letters only)."""
    if parsed.error or not parsed.words:
        return []
    needle = fold(" ".join(parsed.words))
    categories = db.session.scalars(select(Category).where(
        permissions.visible_categories(viewer)).order_by(Category.position, Category.id))
    return [c for c in categories if needle in fold(c.name) or needle in c.slug][:limit]


def _is_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


__all__ = ["search", "SearchResults", "PER_PAGE"]
