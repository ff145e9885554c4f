"""Events and questions as JSON: times in ISO 8601 with the UTC offset, texts in the reader's
language (falling back to the other) and in both."""

from datetime import UTC, datetime

from ..core.urls import external_url
from ..events.models import Event, EventSession, Question
from ..events.services import registration_status
from ..i18n import localized, option_text


def iso(moment: datetime | None) -> str | None:
    return moment.replace(tzinfo=UTC).isoformat() if moment is not None else None


def event_summary(event: Event, language: str, now: datetime) -> dict:
    return {
        "id": event.id,
        "slug": event.slug,
        "state": event.state,
        "title": localized(event, "title", language),
        "title_mn": event.title_mn,
        "title_en": event.title_en,
        "summary": localized(event, "summary", language) or None,
        "kind": event.kind,
        "start": iso(event.starts_at),
        "end": iso(event.ends_at),
        "venue": localized(event, "venue_name", language) or None,
        "venue_address": localized(event, "venue_address", language) or None,
        "capacity": event.capacity,
        "seats_left": event.seats_left,
        "registration_open": registration_status(event, now) in ("open", "waitlist"),
        "registration_opens_at": iso(event.registration_opens_at),
        "registration_closes_at": iso(event.registration_closes_at),
        "registration_mode": event.registration_mode,
        "tags": event.tags,
        "url": external_url("events.detail", slug=event.slug),
    }


def question_json(question: Question, language: str) -> dict:
    return {
        "id": question.id,
        "kind": question.kind,
        "label": localized(question, "label", language),
        # The answer to a choice question is the option's index in this list.
        "options": [option_text(option, language) for option in question.options or []],
        "required": question.required,
    }


def event_detail(event: Event, language: str, now: datetime) -> dict:
    return event_summary(event, language, now) | {
        "description": localized(event, "description", language) or None,
        "questions": [question_json(question, language) for question in event.questions],
        "sessions": [session_json(session, language) for session in event.sessions],
    }


def session_json(session: EventSession, language: str) -> dict:
    """One slot of the agenda, as the event's page shows it."""
    return {
        "id": session.id,
        "title": localized(session, "title", language) or None,
        "title_mn": session.title_mn,
        "title_en": session.title_en,
        "start": iso(session.starts_at),
        "end": iso(session.ends_at),
        "room": session.room,
        "speakers": session.speakers,
        "capacity": session.capacity,
    }
