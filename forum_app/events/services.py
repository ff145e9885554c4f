"""What organisers do with events: create, edit, publish, cancel; tags, staff, the agenda
and the custom registration questions. The checks of one agenda slot or one question are in
agenda.py and questions.py."""

import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ..accounts.models import Role, User
from ..accounts.services import find_user_by_email
from ..audit.services import record_event
from ..core.ordering import move_one
from ..errors import DomainError
from ..extensions import db
from ..i18n import utcnow
from .agenda import clean_session_values
from .checks import check_capacity, clean_text
from .labels import ALL_TAGS
from .models import (
    ENTRY_MODE_LABELS,
    Event,
    EventKind,
    EventSession,
    EventStaff,
    EventState,
    EventTag,
    Question,
    RegistrationMode,
)
from .questions import clean_question_values
from .signals import answer_count, event_cancelled, seats_added
from .slugs import unique_slug

# Field -> longest accepted text. The database would not stop a longer one on SQLite.
TEXT_LIMITS = {
    "title_mn": 300, "title_en": 300, "summary_mn": 2000, "summary_en": 2000,
    "description_mn": 20000, "description_en": 20000, "venue_name_mn": 300,
    "venue_name_en": 300, "venue_address_mn": 500, "venue_address_en": 500,
}
TIME_FIELDS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")
EVENT_FIELDS = (*TEXT_LIMITS, *TIME_FIELDS, "kind", "capacity", "registration_mode",
                "entry_mode")


# --- access ----------------------------------------------------------------------------------

def can_create(user) -> bool:
    return bool(user and getattr(user, "is_authenticated", False)
                and user.has_role(Role.ORGANISER))


def can_manage(user, event: Event) -> bool:
    """Admins manage every event; an organiser manages the events they created or staff."""
    if not can_create(user):
        return False
    if Role.ADMIN.value in user.roles or event.created_by_id == user.id:
        return True
    return any(row.user_id == user.id for row in event.staff)


def can_view(user, event: Event) -> bool:
    """Published and cancelled events are public; a draft only to those who manage it."""
    return event.state != EventState.DRAFT or can_manage(user, event)


def registration_status(event: Event, now: datetime) -> str:
    """What a visitor can do now: "cancelled", "draft", "ended", "started", "not_yet_open",
    "closed", "waitlist" (full, the waiting list takes names) or "open"."""
    if event.state in (EventState.CANCELLED, EventState.DRAFT):
        return str(event.state)
    if now >= event.ends_at:
        return "ended"
    if now >= event.starts_at:
        return "started"
    if event.registration_opens_at and now < event.registration_opens_at:
        return "not_yet_open"
    if event.registration_closes_at and now >= event.registration_closes_at:
        return "closed"
    if event.seats_left == 0:
        return "waitlist"
    return "open"


def _require_manager(actor, event: Event) -> None:
    if not can_manage(actor, event):
        raise DomainError(_l("You cannot manage this event."), "forbidden")


def _require_editable(event: Event) -> None:
    if event.state == EventState.CANCELLED:
        raise DomainError(_l("This event has been cancelled and can no longer be changed."),
                          "cancelled")


# --- checking values -------------------------------------------------------------------------

def _check_times(values: dict) -> None:
    starts, ends = values.get("starts_at"), values.get("ends_at")
    for field in TIME_FIELDS:
        if values.get(field) is not None and not isinstance(values[field], datetime):
            raise DomainError(_l("Please enter a date and time."), "bad_time", field)
    if starts is None:
        raise DomainError(_l("Please enter when the event starts."), "start_required",
                          "starts_at")
    if ends is None:
        raise DomainError(_l("Please enter when the event ends."), "end_required", "ends_at")
    if ends <= starts:
        raise DomainError(_l("The event must end after it starts."), "end_before_start",
                          "ends_at")
    opens, closes = values.get("registration_opens_at"), values.get("registration_closes_at")
    if closes is not None and closes > starts:
        raise DomainError(_l("Registration must close before the event starts, or when it "
                             "starts."), "closes_after_start", "registration_closes_at")
    if opens is not None and opens >= (closes or starts):
        raise DomainError(_l("Registration must open before it closes."),
                          "opens_after_close", "registration_opens_at")


def _clean_event_values(values: dict, current: dict | None = None) -> dict:
    """The complete, checked set of event fields: `values` over `current`."""
    merged = dict(current or {})
    merged.update({k: v for k, v in values.items() if k in EVENT_FIELDS})
    for field, limit in TEXT_LIMITS.items():
        merged[field] = clean_text(merged.get(field), field, limit)
    merged["kind"] = merged.get("kind") or EventKind.OTHER.value
    if merged["kind"] not in {k.value for k in EventKind}:
        raise DomainError(_l("Please choose a kind of event."), "bad_kind", "kind")
    merged["registration_mode"] = merged.get("registration_mode") or RegistrationMode.OPEN.value
    if merged["registration_mode"] not in {m.value for m in RegistrationMode}:
        raise DomainError(_l("Please choose how people register."), "bad_mode",
                          "registration_mode")
    merged["entry_mode"] = merged.get("entry_mode") or "event"
    if merged["entry_mode"] not in ENTRY_MODE_LABELS:
        raise DomainError(_l("Please choose how entry is counted."), "bad_entry_mode",
                          "entry_mode")
    merged["capacity"] = check_capacity(merged.get("capacity"))
    _check_times(merged)
    return merged


