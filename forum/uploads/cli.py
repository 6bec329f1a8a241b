"""`flask --app wsgi forum uploads …`: housekeeping of attachments."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from forum.extensions import db


@click.group("uploads")
def uploads_cli():
    """Attachments."""


@uploads_cli.command("clean")
@click.option("--grace-hours", type=click.FloatRange(min=0), default=None,
              help="Keep unreferenced uploads younger than this (default "
                   "UPLOAD_ORPHAN_GRACE_HOURS, 48).")
@with_appcontext
def clean_command(grace_hours):
    """Remove uploads no post references any more (never one a live or soft-deleted post
    shows), and the stored files no remaining upload uses."""
    from forum.uploads.cleanup import forget_unused_bytes, remove_orphans

    if grace_hours is None:
        grace_hours = current_app.config["UPLOAD_ORPHAN_GRACE_HOURS"]
    result = remove_orphans(grace_hours=grace_hours)
    db.session.commit()
    forget_unused_bytes(result)
    click.echo(f"Uploads: {result.removed} orphaned uploads removed, "
               f"{result.deleted_files} stored files deleted.")
