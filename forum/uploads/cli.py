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
              help="Keep unreferenced uploads and stray stored files younger than this "
                   "(default UPLOAD_ORPHAN_GRACE_HOURS, 48; stored files are always kept "
                   "for an hour).")
@with_appcontext
def clean_command(grace_hours):
    """Remove uploads no post references any more (never one a live or soft-deleted post
    shows), the stored files no remaining upload uses, and stray stored files (kept by no
    upload, or left by an interrupted write) older than the grace period."""
    from forum.uploads.cleanup import forget_unused_bytes, remove_orphans, remove_stray_files

    if grace_hours is None:
        grace_hours = current_app.config["UPLOAD_ORPHAN_GRACE_HOURS"]
    result = remove_orphans(grace_hours=grace_hours)
    db.session.commit()
    forget_unused_bytes(result)
    remove_stray_files(result, grace_hours=grace_hours)
    click.echo(f"Uploads: {result.removed} orphaned uploads removed, "
               f"{result.deleted_files} stored files deleted, "
               f"{result.stray_files} stray stored files removed.")