def _snapshot(event: Event) -> dict:
    return {field: getattr(event, field) for field in EVENT_FIELDS}


def _jsonable(values: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in values.items()}


def _clean_tags(tags) -> list[str]:
    tags = sorted(set(tags or []))
    unknown = [tag for tag in tags if tag not in ALL_TAGS]
    if unknown:
        raise DomainError(_l("Unknown tag: %(tag)s", tag=unknown[0]), "bad_tag", "tags")
    return tags


def _apply_tags(event: Event, tags: list[str]) -> None:
    current = {row.tag: row for row in event.tag_rows}
    for tag in set(current) - set(tags):
        event.tag_rows.remove(current[tag])
    for tag in sorted(set(tags) - set(current)):
        event.tag_rows.append(EventTag(tag=tag))


def _ensure_invitation_code(event: Event) -> None:
    if event.registration_mode == RegistrationMode.INVITATION and not event.invitation_code:
        event.invitation_code = secrets.token_urlsafe(12)


# --- events ----------------------------------------------------------------------------------

def create_event(actor: User, values: dict) -> Event:
    """A new draft. `values` holds the event fields (times in UTC) and optionally "tags"."""
    if not can_create(actor):
        raise DomainError(_l("Only organisers can create events."), "forbidden")
    cleaned = _clean_event_values(values)
    tags = _clean_tags(values.get("tags"))
    event = Event(**cleaned, state=EventState.DRAFT.value, created_by_id=actor.id)
    _ensure_invitation_code(event)
    _apply_tags(event, tags)
    for attempt in range(3):
        event.slug = unique_slug(cleaned["title_en"] or cleaned["title_mn"] or "")
        db.session.add(event)
        try:
            db.session.flush()
            break
        except IntegrityError:  # someone took the same slug a moment ago: take the next one
            db.session.rollback()
            if attempt == 2:
                raise
    record_event(actor, event, "event.created", after={"state": event.state,
                                                      "slug": event.slug})
    db.session.commit()
    return event


def update_event(actor: User, event: Event, values: dict) -> Event:
    """Save changed fields (and "tags" when given). More seats fill from the waiting list."""
    _require_manager(actor, event)
    _require_editable(event)
    before = _snapshot(event)
    cleaned = _clean_event_values(values, before)
    tags = _clean_tags(values["tags"]) if "tags" in values else event.tags
    new_capacity = cleaned.pop("capacity")
    if new_capacity != event.capacity:
        # Conditional, so a seat taken meanwhile cannot leave more confirmed than capacity.
        result = db.session.execute(
            update(Event).where(Event.id == event.id, Event.state != EventState.CANCELLED,
                                (Event.confirmed_count <= new_capacity)
                                if new_capacity is not None else Event.id == event.id)
            .values(capacity=new_capacity))
        if result.rowcount != 1:
            db.session.rollback()
            raise DomainError(_l("%(count)d people are already confirmed: the capacity cannot "
                                 "be lower than that.", count=event.confirmed_count),
                              "capacity_below_confirmed", "capacity")
        event.capacity = new_capacity
    for field, value in cleaned.items():
        setattr(event, field, value)
    _ensure_invitation_code(event)
    _apply_tags(event, tags)
    after = _snapshot(event)
    changed = [field for field in EVENT_FIELDS if before[field] != after[field]]
    if changed:
        record_event(actor, event, "event.updated",
                     before=_jsonable({f: before[f] for f in changed}),
                     after=_jsonable({f: after[f] for f in changed}))
    db.session.commit()
    if _more_seats(before["capacity"], event.capacity) and event.is_published:
        seats_added.send(event, actor=actor)
    return event


def _more_seats(old: int | None, new: int | None) -> bool:
    return old is not None and (new is None or new > old)


def publish_event(actor: User, event: Event) -> Event:
    _require_manager(actor, event)
    _require_editable(event)
    if event.state == EventState.PUBLISHED:
        raise DomainError(_l("This event is already published."), "already_published")
    if not (event.title_mn or event.title_en):
        raise DomainError(_l("Give the event a title, in Mongolian or English, before "
                             "publishing it."), "title_required", "title_mn")
    event.state = EventState.PUBLISHED.value
    event.published_at = utcnow()
    record_event(actor, event, "event.published", before={"state": EventState.DRAFT.value},
                 after={"state": EventState.PUBLISHED.value})
    db.session.commit()
    return event


