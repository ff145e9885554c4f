"""Registering, cancelling, approving: the use cases over the seat primitives of seats.py
(capacity under concurrency, holds, the waiting list)."""

import re
import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError

from ...accounts.services import normalise_email
from ...audit.services import insert_event, record_event
from ...core.reference import PRIVACY_NOTICE_VERSION
from ...core.tokens import hash_token
from ...database import begin_write, commit_keeping_loaded
from ...errors import DomainError
from ...events.models import Event, RegistrationMode
from ...events.signals import event_cancelled, question_answers, seats_added
from ...extensions import db
from ...i18n import utcnow
from ..models import (
    ACTIVE_STATES,
    SEATED_STATES,
    Answer,
    Registration,
    RegistrationState,
    is_active_sql,
)
from ..validation import (  # noqa: F401 - registration_refusal: for the views
    RegistrationInput,
    check_can_register,
    registration_refusal,
    validate_input,
)
from .new_rows import insert_registration, insert_ticket, keep
from .seats import (
    EXPIRED_HOLDS,
    add_seat_over_capacity,
    free_seat,
    hold_until,
    issue_ticket,
    manage_token_for,
    move,
    notify,
    promote,
    release_expired_holds,
    revoke_ticket,
    seated_state,
    seated_values,
    take_seat,
)


class AlreadyRegistered(DomainError):
    def __init__(self, registration: Registration):
        super().__init__(_l("You are already registered for this event."), "duplicate")
        self.registration = registration


def person_key(user, email: str | None, phone: str | None) -> str:
    if email:
        return normalise_email(email)
    if phone:
        return "tel:" + re.sub(r"\D", "", phone)
    return f"user:{user.id}"


@seats_added.connect
def promote_waitlist(event: Event, actor=None) -> list[Registration]:
    """After capacity grew: seat people from the waiting list while seats are free."""
    begin_write()
    now = utcnow()
    release_expired_holds(event.id, now)
    promoted = promote(event.id, now, actor)
    db.session.commit()
    return promoted


@question_answers.connect
def answer_count(question) -> int:
    return db.session.scalar(select(func.count(Answer.id))
                             .where(Answer.question_id == question.id)) or 0


# --- use cases -------------------------------------------------------------------------------

def _resend_manage_link(registration: Registration, user) -> None:
    """Someone registers an address or phone that is already registered: the link to that
    registration goes again to its own address (never to the one asking), so the owner of an
    address can always take back a registration someone else made with it."""
    if user is not None and registration.user_id == user.id:
        return  # the person's own ticket is shown to them
    begin_write()
    notify(registration, "manage_link")
    db.session.commit()


def _is_proven(user, data: RegistrationInput, event: Event, at_the_door: bool) -> bool:
    """Whether the person is known to be real, so a seat is theirs at once: staff at the door
    vouch for them; an invitation-only event's link came from its organisers; a verified
    account registers its own, proven address. Anyone else gets a hold until their e-mail's
    link confirms it."""
    if at_the_door or event.registration_mode == RegistrationMode.INVITATION:
        return True
    return (user is not None and user.is_verified
            and data.email in (None, normalise_email(user.email)))

NEEDS_EMAIL = _l("Please give an e-mail address: we send you a link there that confirms "
                 "your seat. Without e-mail, sign in or register at the door.")


REGISTRATIONS = Registration.__table__
# Built once: a plain SELECT of the table, its SQL compiled once.
EXISTING_ID = select(REGISTRATIONS.c.id).where(
    REGISTRATIONS.c.event_id == bindparam("event_id"),
    REGISTRATIONS.c.person_key == bindparam("key"), is_active_sql())


def _existing_id(event_id: int, key: str) -> int | None:
    """The id of the person's active registration for the event: one entry of the partial
    unique index (its condition repeated literally: is_active_sql), however big the event.
    Only the id, inside the write lock: the row (with its event) is loaded after it, in the
    rare case there is one."""
    return db.session.connection().scalar(EXISTING_ID, {"event_id": event_id, "key": key})


FIRST_LOOK = select(EXISTING_ID.scalar_subquery(), EXPIRED_HOLDS.exists())


def _first_look(event_id: int, key: str, now: datetime) -> tuple[int | None, bool]:
    """Inside the write lock, in one SELECT: the person's active registration (_existing_id)
    and whether the event has holds past their time (seats.EXPIRED_HOLDS), each read from its
    own index."""
    return tuple(db.session.connection().execute(
        FIRST_LOOK, {"event_id": event_id, "key": key, "now": now}).one())


def _already_registered(event_id: int, key: str, existing_id: int | None) -> AlreadyRegistered:
    """After the write transaction ended: the refusal, with the registration it found."""
    existing_id = existing_id or _existing_id(event_id, key)
    return AlreadyRegistered(db.session.get(Registration, existing_id) if existing_id else None)


