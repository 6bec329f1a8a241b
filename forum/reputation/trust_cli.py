"""`flask --app wsgi forum trust-levels update`: review every member's trust level."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from forum.extensions import db
from forum.models import User
from forum.reputation import trust

BATCH = 500  # commit every so many members: a long run keeps its progress and its locks short


@click.group("trust-levels")
def trust_levels_cli():
    """Trust levels."""


@trust_levels_cli.command("update")
@with_appcontext
def update_trust_levels():
    """Promote and demote members as their activity says (TL3 window and grace included)."""
    ids = trust.members_to_review()
    changed = 0
    with click.progressbar(ids, label="Reviewing trust levels", show_pos=True) as bar:
        for n, user_id in enumerate(bar, start=1):
            user = db.session.get(User, user_id)
            if user is not None and trust.review(user) is not None:
                changed += 1
            if n % BATCH == 0:
                db.session.commit()
    db.session.commit()
    click.echo(f"Reviewed {len(ids)} members; {changed} changed level.")
