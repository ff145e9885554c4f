"""Checking one slot of an event's agenda."""

from datetime import datetime

from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from .checks import check_capacity, clean_text
from .models import Event

SESSION_TEXT_LIMITS = {"title_mn": 300, "title_en": 300, "room": 120, "speakers": 2000}


def clean_session_values(event: Event, values: dict) -> dict:
    cleaned = {field: clean_text(values.get(field), field, limit)
               for field, limit in SESSION_TEXT_LIMITS.items()}
    if not (cleaned["title_mn"] or cleaned["title_en"]):
        raise DomainError(_l("Please give the session a title, in Mongolian or English."),
                          "title_required", "title_mn")
    starts, ends = values.get("starts_at"), values.get("ends_at")
    if not isinstance(starts, datetime):
        raise DomainError(_l("Please enter when the session starts."), "start_required",
                          "starts_at")
    if not isinstance(ends, datetime):
        raise DomainError(_l("Please enter when the session ends."), "end_required", "ends_at")
    if ends <= starts:
        raise DomainError(_l("The session must end after it starts."), "end_before_start",
                          "ends_at")
    if starts < event.starts_at or ends > event.ends_at:
        raise DomainError(_l("The session must take place while the event runs."),
                          "outside_event", "starts_at")
    cleaned.update(starts_at=starts, ends_at=ends,
                   capacity=check_capacity(values.get("capacity")))
    return cleaned
