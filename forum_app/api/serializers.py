"""Events, questions and citizens' issues as JSON: times in ISO 8601 with the UTC offset,
texts in the reader's language (falling back to the other) and in both."""

from datetime import UTC, datetime

from ..core.urls import external_url
from ..events.models import Event, EventSession, Question
from ..events.services import registration_status
from ..i18n import localized, option_text
from ..issues.access import comment_author_name, issue_author_name
from ..issues.lifecycle import TimelineEntry
from ..issues.models import Issue


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


# --- citizens' issues, as their public web pages show them ----------------------------------

def _named(row, language: str) -> dict | None:
    """A category, district or department: its id, slug and name in the reader's language."""
    if row is None:
        return None
    return {"id": row.id, "slug": row.slug, "name": localized(row, "name", language)}


def _photo(issue: Issue, photo) -> dict:
    return {"url": external_url("issues.photo", issue_id=issue.id, filename=photo.filename),
            "thumbnail_url": external_url("issues.photo_thumbnail", issue_id=issue.id,
                                          filename=photo.filename),
            "width": photo.width, "height": photo.height}


def issue_summary(issue: Issue, language: str) -> dict:
    """What the public list shows of an issue; its author named as the public sees them."""
    return {
        "id": issue.id,
        "title": issue.title,
        "description": issue.description,
        "language": issue.language,
        "status": issue.status,
        "status_label": str(issue.status_label),
        "category": _named(issue.category, language),
        "district": _named(issue.district, language),
        "sdgs": issue.sdgs,
        "support_count": issue.support_count,
        "comment_count": issue.comment_count,
        "author": issue_author_name(issue, None),
        "created_at": iso(issue.created_at),
        "updated_at": iso(issue.updated_at),
        "merged_into_id": issue.merged_into_id,
        "photos": [_photo(issue, photo) for photo in issue.photos],
        "url": external_url("issues.detail", issue_id=issue.id),
    }


def _reason(entry: TimelineEntry, language: str) -> dict:
    why = entry.reason_for(language)
    return {"reason": why.text if why else None,
            "reason_mn": entry.reason if entry.bilingual else None,
            "reason_en": entry.reason_en if entry.bilingual else None}


def timeline_json(entry: TimelineEntry, language: str) -> dict:
    by = None if entry.kind == "submitted" else (
        "secretariat" if entry.secretariat else "official")
    return {
        "kind": entry.kind,
        "at": iso(entry.at),
        "from_status": entry.from_status,
        "to_status": entry.to_status,
        "by": by,
        "official": entry.actor_name if by == "official" else None,
        "official_department": _named(entry.actor_department, language)
        if by == "official" else None,
        **_reason(entry, language),
        "forwarded_to": _named(entry.department, language),
        "merged_into_id": entry.merged_into.id if entry.merged_into else None,
        "forum_event_id": entry.forum_event.id if entry.forum_event else None,
        "answer_id": entry.answer.id if entry.answer else None,
    }


def answer_json(answer, language: str) -> dict:
    return {"id": answer.id, "department": _named(answer.department, language),
            "official": answer.author.name
            if answer.author is not None and answer.author.erased_at is None else None,
            "created_at": iso(answer.created_at),
            "body": localized(answer, "body", language), "body_mn": answer.body_mn,
            "body_en": answer.body_en}


def comment_json(comment, issue: Issue, *, replies: bool = True) -> dict:
    """A comment as the public sees it: a hidden or deleted one keeps its place, not its text."""
    state = "deleted" if comment.is_deleted else "hidden" if comment.hidden_at else "visible"
    shown = {"id": comment.id, "author": comment_author_name(comment, issue, None),
             "created_at": iso(comment.created_at),
             "edited_at": None if comment.is_deleted else iso(comment.edited_at),
             "state": state, "body": comment.body if state == "visible" else None}
    if replies:
        shown["replies"] = [comment_json(reply, issue, replies=False)
                            for reply in comment.replies]
    return shown