def cancel_event(actor: User, event: Event, reason: str) -> Event:
    """Final. Every registrant is told by e-mail and their tickets stop working."""
    _require_manager(actor, event)
    reason = clean_text(reason, "reason", 2000)
    if not reason:
        raise DomainError(_l("Please say why the event is cancelled; registrants will read "
                             "it."), "reason_required", "reason")
    if event.state == EventState.CANCELLED:
        raise DomainError(_l("This event is already cancelled."), "already_cancelled")
    before = event.state
    event.state = EventState.CANCELLED.value
    event.cancelled_at = utcnow()
    event.cancel_reason = reason
    record_event(actor, event, "event.cancelled", before={"state": before},
                 after={"state": EventState.CANCELLED.value}, reason=reason)
    db.session.flush()
    event_cancelled.send(event, actor=actor, reason=reason)  # registrations end, mail queued
    db.session.commit()
    return event


# --- staff -----------------------------------------------------------------------------------

def add_staff(actor: User, event: Event, email: str) -> EventStaff:
    _require_manager(actor, event)
    _require_editable(event)
    user = find_user_by_email(email or "")
    if user is None or not user.is_active:
        raise DomainError(_l("No account has this e-mail address."), "unknown_user", "email")
    if not user.has_role(Role.ORGANISER):
        raise DomainError(_l("Only organisers can staff an event. An administrator can give "
                             "this person the organiser role."), "not_organiser", "email")
    if user.id == event.created_by_id or any(r.user_id == user.id for r in event.staff):
        raise DomainError(_l("%(name)s already runs this event.", name=user.name),
                          "already_staff", "email")
    row = EventStaff(user_id=user.id)
    event.staff.append(row)
    db.session.flush()
    record_event(actor, event, "event.staff_added", after={"user_id": user.id})
    db.session.commit()
    return row


def remove_staff(actor: User, event: Event, user_id: int) -> None:
    _require_manager(actor, event)
    row = db.session.scalar(select(EventStaff).where(EventStaff.event_id == event.id,
                                                     EventStaff.user_id == user_id))
    if row is None:
        raise DomainError(_l("This person does not staff the event."), "not_staff")
    event.staff.remove(row)
    record_event(actor, event, "event.staff_removed", before={"user_id": user_id})
    db.session.commit()




# --- agenda ----------------------------------------------------------------------------------

def _own_session(event: Event, session: EventSession) -> None:
    if session.event_id != event.id:
        raise DomainError(_l("This session belongs to another event."), "not_found")


def add_session(actor: User, event: Event, values: dict) -> EventSession:
    _require_manager(actor, event)
    _require_editable(event)
    cleaned = clean_session_values(event, values)
    position = max((s.position for s in event.sessions), default=-1) + 1
    session = EventSession(**cleaned, position=position)
    event.sessions.append(session)
    db.session.commit()
    return session


def update_session(actor: User, event: Event, session: EventSession,
                   values: dict) -> EventSession:
    _require_manager(actor, event)
    _require_editable(event)
    _own_session(event, session)
    for field, value in clean_session_values(event, values).items():
        setattr(session, field, value)
    db.session.commit()
    return session


def delete_session(actor: User, event: Event, session: EventSession) -> None:
    _require_manager(actor, event)
    _require_editable(event)
    _own_session(event, session)
    event.sessions.remove(session)
    db.session.commit()


# --- custom registration questions -----------------------------------------------------------

def save_question(actor: User, event: Event, values: dict,
                  question: Question | None = None) -> Question:
    """Add a question at the end of the list, or save changes to `question`."""
    _require_manager(actor, event)
    _require_editable(event)
    if question is not None and question.event_id != event.id:
        raise DomainError(_l("This question belongs to another event."), "not_found")
    cleaned = clean_question_values(values, question)
    if question is None:
        position = max((q.position for q in event.questions), default=-1) + 1
        question = Question(position=position)
        event.questions.append(question)
    for field, value in cleaned.items():
        setattr(question, field, value)
    db.session.commit()
    return question


def delete_question(actor: User, event: Event, question: Question) -> None:
    _require_manager(actor, event)
    _require_editable(event)
    if question.event_id != event.id:
        raise DomainError(_l("This question belongs to another event."), "not_found")
    if answer_count(question):
        raise DomainError(_l("People have already answered this question, so it cannot be "
                             "deleted. You can make it optional instead."), "answered")
    event.questions.remove(question)
    db.session.commit()


def move_question(actor: User, event: Event, question: Question, direction: str) -> None:
    """Move one place "up" or "down" in the order registrants see."""
    _require_manager(actor, event)
    _require_editable(event)
    if question.event_id != event.id:
        raise DomainError(_l("This question belongs to another event."), "not_found")
    move_one(sorted(event.questions, key=lambda q: (q.position, q.id)), question, direction)
    db.session.commit()
