"""Loading an event and its survey for a view, with the access rule applied."""

from flask import abort
from flask_login import current_user

from ...core.forms import form_error, form_status  # noqa: F401 - shared by the routes
from ...events.lookup import event_or_404
from ...events.models import Event, EventState
from ...security import PRIVATE  # noqa: F401 - shared by the routes
from .. import services
from ..models import Survey


def edited_event(slug: str) -> Event:
    event = event_or_404(slug)
    if not services.can_edit_survey(current_user, event):
        abort(403)
    return event


def public_survey(slug: str) -> Survey:
    """The survey of a published event: what the room QR and the start page are about."""
    event = event_or_404(slug)
    survey = services.survey_of(event)
    if survey is None or event.state == EventState.DRAFT or not survey.questions:
        abort(404)
    return survey


