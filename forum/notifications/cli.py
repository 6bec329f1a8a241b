"""`flask --app wsgi forum notifications …` and `… forum digest send`: the cron jobs."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from forum.extensions import db


def _in_request_context(work):
    """Mails build links with url_for: give them a request context on the site's address."""
    with current_app.test_request_context(base_url=current_app.config["SITE_URL"]):
        result = work()
        db.session.commit()
        return result


@click.group("notifications")
def notifications_cli():
    """Notification jobs (run them from cron)."""


@notifications_cli.command("send-due")
@with_appcontext
def send_due():
    """Turn bookmarks whose reminder time has come into notifications (e.g. every minute)."""
    from forum.following.bookmarks import send_due_reminders

    sent = _in_request_context(send_due_reminders)
    click.echo(f"Bookmark reminders sent: {sent}")


@notifications_cli.command("email")
@with_appcontext
def email():
    """Queue mail about notifications members have not seen within their delay (e.g. every 5
    minutes); `forum mail work` sends it."""
    from forum.notifications.emails import send_notification_emails

    sent = _in_request_context(send_notification_emails)
    click.echo(f"Notification e-mails queued: {sent}")


@click.group("digest")
def digest_cli():
    """Summary e-mails."""


@digest_cli.command("send")
@with_appcontext
def send_digest():
    """Queue the daily and weekly summaries that are due (e.g. hourly)."""
    from forum.notifications.digest import send_digests

    sent = _in_request_context(send_digests)
    click.echo(f"Summaries queued: {sent}")
