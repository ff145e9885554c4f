"""Command-line work on the outbox: send-mail."""

import time

import click
from flask.cli import with_appcontext

from ..extensions import db
from .services import deliver_pending, mail_configured


@click.command("send-mail")
@click.option("--loop", is_flag=True, help="Keep running, polling the outbox.")
@click.option("--interval", default=5.0, help="Seconds between polls with --loop.")
@with_appcontext
def send_mail(loop, interval):
    """Deliver queued e-mail from the outbox through SMTP."""
    if not mail_configured():
        raise click.ClickException("MAIL_SERVER is not set: messages stay in the outbox.")
    while True:
        counts = deliver_pending()
        if counts["sent"] or counts["failed"] or not loop:
            click.echo(f"sent {counts['sent']}, failed {counts['failed']}")
        if not loop:
            return
        db.session.remove()
        time.sleep(interval)
