"""Command-line work on issues: send-digests."""

import click
from flask.cli import with_appcontext

from .notices import send_daily_digests


@click.command("send-digests")
@with_appcontext
def send_digests():
    """Queue the daily digest e-mail for everyone who chose it (run once a day)."""
    click.echo(f"queued {send_daily_digests()} digest e-mails (delivered by send-mail)")
