"""`flask --app wsgi forum …`: administration from the command line, over the same services."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from forum.accounts import services as accounts
from forum.bootstrap import ensure_base_data
from forum.errors import DomainError
from forum.extensions import db
from forum.models import ROLES, User
from forum.text import fold


@click.group("forum")
def forum_cli():
    """Kafedra administration."""


@forum_cli.command("init")
@with_appcontext
def init_base_data():
    """Create the base data a new installation needs (run after `flask db upgrade`)."""
    ensure_base_data()
    db.session.commit()
    click.echo("Base data is in place.")


@forum_cli.group("user")
def user_cli():
    """Manage accounts."""


@user_cli.command("create")
@click.argument("username")
@click.option("--email", required=True)
@click.option("--password", required=True)
@click.option("--role", type=click.Choice(ROLES), default="member", show_default=True)
@click.option("--name", default="")
@with_appcontext
def create_user(username, email, password, role, name):
    """Create an account (admins, moderators and members alike)."""
    ensure_base_data()
    try:
        user = accounts.register(username=username, email=email, password=password,
                                 name=name, role=role)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(f"Created {role} {user.username} (id {user.id})")


@forum_cli.group("api-key")
def api_key_cli():
    """Manage Discourse-style API keys."""


@api_key_cli.command("create")
@click.option("--user", "username", help="The user the key acts as (omit for an all-users key).")
@click.option("--description", default="created from the command line")
@with_appcontext
def create_api_key(username, description):
    """Create an API key; the key itself is printed as the last line, once."""
    user = None
    if username:
        user = db.session.scalar(select(User).where(User.username_lower == fold(username)))
        if user is None or not user.is_active:
            raise click.ClickException(f"No such user: {username}")
    key = accounts.create_api_key(actor=None, user=user, description=description)
    db.session.commit()
    click.echo(f"API key for {user.username if user else 'all users'}:")
    click.echo(key)


@forum_cli.command("demo")
@click.option("--if-empty", is_flag=True, help="Only when the database has no users yet.")
@with_appcontext
def load_demo(if_empty):
    """Load the Russian demo community."""
    from forum.demo.loader import load_demo_community

    ensure_base_data()
    db.session.commit()
    if if_empty and db.session.scalar(select(User.id).limit(1)) is not None:
        click.echo("The database already has data; demo not loaded.")
        return
    summary = load_demo_community()
    db.session.commit()
    click.echo(summary)


@forum_cli.command("seed-bench")
@click.option("--posts", default=100_000, show_default=True)
@click.option("--topics", default=2_000, show_default=True)
@with_appcontext
def seed_bench(posts, topics):
    """Build a large realistic dataset for benchmarks."""
    from forum.demo.bench import seed_benchmark_data

    seed_benchmark_data(posts=posts, topics=topics, echo=click.echo)


# Capabilities' own command groups (they import only what their commands need).
from forum.reputation.cli import reputation_cli  # noqa: E402
from forum.reputation.trust_cli import trust_levels_cli  # noqa: E402
from forum.search.cli import search_cli  # noqa: E402

forum_cli.add_command(reputation_cli)
forum_cli.add_command(trust_levels_cli)
forum_cli.add_command(search_cli)
def _add_capability_commands() -> None:
    from forum.mailqueue.cli import mail_cli
    from forum.notifications.cli import digest_cli, notifications_cli
    from forum.reputation.badges.cli import badges_cli
    from forum.uploads.cli import uploads_cli

    forum_cli.add_command(badges_cli)
    forum_cli.add_command(uploads_cli)
    forum_cli.add_command(notifications_cli)
    forum_cli.add_command(digest_cli)
    forum_cli.add_command(mail_cli)


_add_capability_commands()
