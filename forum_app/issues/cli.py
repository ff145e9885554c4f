"""Command-line work on issues: send-digests, make-thumbnails."""

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from ..extensions import db
from .models import IssuePhoto
from .notices import send_daily_digests
from .photos import ensure_thumbnail


@click.command("send-digests")
@with_appcontext
def send_digests():
    """Queue the daily digest e-mail for everyone who chose it (run once a day)."""
    click.echo(f"queued {send_daily_digests()} digest e-mails (delivered by send-mail)")


@click.command("make-thumbnails")
@with_appcontext
def make_thumbnails():
    """Make the list thumbnail of every issue photo that has none yet (photos stored before
    thumbnails existed; the issue list would otherwise make each on its first request)."""
    made = missing = 0
    for filename in db.session.scalars(select(IssuePhoto.filename).order_by(IssuePhoto.id)):
        if ensure_thumbnail(filename) is None:
            missing += 1
        else:
            made += 1
    click.echo(f"{made} photos have a thumbnail; {missing} photo files are missing or unreadable")
