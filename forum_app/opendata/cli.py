"""`flask open-data build`: build the open data files now (from cron, or after a deploy, so
that no visitor waits for the first build)."""

import click
from flask.cli import AppGroup

from .files import build_now

open_data = AppGroup("open-data", help="The open data files (/open-data).")


@open_data.command("build")
def build():
    """Build every open data file (and its compressed copies) from the record as it is now."""
    built = build_now()
    for entry in built.files.values():
        click.echo(f"{entry.name}: {entry.size} bytes, gzip {entry.encoded.get('gzip')}, "
                   f"br {entry.encoded.get('br')}")
    click.echo(f"open data built at {built.built_at.isoformat()} in {built.folder}")
