"""Loading an event for a view, with the access rule applied."""

from flask import url_for

from ...core.forms import form_error, form_status  # noqa: F401 - shared by the routes
from ..lookup import child_or_404, event_or_404, managed_event, visible_event  # noqa: F401
from ..models import Event


def register_url(event: Event) -> str:
    return url_for("registration.register", slug=event.slug)
