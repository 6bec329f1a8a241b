"""Library full-text search: Russian and English Snowball stems stored per resource, matched
through a GIN full-text index on PostgreSQL and with LIKE on SQLite, with the same results.

The library page's own filter, `matching_resource_ids(query)`, uses the site search's stemmer:
"дробями" and "дроби" share the stem "дроб", "lessons" and "lesson" the stem "lesson"; a query
matches whole stems. `reindex` also writes the material's document in the site-wide search
(forum.library.search_kind), where `in:library` finds it.
"""

from __future__ import annotations

from sqlalchemy import Select, and_, func, literal_column, select

from forum.extensions import db
from forum.models import Resource
from forum.search.stems import stem, words

MAX_STEMS_CHARS = 60_000  # the stems column: unique stems only, so this covers long texts
MAX_QUERY_TERMS = 8


def stems_of(text: str) -> list[str]:
    """The stems of the text's words (the site search's stemmer, stop words left out), in
    order of first appearance, without repeats."""
    seen: dict[str, None] = {}
    for word in words(text):
        if len(word) > 1 or word.isdigit():
            term = stem(word[:60].replace("ё", "е"))
            if term:
                seen.setdefault(term, None)
    return list(seen)


def index_text(*texts: str) -> str:
    """The value stored in Resource.search_stems: " stem stem … " (spaces at both ends so a
    LIKE can match each stem as a whole word)."""
    joined, size = [], 0
    for value in stems_of("\n".join(texts)):
        size += len(value) + 1
        if size > MAX_STEMS_CHARS:
            break
        joined.append(value)
    return f" {' '.join(joined)} " if joined else ""


def query_stems(query: str) -> list[str]:
    return stems_of(query)[:MAX_QUERY_TERMS]


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def matching_resource_ids(query: str) -> Select:
    """Ids of the resources whose title, description, tags or text hold every word of the
    query (compared by stem); no words: nothing matches. Visibility is the caller's.

    PostgreSQL answers from the GIN index on to_tsvector('simple', stems), whose statistics
    keep its plans right however common a word is; SQLite scans the stems with LIKE " дроб ".
    Both match the same resources."""
    terms = query_stems(query)
    if not terms:
        return select(Resource.id).where(False)
    if db.session.get_bind().dialect.name == "postgresql":
        document = func.to_tsvector(literal_column("'simple'"), Resource.search_stems)
        wanted = " & ".join(_tsquery_word(term) for term in terms)
        tsquery = func.to_tsquery(literal_column("'simple'"), wanted)
        return select(Resource.id).where(document.bool_op("@@")(tsquery))
    conditions = [Resource.search_stems.like(f"% {_escape_like(term)} %", escape="\\")
                  for term in terms]
    return select(Resource.id).where(and_(*conditions))


def _tsquery_word(term: str) -> str:
    # Stems hold letters and digits only (the word pattern), but quote them all the same.
    return "'" + term.replace("'", "''").replace("\\", "") + "'"


def reindex(resource: Resource) -> None:
    """Recompute the stored stems from the resource's current metadata and text, and its
    document in the site-wide search (`in:library`)."""
    from forum.library.search_kind import index_resource

    resource.search_stems = index_text(resource.title, resource.description,
                                       " ".join(resource.tag_list), resource.extracted_text)
    index_resource(resource)
