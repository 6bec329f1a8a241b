"""The full-text index beside search_documents, per database, created with the table.

PostgreSQL keeps a generated tsvector column (title weighted A, body B, the `russian`
configuration, which stems Latin words with the English stemmer) under a GIN index, so the
database maintains it in the same statement as the row. SQLite keeps an FTS5 table of
stems written by forum.search.index in the same transaction as the row.

The migration (7a0000000001) runs the same statements; tests build the schema with
create_all(), which fires the DDL events below.
"""

from __future__ import annotations

from sqlalchemy import DDL, column, event, table

from forum.models import SearchDocument

FTS_TABLE = "search_fts"
TSV_COLUMN = "tsv"
TSV_INDEX = "ix_search_documents_tsv"
# in:title matches to_tsvector('russian', title) through its own (small) GIN index.
TITLE_INDEX = "ix_search_documents_title_tsv"
# The SQLite FTS5 table as SQL expressions see it (rowid = search_documents.id).
FTS = table(FTS_TABLE, column("rowid"), column("title"), column("body"))

POSTGRESQL_CREATE = (
    f"ALTER TABLE search_documents ADD COLUMN {TSV_COLUMN} tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('russian', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('russian', coalesce(body, '')), 'B')) STORED",
    f"CREATE INDEX {TSV_INDEX} ON search_documents USING gin ({TSV_COLUMN})",
    f"CREATE INDEX {TITLE_INDEX} ON search_documents USING gin "
    "(to_tsvector('russian'::regconfig, title))",
)
# remove_diacritics 0: й and ё are letters of their own in Russian, not и and е with marks.
SQLITE_CREATE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "title, body, tokenize = 'unicode61 remove_diacritics 0')",
)
SQLITE_DROP = (f"DROP TABLE IF EXISTS {FTS_TABLE}",)

_table = SearchDocument.__table__
for _statement in POSTGRESQL_CREATE:
    event.listen(_table, "after_create", DDL(_statement).execute_if(dialect="postgresql"))
for _statement in SQLITE_CREATE:
    event.listen(_table, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in SQLITE_DROP:
    event.listen(_table, "before_drop", DDL(_statement).execute_if(dialect="sqlite"))


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's filter: the full-text index lives outside the models, so autogenerate and the
    schema comparison leave it alone (instead of proposing to drop it)."""
    if type_ == "table" and name and name.startswith(FTS_TABLE):
        return False
    if type_ == "column" and name == TSV_COLUMN and getattr(obj, "table", None) is not None \
            and obj.table.name == "search_documents":
        return False
    return not (type_ == "index" and name in (TSV_INDEX, TITLE_INDEX))
