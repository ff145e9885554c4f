"""Command-line work at the door: create-device-token."""

import click
from flask.cli import with_appcontext

from ..core.signals import purge_requested
from ..errors import DomainError
from ..events.lookup import event_by_reference
from .devices import create_device
from .services.scan import purge_unknown_scans


@purge_requested.connect
def purge_old_unknown_scans(sender, older_than) -> str:
    return f"purged {purge_unknown_scans(older_than)} scans of unknown codes"


@click.command("create-device-token")
@click.option("--event", "event_ref", required=True, help="The event's id (or slug).")
@click.option("--name", required=True, help="What the device is, e.g. 'Main gate 1'.")
@with_appcontext
def create_device_token(event_ref, name):
    """Create a check-in device for one event and print its token (shown only once)."""
    event = event_by_reference(event_ref)
    if event is None:
        raise click.ClickException(f"No event with id or slug {event_ref!r}.")
    try:
        device, token = create_device(None, event, name)
    except DomainError as error:  # a command answers on the terminal, not on a page
        raise click.ClickException(str(error.message)) from error
    click.echo(f"Device {device.id} ({device.name}) for event {event.id} ({event.slug}); "
               "the token is shown only once:", err=True)
    click.echo(token)
