"""The flask commands: each lives beside its domain and calls its services; seed-demo, which
calls every domain, lives here."""

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from .accounts.cli import create_user, purge_expired
from .checkin.cli import create_device_token
from .demo import seed_all
from .feedback.cli import send_surveys
from .issues.cli import make_thumbnails, send_digests
from .notifications.cli import send_mail
from .opendata.cli import open_data
from .scale import already_seeded
from .scale import seed_scale as build_scale_data


@click.command("seed-demo")
@with_appcontext
def seed_demo():
    """Load demo data (idempotent: running it twice adds nothing). Refused in production:
    the demo accounts' password is public."""
    _refuse_in_production("seed-demo")
    for line in seed_all():
        click.echo(line)


def _refuse_in_production(command: str) -> None:
    if current_app.config.get("FORUM_ENV") == "production":
        raise click.ClickException(f"{command} is refused under FORUM_ENV=production: the demo "
                                   "accounts' password is public.")


@click.command("seed-scale")
@click.option("--registrations", default=100_000, show_default=True, type=click.IntRange(0))
@click.option("--issues", default=20_000, show_default=True, type=click.IntRange(0))
@click.option("--checkins", default=200_000, show_default=True, type=click.IntRange(0))
@with_appcontext
def seed_scale(registrations: int, issues: int, checkins: int):
    """Add large realistic data (bulk inserts) on top of the demo data, for benchmarks: one big
    forum with most registrations, events, issues and forum outcomes over 2023-2026. Refused
    in production; runs once (a second run changes nothing)."""
    _refuse_in_production("seed-scale")
    if already_seeded():
        click.echo("scale data is already there: nothing added")
        return
    for line in seed_all():
        click.echo(line)
    for line in build_scale_data(registrations, issues, checkins):
        click.echo(line)


COMMANDS = (create_user, seed_demo, seed_scale, send_mail, create_device_token, send_digests,
            make_thumbnails, send_surveys, purge_expired, open_data)


def register_cli(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)
