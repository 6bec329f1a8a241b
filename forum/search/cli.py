"""`flask --app wsgi forum search reindex`: rebuild the search index from the content."""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext

from forum.extensions import db


@click.group("search")
def search_cli():
    """The full-text search index."""


@search_cli.command("reindex")
@click.option("--kind", "kinds", multiple=True, help="Only this kind (post, chat, …); repeatable.")
@click.option("--batch-size", default=1000, show_default=True)
@with_appcontext
def reindex_command(kinds, batch_size):
    """Rewrite every document in batches (a commit after each, so searching goes on meanwhile),
    then drop documents whose items are gone; the result equals the live indexing's."""
    from forum.models import utcnow
    from forum.search import registered_kinds
    from forum.search.index import remove_stale

    available = registered_kinds()
    unknown = [k for k in kinds if k not in available]
    if unknown:
        raise click.BadParameter(f"unknown kind {unknown[0]!r}; known: {', '.join(available)}",
                                 param_hint="--kind")
    for kind in [available[k] for k in (kinds or available)]:
        if kind.reindex is None:
            continue
        started, clock = utcnow(), time.perf_counter()
        total = kind.count() if kind.count else 0
        with click.progressbar(length=total, label=f"Indexing {kind.name}", show_pos=True) as bar:
            for done in kind.reindex(max(1, batch_size)):
                db.session.commit()
                bar.update(done)
        removed = remove_stale(kind.name, started)
        db.session.commit()
        click.echo(f"{kind.name}: {total} indexed, {removed} stale removed "
                   f"in {time.perf_counter() - clock:.1f} s.")
    optimise_index()


def optimise_index() -> None:
    """After a bulk rewrite: fresh planner statistics (PostgreSQL), or FTS5's segments merged
    into one (SQLite), so the next searches are fast at once."""
    from sqlalchemy import text

    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE search_documents")
    else:
        db.session.execute(text("INSERT INTO search_fts (search_fts) VALUES ('optimize')"))
        db.session.commit()
