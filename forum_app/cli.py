"""The flask commands: each lives beside its domain and calls its services; seed-demo, which
calls every domain, lives here."""

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from .accounts.cli import create_user, purge_expired
from .checkin.cli import create_device_token
from .demo import seed_all
from .feedback.cli import send_surveys
from .issues.cli import send_digests
from .notifications.cli import send_mail


@click.command("seed-demo")
@with_appcontext
def seed_demo():
    """Load demo data (idempotent: running it twice adds nothing). Refused in production:
    the demo accounts' password is public."""
    if current_app.config.get("FORUM_ENV") == "production":
        raise click.ClickException("seed-demo is refused under FORUM_ENV=production: the demo "
                                   "accounts' password is public.")
    for line in seed_all():
        click.echo(line)


COMMANDS = (create_user, seed_demo, send_mail, create_device_token, send_digests, send_surveys,
            purge_expired)


def register_cli(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)
