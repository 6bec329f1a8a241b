"""Library full-text search: Russian and English Snowball stems stored per resource, matched
through a GIN full-text index on PostgreSQL and with LIKE on SQLite, with the same results.

Behind one function, `matching_resource_ids(query)`, so the site-wide search engine can take
over without touching the pages: "дробями" and "дроби" share the stem "дроб", "lessons" and
"lesson" the stem "lesson". A query matches whole stems.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer
from sqlalchemy import Select, and_, func, literal_column, select

from forum.extensions import db
from forum.models import Resource

MAX_STEMS_CHARS = 60_000  # the stems column: unique stems only, so this covers long texts
MAX_QUERY_TERMS = 8
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_CYRILLIC = re.compile(r"[а-яё]")


@lru_cache(maxsize=2)
def _stemmer(language: str):
    return snowballstemmer.stemmer(language)


def stem(word: str) -> str:
    """The word's stem: Russian Snowball for Cyrillic words, English for the rest."""
    word = word.lower().replace("ё", "е")
    language = "russian" if _CYRILLIC.search(word) else "english"
    return _stemmer(language).stemWord(word)


def stems_of(text: str) -> list[str]:
    """The stems of the text's words, in order of first appearance, without repeats."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(text or ""):
        if len(word) > 1 or word.isdigit():
            seen.setdefault(stem(word[:60]), None)
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
    """Recompute the stored stems from the resource's current metadata and text."""
    resource.search_stems = index_text(resource.title, resource.description,
                                       " ".join(resource.tag_list), resource.extracted_text)
