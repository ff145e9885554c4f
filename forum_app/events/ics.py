"""iCalendar (RFC 5545) for one event or a feed of events; also attached to ticket e-mails."""

from collections.abc import Iterable
from datetime import datetime

from flask_babel import force_locale, gettext

from ..core.urls import external_url
from ..i18n import localized, utcnow
from .models import Event, EventState

UID_DOMAIN = "forum.darkhan-uul.gov.mn"
PRODID = "-//Darkhan-Uul Province//Darkhan City Forum//EN"
LINE_OCTETS = 75


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into pieces of at most 75 octets, never inside a UTF-8 character;
    each continuation starts with one space (RFC 5545 3.1)."""
    pieces, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = LINE_OCTETS if not pieces else LINE_OCTETS - 1
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def utc_stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _text(name: str, value: str | None) -> list[str]:
    return [f"{name}:{escape_text(value)}"] if value else []


def _location(event: Event, language: str) -> str:
    parts = [localized(event, "venue_name", language), localized(event, "venue_address", language)]
    return ", ".join(part for part in parts if part)


def _description(event: Event, language: str, url: str) -> str:
    parts = []
    if event.state == EventState.CANCELLED and event.cancel_reason:
        with force_locale(language):
            parts.append(gettext("Cancelled: %(reason)s", reason=event.cancel_reason))
    summary = localized(event, "summary", language)
    if summary:
        parts.append(summary)
    parts.append(url)
    return "\n\n".join(parts)


def event_lines(event: Event, language: str, stamp: datetime) -> list[str]:
    url = external_url("events.detail", slug=event.slug)
    status = "CANCELLED" if event.state == EventState.CANCELLED else "CONFIRMED"
    return [
        "BEGIN:VEVENT",
        f"UID:event-{event.id}@{UID_DOMAIN}",
        f"DTSTAMP:{utc_stamp(stamp)}",
        f"LAST-MODIFIED:{utc_stamp(event.updated_at or stamp)}",
        f"DTSTART:{utc_stamp(event.starts_at)}",
        f"DTEND:{utc_stamp(event.ends_at)}",
        *_text("SUMMARY", localized(event, "title", language)),
        *_text("DESCRIPTION", _description(event, language, url)),
        *_text("LOCATION", _location(event, language)),
        f"STATUS:{status}",
        f"URL:{url}",
        "END:VEVENT",
    ]


def build_calendar(events: Iterable[Event], language: str, name: str | None = None) -> str:
    """A VCALENDAR with one VEVENT per event, texts in `language` (falling back to the other)."""
    stamp = utcnow()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", *_text("X-WR-CALNAME", name)]
    for event in events:
        lines.extend(event_lines(event, language, stamp))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
