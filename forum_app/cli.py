"""Flask commands: create-user, seed-demo, send-mail, create-device-token, purge-expired."""

import sys
import time
from datetime import timedelta

import click
from flask import Flask
from sqlalchemy import delete, select

from .accounts.models import LoginSession
from .accounts.services import register_user
from .checkin.devices import create_device
from .database import id_from_text
from .demo import seed_all
from .errors import DomainError
from .events.models import Event
from .extensions import db
from .feedback.invitations import send_due_invitations
from .i18n import utcnow
from .issues.notices import send_daily_digests
from .notifications.services import deliver_pending, mail_configured


def register_cli(app: Flask) -> None:
    @app.cli.command("create-user")
    @click.argument("email")
    @click.option("--role", "roles", multiple=True, help="organiser, moderator, official, admin")
    @click.option("--name", default=None, help="Display name (defaults to the e-mail's name)")
    @click.option("--language", default="mn", type=click.Choice(["mn", "en"]))
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
        except DomainError as error:
            raise click.ClickException(str(error.message)) from error
        roles = ", ".join(sorted(user.roles))
        click.echo(f"Created user {user.id} <{user.email}> with roles {roles}")

    @app.cli.command("seed-demo")
    def seed_demo():
        """Load demo data (idempotent: running it twice adds nothing)."""
        for line in seed_all():
            click.echo(line)

    @app.cli.command("send-mail")
    @click.option("--loop", is_flag=True, help="Keep running, polling the outbox.")
    @click.option("--interval", default=5.0, help="Seconds between polls with --loop.")
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

    @app.cli.command("create-device-token")
    @click.option("--event", "event_ref", required=True, help="The event's id (or slug).")
    @click.option("--name", required=True, help="What the device is, e.g. 'Main gate 1'.")
    def create_device_token(event_ref, name):
        """Create a check-in device for one event and print its token (shown only once)."""
        event_id = id_from_text(event_ref)
        event = db.session.get(Event, event_id) if event_id else None
        event = event or db.session.scalar(select(Event).where(Event.slug == event_ref))
        if event is None:
            raise click.ClickException(f"No event with id or slug {event_ref!r}.")
        try:
            device, token = create_device(None, event, name)
        except DomainError as error:
            raise click.ClickException(str(error.message)) from error
        click.echo(f"Device {device.id} ({device.name}) for event {event.id} ({event.slug}); "
                   "the token is shown only once:", err=True)
        click.echo(token)

    @app.cli.command("send-digests")
    def send_digests():
        """Queue the daily digest e-mail for everyone who chose it (run once a day)."""
        click.echo(f"queued {send_daily_digests()} digest e-mails (delivered by send-mail)")

    @app.cli.command("send-surveys")
    def send_surveys():
        """E-mail the survey link to checked-in attendees of events that have ended (once)."""
        sent = send_due_invitations()
        for slug, count in sent.items():
            click.echo(f"{slug}: {count} survey links queued")
        click.echo(f"surveys: {len(sent)}, links queued: {sum(sent.values())}")

    @app.cli.command("purge-expired")
    @click.option("--days", default=30, help="Keep revoked login sessions this many days.")
    def purge_expired(days):
        """Delete revoked login sessions older than --days."""
        cutoff = utcnow() - timedelta(days=days)
        result = db.session.execute(delete(LoginSession).where(LoginSession.revoked_at < cutoff))
        db.session.commit()
        click.echo(f"purged {result.rowcount} login sessions")
