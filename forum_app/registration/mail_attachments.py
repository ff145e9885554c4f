"""Builders for the ticket e-mail's attachments: the QR (inline and as a file) and the .ics."""

from ..events.ics import build_calendar
from ..events.models import Event
from ..extensions import db
from ..i18n import current_language
from ..notifications.attachments import Attachment, register_attachment
from .tickets import qr_png

QR_CONTENT_ID = "ticket-qr"


@register_attachment("ticket_qr")
def ticket_qr(spec: dict) -> list[Attachment]:
    png = qr_png(spec["code"])
    return [Attachment("ticket-qr-inline.png", "image/png", png, content_id=QR_CONTENT_ID),
            Attachment("ticket-qr.png", "image/png", png)]


@register_attachment("event_ics")
def event_ics(spec: dict) -> list[Attachment]:
    event = db.session.get(Event, spec["event_id"])
    if event is None:
        return []
    language = spec.get("language") or current_language()
    return [Attachment("event.ics", "text/calendar; charset=utf-8; method=PUBLISH",
                       build_calendar([event], language).encode())]
