"""What Alembic's autogenerate and the schema comparison test leave alone: the full-text
indexes that live outside the models (search's FTS5 table and tsvector column, the library's
stems index). Each owner states its own objects; this is the one filter both tools use."""

from __future__ import annotations


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    from forum.models.library import include_object as library_objects
    from forum.search.schema import include_object as search_objects

    return (search_objects(obj, name, type_, reflected, compare_to)
            and library_objects(obj, name, type_, reflected, compare_to))
