"""`flask --app wsgi forum mail work [--once] [--batch N]` and `… forum mail status`."""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext

from forum.extensions import db


@click.group("mail")
def mail_cli():
    """The outgoing mail queue."""


@mail_cli.command("work")
@click.option("--once", is_flag=True, help="Send what is due now, then exit (for cron).")
@click.option("--batch", default=50, show_default=True, type=click.IntRange(1, 1000),
              help="Jobs claimed at a time.")
@click.option("--sleep", default=5.0, show_default=True, type=click.FloatRange(0.1, 600),
              help="Seconds to wait when the queue is empty.")
@with_appcontext
def work(once: bool, batch: int, sleep: float):
    """Send queued mail; without --once, keep running (systemd service)."""
    from forum.mailqueue.worker import run_once

    while True:
        result = run_once(batch)
        db.session.remove()
        if result.handled:
            click.echo(f"Mail sent: {result.sent}, to retry: {result.retried}, "
                       f"failed: {result.failed}")
        if once:
            if result.handled < batch:
                return
            continue
        if result.handled < batch:
            time.sleep(sleep)


@mail_cli.command("status")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@with_appcontext
def status(limit: int):
    """How many jobs are in each state, and the failed ones with their last error."""
    from forum.mailqueue.services import counts_by_state, failed_jobs
    from forum.models.mail import MAIL_STATES

    counts = counts_by_state()
    click.echo(", ".join(f"{state}: {counts.get(state, 0)}" for state in MAIL_STATES))
    for job in failed_jobs(limit):
        click.echo(f"failed #{job.id} to {job.recipient} after {job.attempts} attempts "
                   f"({job.created_at:%Y-%m-%d %H:%M}): {job.subject} — {job.last_error}")
