"""Command-line work on accounts: create-user, purge-expired."""

import sys
from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext

from ..core.signals import purge_requested
from ..errors import DomainError
from .services import purge_revoked_sessions, register_user


@click.command("create-user")
@click.argument("email")
@click.option("--role", "roles", multiple=True, help="organiser, moderator, official, admin")
@click.option("--name", default=None, help="Display name (defaults to the e-mail's name)")
@click.option("--language", default="mn", type=click.Choice(["mn", "en"]))
@with_appcontext
def create_user(email, roles, name, language):
    """Create a verified user; the password is read from a prompt or stdin."""
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    try:
        user = register_user(email=email, password=password, name=name or email.split("@")[0],
                             language=language, roles=tuple(roles), verified=True,
                             send_verification=False)
    except DomainError as error:  # a command answers on the terminal, not on a page
        raise click.ClickException(str(error.message)) from error
    roles = ", ".join(sorted(user.roles))
    click.echo(f"Created user {user.id} <{user.email}> with roles {roles}")


@click.command("purge-expired")
@click.option("--days", default=30, help="Keep revoked login sessions (and what other "
              "packages purge: unknown-code scans) this many days.")
@with_appcontext
def purge_expired(days):
    """Delete revoked login sessions older than --days, and what the packages above purge."""
    older_than = timedelta(days=days)
    click.echo(f"purged {purge_revoked_sessions(older_than)} login sessions")
    for _receiver, line in purge_requested.send(current_app._get_current_object(),
                                                older_than=older_than):
        click.echo(line)
