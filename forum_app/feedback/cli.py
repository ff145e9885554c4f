"""Command-line work on surveys: send-surveys."""

import click
from flask.cli import with_appcontext

from .invitations import send_due_invitations


@click.command("send-surveys")
@with_appcontext
def send_surveys():
    """E-mail the survey link to checked-in attendees of events that have ended (once)."""
    sent = send_due_invitations()
    for slug, count in sent.items():
        click.echo(f"{slug}: {count} survey links queued")
    click.echo(f"surveys: {len(sent)}, links queued: {sum(sent.values())}")
