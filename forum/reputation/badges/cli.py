"""`flask --app wsgi forum badges …`: sync the badge rows and backfill grants for everyone."""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext

from forum.extensions import db


@click.group("badges")
def badges_cli():
    """Badges: definitions and grants."""


@badges_cli.command("backfill")
@click.option("--quiet-notifications", is_flag=True,
              help="Grant without notifying the members (e.g. on a first install).")
@with_appcontext
def backfill_command(quiet_notifications):
    """Grant every badge already earned; running it again grants nothing new."""
    from forum.reputation.badges.definitions import DEFINITIONS
    from forum.reputation.badges.engine import backfill

    started = time.perf_counter()
    granted: dict[str, int] = {}
    with click.progressbar(length=len(DEFINITIONS), label="Badges",
                           item_show_func=lambda slug: slug or "") as bar:
        def progress(definition, count):
            granted[definition.slug] = count
            bar.update(1, definition.slug)

        backfill(progress=progress, notify_members=not quiet_notifications)
    db.session.commit()
    total = sum(granted.values())
    for slug, count in granted.items():
        if count:
            click.echo(f"  {slug}: {count}")
    click.echo(f"Granted {total} badges in {time.perf_counter() - started:.1f} s.")


@badges_cli.command("sync")
@with_appcontext
def sync_command():
    """Create or update the badge rows from the definitions."""
    from forum.reputation.badges.engine import sync_badges

    badges = sync_badges()
    db.session.commit()
    click.echo(f"{len(badges)} badges in place.")