def _first_state(event: Event, proven: bool, at_the_door: bool,
                 over_capacity_reason: str | None) -> tuple[RegistrationState, bool]:
    """Inside the write transaction: the new registration's state, and whether it is over
    capacity by an organiser's decision. Takes the seat it needs (the conditional UPDATE
    checks the capacity in the database, not the event as loaded)."""
    if event.registration_mode == RegistrationMode.APPROVAL and not at_the_door:
        return RegistrationState.PENDING_APPROVAL, False
    if take_seat(event.id):
        return seated_state(proven), False
    if at_the_door and (over_capacity_reason or "").strip():
        add_seat_over_capacity(event.id)
        return RegistrationState.CONFIRMED, True
    if at_the_door:
        db.session.rollback()
        raise DomainError(_l("The event is full. An organiser may admit this person over "
                             "capacity by giving a reason."), "full")
    return RegistrationState.WAITLISTED, False


def register(event: Event, data: RegistrationInput, *, user=None, source: str = "web",
             now: datetime | None = None, at_the_door: bool = False,
             over_capacity_reason: str | None = None, actor=None) -> tuple[Registration, str]:
    """Register a person (account holder or guest). Returns the registration and the private
    manage token (in every e-mail about it; only its hash is searchable).

    A person whose e-mail is not proven (see _is_proven) gets a seat as a hold until the link
    in the mail confirms it. Staff at the door (`at_the_door`) skip the window and approval;
    a full event stays full unless they give `over_capacity_reason`, which is recorded.

    One short write transaction: everything is checked and read before it; inside it only the
    duplicate check, expired holds, the seat and the rows of the registration (plain INSERTs,
    new_rows.py). While the event, as read before, has seats left, the seat is taken last,
    just before the commit (on PostgreSQL the event row stays locked only from there); if
    the conditional UPDATE finds it full after all, the transaction is undone and done again
    with the seat first. The objects stay loaded after the commit, so the answer reads no row
    again."""
    now = now or utcnow()
    check_can_register(event, now, data.invitation_code, at_the_door)
    errors = validate_input(event, data, user)
    proven = _is_proven(user, data, event, at_the_door)
    if not errors and not proven and not data.email:
        errors["email"] = NEEDS_EMAIL
    if errors:
        raise DomainError(_l("Please correct the marked fields."), "invalid", fields=errors)
    key = person_key(user, data.email, data.phone)
    event_id = event.id
    seat_last = _seems_free(event, at_the_door)
    while True:
        begin_write(keep_loaded=True)
        existing_id, holds_expired = _first_look(event_id, key, now)
        if existing_id is not None:
            db.session.rollback()
            refusal = _already_registered(event_id, key, existing_id)
            if not at_the_door:
                _resend_manage_link(refusal.registration, user)
            raise refusal
        if holds_expired:
            release_expired_holds(event_id, now)
        if seat_last:
            state, over_capacity = seated_state(proven), False
        else:
            state, over_capacity = _first_state(event, proven, at_the_door, over_capacity_reason)
        registration, token = _write_rows(event_id, key, data, user, state, proven, now, source)
        insert_event(actor or user, "Registration", registration.id, "registration.created",
                     after={"state": state, "source": source, "over_capacity": over_capacity},
                     reason=over_capacity_reason if over_capacity else None)
        notify(registration, FIRST_MAIL[state], fresh=True)
        if not seat_last or take_seat(event_id):
            break
        db.session.rollback()  # full after all: once more, the seat first
        seat_last = False
    db.session.expire(event, ["confirmed_count", "updated_at"])  # changed by the seat's UPDATE
    keep(registration, event)
    commit_keeping_loaded()
    return registration, token


def _seems_free(event: Event, at_the_door: bool) -> bool:
    """Whether the event, as read before the write transaction, takes a seat and has one left:
    only a guess of the order of the statements; the seat's conditional UPDATE decides."""
    if event.registration_mode == RegistrationMode.APPROVAL and not at_the_door:
        return False
    return event.capacity is None or event.confirmed_count < event.capacity


def _write_rows(event_id: int, key: str, data: RegistrationInput, user, state: str,
                proven: bool, now: datetime, source: str) -> tuple[Registration, str]:
    """Inside the write transaction: the registration's rows in `state` (and its ticket when
    confirmed). Returns it (not yet in the session: new_rows.keep) and its manage token."""
    stamp = utcnow()
    manage_secret = secrets.token_urlsafe(24)
    token = manage_token_for(manage_secret)
    values = {
        "event_id": event_id, "user_id": getattr(user, "id", None), "person_key": key,
        "name": data.name, "email": data.email, "phone": data.phone, "language": data.language,
        "state": state, "stakeholder_kind": data.stakeholder_kind,
        "organisation": data.organisation, "district_id": data.district_id,
        "gender": data.gender or None, "age_band": data.age_band or None,
        "accessibility_needs": data.accessibility_needs,
        "consent_version": PRIVACY_NOTICE_VERSION, "consent_at": now, "source": source,
        "manage_secret": manage_secret, "manage_token_hash": hash_token(token),
        "decision_reason": None,
        "created_at": stamp, "updated_at": stamp,
        "confirmed_at": now if state == RegistrationState.CONFIRMED else None,
        "cancelled_at": None, "erased_at": None, "proven_at": now if proven else None,
        "hold_expires_at": hold_until(now) if state == RegistrationState.HELD else None}
    try:
        registration = insert_registration(values, data.answers)
    except IntegrityError:
        db.session.rollback()
        raise _already_registered(event_id, key, None) from None
    if state == RegistrationState.CONFIRMED:
        insert_ticket(registration)
    return registration, token


