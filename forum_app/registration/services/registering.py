"""Registering, cancelling, approving: the seat rules.

Capacity holds under any concurrency on SQLite and PostgreSQL: a seat is taken only by a
conditional UPDATE of events.confirmed_count (`... WHERE confirmed_count < capacity`), which
the database serialises (row lock on PostgreSQL, the write lock of BEGIN IMMEDIATE on SQLite).
A state change of a registration is also a conditional UPDATE on its current state, so two
concurrent cancellations or promotions cannot both apply.
"""

import base64
import hashlib
import hmac
import re
import secrets
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from ...accounts.services import normalise_email
from ...audit.services import record_event
from ...core.reference import PRIVACY_NOTICE_VERSION
from ...core.tokens import hash_token
from ...core.urls import external_url
from ...database import begin_write
from ...errors import DomainError
from ...events.models import Event, RegistrationMode
from ...events.signals import event_cancelled, question_answers, seats_added
from ...extensions import db
from ...i18n import utcnow
from ...notifications.services import queue_email
from ..models import (
    ACTIVE_STATES,
    Answer,
    Registration,
    RegistrationState,
    Ticket,
)
from ..tickets import new_ticket_code
from ..validation import (  # noqa: F401 - registration_refusal: for the views
    RegistrationInput,
    check_can_register,
    registration_refusal,
    validate_input,
)


class AlreadyRegistered(DomainError):
    def __init__(self, registration: Registration):
        super().__init__(_l("You are already registered for this event."), "duplicate")
        self.registration = registration


