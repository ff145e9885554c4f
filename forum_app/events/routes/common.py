"""Loading an event for a view, with the access rule applied."""

from flask import abort, url_for
from flask_login import current_user
from sqlalchemy import select

from ...core.forms import form_error, form_status  # noqa: F401 - shared by the routes
from ...extensions import db
from ..models import Event
from ..services import can_manage, can_view


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




def register_url(event: Event) -> str:
    return url_for("registration.register", slug=event.slug)