FIRST_MAIL = {RegistrationState.CONFIRMED: "confirmed", RegistrationState.HELD: "held",
              RegistrationState.WAITLISTED: "waitlisted",
              RegistrationState.PENDING_APPROVAL: "pending"}


def registration_for_token(token: str) -> Registration | None:
    if not token or len(token) > 100:
        return None
    return db.session.scalar(select(Registration).where(
        Registration.manage_token_hash == hash_token(token)))


def _end(registration_id: int, event_id: int, to_state: RegistrationState, now: datetime,
         error: DomainError, **values) -> tuple[Registration, str]:
    """In a write transaction: end an active registration (its ticket stops working, its seat
    is freed and goes to the waiting list). Returns it and the state it had."""
    registration = db.session.get(Registration, registration_id)
    previous = registration.state
    if previous not in ACTIVE_STATES or not move(registration, [previous], to_state, now,
                                                 **values):
        db.session.rollback()
        raise error
    revoke_ticket(registration, now)
    if previous in SEATED_STATES:
        free_seat(event_id)
    return registration, previous


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
    registration, previous = _end(
        registration_id, event_id, RegistrationState.CANCELLED, now,
        DomainError(_l("This registration is already cancelled."), "not_active"),
        cancelled_at=now, decision_reason=reason, hold_expires_at=None)
    record_event(actor, registration, "registration.cancelled", before={"state": previous},
                 after={"state": "cancelled"}, reason=reason)
    notify(registration, "cancelled")
    if previous in SEATED_STATES:
        promote(event_id, now, actor)
    db.session.commit()
    return registration


def approve_registration(actor, registration: Registration,
                         now: datetime | None = None) -> Registration:
    """Approval mode: a seat if one is free (a hold while the e-mail is not proven), else the
    waiting list; the person is told."""
    now = now or utcnow()
    registration_id, event_id = registration.id, registration.event_id
    begin_write()
    registration = db.session.get(Registration, registration_id)
    if registration.state != RegistrationState.PENDING_APPROVAL:
        db.session.rollback()
        raise DomainError(_l("Only registrations awaiting approval can be approved."),
                          "not_pending")
    release_expired_holds(event_id, now)
    proven = registration.proven_at is not None
    seated = take_seat(event_id)
    target = seated_state(proven) if seated else RegistrationState.WAITLISTED
    if not move(registration, [RegistrationState.PENDING_APPROVAL], target, now,
                **(seated_values(proven, now) if seated else {})):
        db.session.rollback()
        raise DomainError(_l("Someone else has just decided on this registration."), "conflict")
    if target == RegistrationState.CONFIRMED:
        issue_ticket(registration)
    record_event(actor, registration, "registration.approved",
                 before={"state": "pending_approval"}, after={"state": target})
    notify(registration, FIRST_MAIL[target])
    db.session.commit()
    return registration


def decline_registration(actor, registration: Registration, reason: str) -> Registration:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Please give a reason."), "reason_required", "reason")
    now = utcnow()
    registration_id, event_id = registration.id, registration.event_id
    begin_write()
    registration, previous = _end(
        registration_id, event_id, RegistrationState.DECLINED, now,
        DomainError(_l("This registration can no longer be declined."), "not_active"),
        decision_reason=reason[:2000], hold_expires_at=None)
    record_event(actor, registration, "registration.declined", before={"state": previous},
                 after={"state": "declined"}, reason=reason)
    notify(registration, "declined", reason=reason)
    if previous in SEATED_STATES:
        promote(event_id, now, actor)
    db.session.commit()
    return registration


@event_cancelled.connect
def cancel_event_registrations(event: Event, actor, reason: str) -> int:
    """The event was cancelled: every active registration ends, tickets stop working, and
    everyone is told. The caller has set the event's state; this commits."""
    count = 0
    now = utcnow()
    for registration in db.session.scalars(select(Registration).where(
            Registration.event_id == event.id,
            Registration.state.in_(list(ACTIVE_STATES)))).all():
        previous = registration.state
        registration.state = RegistrationState.CANCELLED
        registration.cancelled_at = now
        registration.decision_reason = reason
        registration.hold_expires_at = None
        revoke_ticket(registration, now)
        record_event(actor, registration, "registration.cancelled",
                     before={"state": previous}, after={"state": "cancelled"},
                     reason=reason)
        db.session.flush()
        notify(registration, "event_cancelled", reason=reason)
        count += 1
    event.confirmed_count = 0
    db.session.commit()
    return count
