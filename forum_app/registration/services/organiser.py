"""What organisers do with the people registered for their event: find them, count them,
write to them. The seat rules themselves (approve, decline, cancel) are in services.py."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from ...audit.services import record_event
from ...errors import DomainError
from ...events.models import Event
from ...events.services import can_manage
from ...extensions import db
from ...notifications.services import queue_email
from ..models import Registration, RegistrationState
from ..search import matching
from .seats import manage_token, manage_url

MESSAGE_STATES = (RegistrationState.CONFIRMED.value, RegistrationState.WAITLISTED.value,
                  RegistrationState.PENDING_APPROVAL.value)
MAX_SUBJECT = 200
MAX_BODY = 5000


def attendee_query(event: Event, search: str | None = None, state: str | None = None) -> Select:
    """The event's registrations, oldest first, optionally matching `search` (search.matching:
    the start of any word of the name, e-mail or organisation, case-insensitive also in
    Cyrillic; the first or last digits of the phone) and `state`."""
    query = (select(Registration).where(Registration.event_id == event.id)
             .options(selectinload(Registration.answers), selectinload(Registration.ticket))
             .order_by(Registration.id))
    if state in {s.value for s in RegistrationState}:
        query = query.where(Registration.state == state)
    if (search or "").strip():
        query = query.where(matching(event.id, search))
    return query


def count_of(query: Select) -> int:
    """How many registrations `query` (an attendee_query) finds, in one COUNT."""
    return db.session.scalar(query.with_only_columns(func.count(Registration.id))
                             .options().order_by(None))


def stream_of(query: Select, chunk: int = 500):
    """The registrations of `query`, read `chunk` at a time with their answers and tickets
    (a list of 100,000 never sits whole in memory)."""
    return db.session.scalars(query.execution_options(yield_per=chunk))


def key_before_page(query: Select, page: int, per_page: int) -> int | None:
    """The last registration id before numbered page `page` of `query` (an old ?page= link,
    now sent to the list paged by key); None past the end."""
    return db.session.scalar(query.with_only_columns(Registration.id).options()
                             .offset((page - 1) * per_page - 1).limit(1))


def state_counts(event: Event) -> dict[str, int]:
    """Registrations per state, every state present (zero when none)."""
    rows = db.session.execute(
        select(Registration.state, func.count(Registration.id))
        .where(Registration.event_id == event.id).group_by(Registration.state)).all()
    counts = {state.value: 0 for state in RegistrationState}
    counts.update({state: count for state, count in rows})
    return counts


def _clean_message(states, subject: str | None, body: str | None) -> tuple[list[str], str, str]:
    chosen = [state for state in MESSAGE_STATES if state in set(states or ())]
    if not chosen or set(states or ()) - set(MESSAGE_STATES):
        raise DomainError(_l("Please choose who receives the message."), "states_required",
                          "states")
    subject = " ".join((subject or "").split())  # one line: no header injection
    body = (body or "").replace("\r\n", "\n").strip()
    if not subject:
        raise DomainError(_l("Please write a subject."), "subject_required", "subject")
    if len(subject) > MAX_SUBJECT:
        raise DomainError(_l("Please keep the subject under %(n)d characters.", n=MAX_SUBJECT),
                          "subject_too_long", "subject")
    if not body:
        raise DomainError(_l("Please write the message."), "body_required", "body")
    if len(body) > MAX_BODY:
        raise DomainError(_l("Please keep the message under %(n)d characters.", n=MAX_BODY),
                          "body_too_long", "body")
    return chosen, subject, body


def message_registrants(actor, event: Event, states, subject: str, body: str) -> int:
    """E-mail everyone with an e-mail address whose registration is in one of `states`, each in
    their own language, in one transaction with the audit record. Returns how many."""
    if not can_manage(actor, event):
        raise DomainError(_l("You cannot manage this event."), "forbidden")
    chosen, subject, body = _clean_message(states, subject, body)
    recipients = db.session.scalars(
        select(Registration).where(Registration.event_id == event.id,
                                   Registration.state.in_(chosen),
                                   Registration.email.is_not(None))
        .order_by(Registration.id)).all()
    if not recipients:
        raise DomainError(_l("Nobody with an e-mail address is registered in the chosen "
                             "groups."), "no_recipients", "states")
    for registration in recipients:
        queue_email(registration.email, registration.language, "registration/message",
                    event=event, registration=registration, name=registration.name,
                    subject=subject, body=body, link=manage_url(manage_token(registration)))
    record_event(actor, event, "event.messaged",
                 after={"count": len(recipients), "states": chosen})
    db.session.commit()
    return len(recipients)
