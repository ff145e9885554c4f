"""Loading an event, or one of its rows, for a view: 404 when there is none or the person may
not see it, 403 when the person may not manage it."""

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from ..database import id_from_text
from ..extensions import db
from .models import Event
from .services import can_manage, can_view


def event_by_reference(reference: str) -> Event | None:
    """The event of an id or a slug, as typed on the command line."""
    event_id = id_from_text(reference)
    event = db.session.get(Event, event_id) if event_id else None
    return event or db.session.scalar(select(Event).where(Event.slug == reference))


def event_or_404(slug: str) -> Event:
    return db.session.scalar(select(Event).where(Event.slug == slug)) or abort(404)


def visible_event(slug: str) -> Event:
    event = event_or_404(slug)
    if not can_view(current_user, event):
        abort(404)
    return event


def managed_event(slug: str) -> Event:
    event = event_or_404(slug)
    if not can_manage(current_user, event):
        abort(403)
    return event


def child_or_404(model, row_id: int, parent, key: str = "event_id"):
    """The `model` row `row_id` if it belongs to `parent` (an event, or a survey with
    key="survey_id"); a row of another event is as unknown as a missing one."""
    row = db.session.get(model, row_id)
    if row is None or getattr(row, key) != parent.id:
        abort(404)
    return row
