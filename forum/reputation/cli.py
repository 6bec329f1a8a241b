"""`flask --app wsgi forum reputation …`: rebuild the reputation ledger from its sources."""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext

from forum.extensions import db


@click.group("reputation")
def reputation_cli():
    """Reputation points and the like counters."""


@reputation_cli.command("recompute")
@with_appcontext
def recompute_command():
    """Rebuild every member's reputation (and like counts) from likes, removals, badges and
    seminars; gives the same result as the incremental updates, so running it is always safe."""
    from forum.reputation.recompute import recompute, work_units

    started = time.perf_counter()
    with click.progressbar(length=work_units(), label="Reputation",
                           show_pos=True) as bar:
        result = recompute(advance=bar.update)
    db.session.commit()
    click.echo(f"Reputation: {result.entries} entries ({result.added} added, "
               f"{result.changed} changed, {result.removed} removed); "
               f"{result.members_updated} members updated "
               f"in {time.perf_counter() - started:.1f} s.")