def manage_token(registration: Registration) -> str:
    digest = hmac.new(current_app.config["SECRET_KEY"].encode(),
                      registration.manage_secret.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def person_key(user, email: str | None, phone: str | None) -> str:
    if email:
        return normalise_email(email)
    if phone:
        return "tel:" + re.sub(r"\D", "", phone)
    return f"user:{user.id}"


# --- seats -----------------------------------------------------------------------------------

def _take_seat(event_id: int) -> bool:
    result = db.session.execute(
        update(Event)
        .where(Event.id == event_id,
               (Event.capacity.is_(None)) | (Event.confirmed_count < Event.capacity))
        .values(confirmed_count=Event.confirmed_count + 1)
        .execution_options(synchronize_session=False))
    return result.rowcount == 1


def _add_seat_over_capacity(event_id: int) -> None:
    """An organiser's recorded override: the count still tells the truth."""
    db.session.execute(update(Event).where(Event.id == event_id)
                       .values(confirmed_count=Event.confirmed_count + 1)
                       .execution_options(synchronize_session=False))


def _free_seat(event_id: int) -> None:
    db.session.execute(
        update(Event).where(Event.id == event_id, Event.confirmed_count > 0)
        .values(confirmed_count=Event.confirmed_count - 1)
        .execution_options(synchronize_session=False))


def _move(registration: Registration, from_states, to_state: str, **values) -> bool:
    """Conditional state change; False when someone else changed it first."""
    result = db.session.execute(
        update(Registration)
        .where(Registration.id == registration.id, Registration.state.in_(list(from_states)))
        .values(state=to_state, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return False
    db.session.expire(registration)
    return True


def _issue_ticket(registration: Registration) -> Ticket:
    ticket = Ticket(registration_id=registration.id, code=new_ticket_code())
    db.session.add(ticket)
    db.session.flush()
    return ticket


def _revoke_ticket(registration: Registration) -> None:
    db.session.execute(update(Ticket).where(Ticket.registration_id == registration.id,
                                            Ticket.revoked_at.is_(None))
                       .values(revoked_at=utcnow()))


def _waitlisted_ids(event_id: int) -> list[int]:
    return list(db.session.scalars(
        select(Registration.id)
        .where(Registration.event_id == event_id,
               Registration.state == RegistrationState.WAITLISTED)
        .order_by(Registration.id)))


def waitlist_positions(event_ids) -> dict[int, int]:
    """Registration id -> place on its event's waiting list (1 is next), in one query."""
    rows = db.session.execute(
        select(Registration.id, Registration.event_id)
        .where(Registration.event_id.in_(list(event_ids)),
               Registration.state == RegistrationState.WAITLISTED)
        .order_by(Registration.event_id, Registration.id))
    positions, place, current = {}, 0, None
    for registration_id, event_id in rows:
        place = place + 1 if event_id == current else 1
        current = event_id
        positions[registration_id] = place
    return positions


def _promote(event_id: int, actor=None) -> list[Registration]:
    """Fill free seats from the waiting list, first come first served."""
    promoted = []
    for registration_id in _waitlisted_ids(event_id):
        if not _take_seat(event_id):
            break
        registration = db.session.get(Registration, registration_id)
        if not _move(registration, [RegistrationState.WAITLISTED], RegistrationState.CONFIRMED,
                     confirmed_at=utcnow()):
            _free_seat(event_id)  # someone else moved it: give the seat back
            continue
        _issue_ticket(registration)
        record_event(actor, registration, "registration.promoted",
                     before={"state": "waitlisted"}, after={"state": "confirmed"})
        _notify(registration, "promoted")
        promoted.append(registration)
    return promoted


@seats_added.connect
def promote_waitlist(event: Event, actor=None) -> list[Registration]:
    """After capacity grew: confirm people from the waiting list while seats are free."""
    begin_write()
    promoted = _promote(event.id, actor)
    db.session.commit()
    return promoted


@question_answers.connect
def answer_count(question) -> int:
    return db.session.scalar(select(func.count(Answer.id))
                             .where(Answer.question_id == question.id)) or 0


# --- mail ------------------------------------------------------------------------------------

def manage_url(token: str) -> str:
    return external_url("registration.manage", token=token)


def _notify(registration: Registration, template: str, **extra):
    """Queue the message about `registration` in its language; the ticket mail carries the
    QR inline and attached, and the event's .ics."""
    if not registration.email:
        return
    db.session.refresh(registration)
    attachments = [{"kind": "event_ics", "event_id": registration.event_id,
                    "language": registration.language}]
    ticket = registration.ticket
    if registration.state == RegistrationState.CONFIRMED and ticket is not None:
        attachments.insert(0, {"kind": "ticket_qr", "code": ticket.code})
    queue_email(registration.email, registration.language, f"registration/{template}",
                attachments=attachments, registration=registration, event=registration.event,
                ticket=ticket, name=registration.name,
                link=manage_url(manage_token(registration)),
                position=waitlist_position(registration), **extra)


def _resend_manage_link(registration: Registration, user) -> None:
    """Someone registers an address or phone that is already registered: the link to that
    registration goes again to its own address (never to the one asking), so the owner of an
    address can always take back a registration someone else made with it."""
    if user is not None and registration.user_id == user.id:
        return  # the person's own ticket is shown to them
    _notify(registration, "manage_link")
    db.session.commit()


# --- use cases -------------------------------------------------------------------------------

def register(event: Event, data: RegistrationInput, *, user=None, source: str = "web",
             now: datetime | None = None, at_the_door: bool = False,
             over_capacity_reason: str | None = None, actor=None) -> tuple[Registration, str]:
    """Register a person (account holder or guest). Returns the registration and the private
    manage token (in every e-mail about it; only its hash is searchable).

    Staff at the door (`at_the_door`) skip the window and approval; a full event stays full
    unless they give `over_capacity_reason`, which is recorded."""
    now = now or utcnow()
    check_can_register(event, now, data.invitation_code, at_the_door)
    errors = validate_input(event, data, user)
    if errors:
        raise DomainError(_l("Please correct the marked fields."), "invalid", fields=errors)
    key = person_key(user, data.email, data.phone)
    event_id = event.id
    answers = data.answers

    begin_write()
    existing = db.session.scalar(select(Registration).where(
        Registration.event_id == event_id, Registration.person_key == key,
        Registration.state.in_(list(ACTIVE_STATES))))
    if existing is not None:
        db.session.rollback()
        if not at_the_door:
            _resend_manage_link(existing, user)
        raise AlreadyRegistered(existing)

    event = db.session.get(Event, event_id)
    over_capacity = False
    if event.registration_mode == RegistrationMode.APPROVAL and not at_the_door:
        state = RegistrationState.PENDING_APPROVAL
    elif _take_seat(event_id):
        state = RegistrationState.CONFIRMED
    elif at_the_door and (over_capacity_reason or "").strip():
        _add_seat_over_capacity(event_id)
        state, over_capacity = RegistrationState.CONFIRMED, True
    elif at_the_door:
        db.session.rollback()
        raise DomainError(_l("The event is full. An organiser may admit this person over "
                             "capacity by giving a reason."), "full")
    else:
        state = RegistrationState.WAITLISTED
    registration = Registration(
        event_id=event_id, user_id=getattr(user, "id", None), person_key=key, name=data.name,
        email=data.email, phone=data.phone, language=data.language, state=state,
        stakeholder_kind=data.stakeholder_kind, organisation=data.organisation,
        district_id=data.district_id, gender=data.gender or None, age_band=data.age_band or None,
        accessibility_needs=data.accessibility_needs, consent_version=PRIVACY_NOTICE_VERSION,
        consent_at=now, source=source, manage_secret=secrets.token_urlsafe(24),
        confirmed_at=now if state == RegistrationState.CONFIRMED else None)
    token = manage_token(registration)
    registration.manage_token_hash = hash_token(token)
    registration.answers = [Answer(question_id=qid, value=value) for qid, value in answers.items()]
    db.session.add(registration)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        existing = db.session.scalar(select(Registration).where(
            Registration.event_id == event_id, Registration.person_key == key,
            Registration.state.in_(list(ACTIVE_STATES))))
        raise AlreadyRegistered(existing) from None
    if state == RegistrationState.CONFIRMED:
        _issue_ticket(registration)
    record_event(actor or user, registration, "registration.created",
                 after={"state": state, "source": source, "over_capacity": over_capacity},
                 reason=over_capacity_reason if over_capacity else None)
    _notify(registration, {RegistrationState.CONFIRMED: "confirmed",
                           RegistrationState.WAITLISTED: "waitlisted",
                           RegistrationState.PENDING_APPROVAL: "pending"}[state])
    db.session.commit()
    return registration, token


def waitlist_position(registration: Registration) -> int | None:
    if registration.state != RegistrationState.WAITLISTED:
        return None
    return db.session.scalar(select(func.count(Registration.id)).where(
        Registration.event_id == registration.event_id,
        Registration.state == RegistrationState.WAITLISTED,
        Registration.id <= registration.id))


def registration_for_token(token: str) -> Registration | None:
    if not token or len(token) > 100:
        return None
    return db.session.scalar(select(Registration).where(
        Registration.manage_token_hash == hash_token(token)))


def cancel_registration(registration: Registration, *, actor=None, reason: str | None = None,
                        by_staff: bool = False, now: datetime | None = None) -> Registration:
    """The registrant (until the event starts) or staff cancel; the seat goes to the first
    person on the waiting list, who is told."""
    now = now or utcnow()
    if not registration.is_active:
        raise DomainError(_l("This registration is already cancelled."), "not_active")
    if not by_staff and now >= registration.event.starts_at:
        raise DomainError(_l("The event has started; the registration can no longer be "
                             "cancelled here. Please contact the organisers."), "started")
    registration_id, event_id = registration.id, registration.event_id
    begin_write()
    registration = db.session.get(Registration, registration_id)
    previous = registration.state
    if not _move(registration, ACTIVE_STATES, RegistrationState.CANCELLED, cancelled_at=now,
                 decision_reason=reason):
        db.session.rollback()
        raise DomainError(_l("This registration is already cancelled."), "not_active")
    _revoke_ticket(registration)
    if previous == RegistrationState.CONFIRMED:
        _free_seat(event_id)
    record_event(actor, registration, "registration.cancelled", before={"state": previous},
                 after={"state": "cancelled"}, reason=reason)
    _notify(registration, "cancelled")
    if previous == RegistrationState.CONFIRMED:
        _promote(event_id, actor)
    db.session.commit()
    return registration


def approve_registration(actor, registration: Registration) -> Registration:
    """Approval mode: a seat if one is free, else the waiting list; the person is told."""
    registration_id, event_id = registration.id, registration.event_id
    begin_write()
    registration = db.session.get(Registration, registration_id)
    if registration.state != RegistrationState.PENDING_APPROVAL:
        db.session.rollback()
        raise DomainError(_l("Only registrations awaiting approval can be approved."),
                          "not_pending")
    seated = _take_seat(event_id)
    target = RegistrationState.CONFIRMED if seated else RegistrationState.WAITLISTED
    if not _move(registration, [RegistrationState.PENDING_APPROVAL], target,
                 confirmed_at=utcnow() if seated else None):
        db.session.rollback()
        raise DomainError(_l("Someone else has just decided on this registration."), "conflict")
    if seated:
        _issue_ticket(registration)
    record_event(actor, registration, "registration.approved",
                 before={"state": "pending_approval"}, after={"state": target})
    _notify(registration, "confirmed" if seated else "waitlisted")
    db.session.commit()
    return registration


def decline_registration(actor, registration: Registration, reason: str) -> Registration:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Please give a reason."), "reason_required", "reason")
    registration_id, event_id = registration.id, registration.event_id
    begin_write()
    registration = db.session.get(Registration, registration_id)
    previous = registration.state
    if previous not in ACTIVE_STATES or not _move(
            registration, [previous], RegistrationState.DECLINED, decision_reason=reason[:2000]):
        db.session.rollback()
        raise DomainError(_l("This registration can no longer be declined."), "not_active")
    _revoke_ticket(registration)
    if previous == RegistrationState.CONFIRMED:
        _free_seat(event_id)
    record_event(actor, registration, "registration.declined", before={"state": previous},
                 after={"state": "declined"}, reason=reason)
    _notify(registration, "declined", reason=reason)
    if previous == RegistrationState.CONFIRMED:
        _promote(event_id, actor)
    db.session.commit()
    return registration


@event_cancelled.connect
def cancel_event_registrations(event: Event, actor, reason: str) -> int:
    """The event was cancelled: every active registration ends, tickets stop working, and
    everyone is told. The caller has set the event's state; this commits."""
    count = 0
    for registration in db.session.scalars(select(Registration).where(
            Registration.event_id == event.id,
            Registration.state.in_(list(ACTIVE_STATES)))).all():
        previous = registration.state
        registration.state = RegistrationState.CANCELLED
        registration.cancelled_at = utcnow()
        registration.decision_reason = reason
        _revoke_ticket(registration)
        record_event(actor, registration, "registration.cancelled",
                     before={"state": previous}, after={"state": "cancelled"},
                     reason=reason)
        db.session.flush()
        _notify(registration, "event_cancelled", reason=reason)
        count += 1
    event.confirmed_count = 0
    db.session.commit()
    return count
