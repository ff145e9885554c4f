"""The seat primitives every use case shares: take and free a seat, move a registration from
one state to another, the waiting list, holds and their expiry, and the mail about it all.

Capacity holds under any concurrency on SQLite and PostgreSQL: a seat is taken only by a
conditional UPDATE of events.confirmed_count (`... WHERE confirmed_count < capacity`), which
the database serialises (row lock on PostgreSQL, the write lock of BEGIN IMMEDIATE on SQLite).
A state change of a registration is also a conditional UPDATE on its current state, so two
concurrent cancellations, promotions or expiries cannot both apply.

events.confirmed_count counts the seats taken: confirmed registrations and live holds. A hold
(state "held") is a seat given to someone whose e-mail is not proven yet; it lasts
REGISTRATION_HOLD_MINUTES. Expired holds are released whenever seats are taken for their event
(`release_expired_holds`, called first by every use case that takes a seat) and by
`flask purge-expired` for every event.
"""

import base64
import hashlib
import hmac
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import bindparam, func, select, update

from ...audit.services import record_event
from ...core.urls import external_url
from ...events.models import Event
from ...extensions import db
from ...notifications.services import insert_email, mail_context, queue_email
from ..models import Registration, RegistrationState, Ticket
from ..tickets import new_ticket_code


def _digest(manage_secret: str, purpose: str) -> str:
    digest = hmac.new(current_app.config["SECRET_KEY"].encode(),
                      (purpose + manage_secret).encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def manage_token(registration: Registration) -> str:
    """The private manage link's token: shown to whoever registered (page, API answer)."""
    return manage_token_for(registration.manage_secret)


def manage_token_for(manage_secret: str) -> str:
    """manage_token of the registration with `manage_secret` (before its row is written)."""
    return _digest(manage_secret, "")


def confirm_code(registration: Registration) -> str:
    """The proof of the e-mail: only ever sent to the registration's address, never shown to
    whoever registered, so following it shows they can read that mailbox."""
    return _digest(registration.manage_secret, "confirm:")


def confirm_code_matches(registration: Registration, code: str) -> bool:
    return hmac.compare_digest(confirm_code(registration), code or "")


def manage_url(token: str) -> str:
    return external_url("registration.manage", token=token)


def hold_until(now: datetime) -> datetime:
    return now + timedelta(minutes=current_app.config["REGISTRATION_HOLD_MINUTES"])


def seated_state(proven: bool) -> RegistrationState:
    """A seat given to a proven registration is confirmed; to an unproven one, held."""
    return RegistrationState.CONFIRMED if proven else RegistrationState.HELD


def seated_values(proven: bool, now: datetime) -> dict:
    if proven:
        return {"confirmed_at": now, "hold_expires_at": None}
    return {"hold_expires_at": hold_until(now)}


# --- seats -----------------------------------------------------------------------------------

EVENTS = Event.__table__
# A plain UPDATE of the table (the ORM's bulk UPDATE machinery costs more than the statement),
# built once; updated_at still takes its onupdate value.
TAKE_SEAT = (update(EVENTS)
             .where(EVENTS.c.id == bindparam("event_id"),
                    EVENTS.c.capacity.is_(None) | (EVENTS.c.confirmed_count < EVENTS.c.capacity))
             .values(confirmed_count=EVENTS.c.confirmed_count + 1))


def take_seat(event_id: int) -> bool:
    return db.session.connection().execute(TAKE_SEAT, {"event_id": event_id}).rowcount == 1


def add_seat_over_capacity(event_id: int) -> None:
    """An organiser's recorded override: the count still tells the truth."""
    db.session.execute(update(Event).where(Event.id == event_id)
                       .values(confirmed_count=Event.confirmed_count + 1)
                       .execution_options(synchronize_session=False))


def free_seat(event_id: int) -> None:
    db.session.execute(
        update(Event).where(Event.id == event_id, Event.confirmed_count > 0)
        .values(confirmed_count=Event.confirmed_count - 1)
        .execution_options(synchronize_session=False))


def move(registration: Registration, from_states, to_state: str, now: datetime,
         **values) -> bool:
    """Conditional state change; False when someone else changed it first."""
    result = db.session.execute(
        update(Registration)
        .where(Registration.id == registration.id, Registration.state.in_(list(from_states)))
        .values(state=to_state, updated_at=now, **values)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return False
    db.session.expire(registration)
    return True


def issue_ticket(registration: Registration) -> Ticket:
    ticket = Ticket(registration=registration, code=new_ticket_code())
    db.session.add(ticket)
    db.session.flush()
    return ticket


def revoke_ticket(registration: Registration, now: datetime) -> None:
    db.session.execute(update(Ticket).where(Ticket.registration_id == registration.id,
                                            Ticket.revoked_at.is_(None))
                       .values(revoked_at=now))


# --- the waiting list ------------------------------------------------------------------------

_WAITLISTED = (select(Registration.id, Registration.event_id)
               .where(Registration.event_id.in_(bindparam("event_ids", expanding=True)),
                      Registration.state == RegistrationState.WAITLISTED)
               .order_by(Registration.event_id, Registration.id))  # built once


def waitlist_positions(event_ids) -> dict[int, int]:
    """Registration id -> place on its event's waiting list (1 is next), in one query (none
    without events)."""
    if not event_ids:
        return {}
    rows = db.session.execute(_WAITLISTED, {"event_ids": list(event_ids)})
    positions, place, current = {}, 0, None
    for registration_id, event_id in rows:
        place = place + 1 if event_id == current else 1
        current = event_id
        positions[registration_id] = place
    return positions


def waitlist_position(registration: Registration) -> int | None:
    if registration.state != RegistrationState.WAITLISTED:
        return None
    return db.session.scalar(select(func.count(Registration.id)).where(
        Registration.event_id == registration.event_id,
        Registration.state == RegistrationState.WAITLISTED,
        Registration.id <= registration.id))


def promote(event_id: int, now: datetime, actor=None) -> list[Registration]:
    """Fill free seats from the waiting list, first come first served. A proven registration
    gets its ticket at once; an unproven one a hold, with the link to confirm it."""
    promoted = []
    waiting = db.session.execute(
        select(Registration.id, Registration.proven_at)
        .where(Registration.event_id == event_id,
               Registration.state == RegistrationState.WAITLISTED)
        .order_by(Registration.id)).all()
    for registration_id, proven_at in waiting:
        if not take_seat(event_id):
            break
        registration = db.session.get(Registration, registration_id)
        proven = proven_at is not None
        target = seated_state(proven)
        if not move(registration, [RegistrationState.WAITLISTED], target, now,
                    **seated_values(proven, now)):
            free_seat(event_id)  # someone else moved it: give the seat back
            continue
        if proven:
            issue_ticket(registration)
        record_event(actor, registration, "registration.promoted",
                     before={"state": "waitlisted"}, after={"state": target})
        notify(registration, "promoted" if proven else "promoted_held")
        promoted.append(registration)
    return promoted


# --- holds -----------------------------------------------------------------------------------

REGISTRATIONS = Registration.__table__
EXPIRED_HOLDS = (select(REGISTRATIONS.c.id)
                 .where(REGISTRATIONS.c.event_id == bindparam("event_id"),
                        REGISTRATIONS.c.state == RegistrationState.HELD.value,
                        REGISTRATIONS.c.hold_expires_at <= bindparam("now"))
                 .order_by(REGISTRATIONS.c.id))


def release_expired_holds(event_id: int, now: datetime) -> int:
    """Inside a write transaction: every hold of the event past its time expires, its seat goes
    to the waiting list in order. Returns how many expired (usually none: one indexed query)."""
    expired_ids = list(db.session.connection().scalars(EXPIRED_HOLDS,
                                                       {"event_id": event_id, "now": now}))
    released = 0
    for registration_id in expired_ids:
        registration = db.session.get(Registration, registration_id)
        if not move(registration, [RegistrationState.HELD], RegistrationState.EXPIRED, now,
                    cancelled_at=now):
            continue  # confirmed or cancelled a moment ago
        free_seat(event_id)
        record_event(None, registration, "registration.hold_expired",
                     before={"state": "held"}, after={"state": "expired"})
        released += 1
    if released:
        promote(event_id, now)
    return released


def events_with_expired_holds(now: datetime) -> list[int]:
    return list(db.session.scalars(
        select(Registration.event_id).where(Registration.state == RegistrationState.HELD,
                                            Registration.hold_expires_at <= now)
        .distinct().order_by(Registration.event_id)))


# --- mail ------------------------------------------------------------------------------------

def notify(registration: Registration, template: str, *, fresh: bool = False, **extra):
    """Queue the message about `registration` in its language; the ticket mail carries the
    QR inline and attached, and the event's .ics. Every message to an address not yet proven
    carries the link that confirms it (and so the seat). `fresh`: the registration was just
    written in this transaction with its ticket by plain INSERTs (new_rows.py), so it is not
    read again, and its mail is one INSERT too."""
    if not registration.email:
        return
    if not fresh:
        db.session.refresh(registration)
    attachments = [{"kind": "event_ics", "event_id": registration.event_id,
                    "language": registration.language}]
    ticket = registration.ticket
    if registration.state == RegistrationState.CONFIRMED and ticket is not None:
        attachments.insert(0, {"kind": "ticket_qr", "code": ticket.code})
    token = manage_token(registration)
    confirm_link = None
    if registration.proven_at is None and registration.is_active:
        confirm_link = external_url("registration.confirm", token=token,
                                    code=confirm_code(registration))
    hold = registration.hold_expires_at
    (insert_email if fresh else queue_email)(
        registration.email, registration.language, f"registration/{template}",
        attachments=attachments, context="registration", registration_id=registration.id,
        event_id=registration.event_id, state=str(registration.state),
        ticket_code=ticket.code if ticket else None, name=registration.name,
        link=manage_url(token), confirm_link=confirm_link,
        hold_expires_at=hold.isoformat() if hold else None,
        position=waitlist_position(registration), **extra)


@mail_context("registration")
def _mail_values(payload: dict) -> dict:
    """The registration mails' template values from what notify() kept: the registration as it
    was then, the event as it is when the mail is rendered."""
    hold = payload.get("hold_expires_at")
    return {**payload, "event": db.session.get(Event, payload["event_id"]),
            "registration": {"state": payload["state"]},
            "ticket": {"code": payload["ticket_code"]} if payload.get("ticket_code") else None,
            "hold_expires_at": datetime.fromisoformat(hold) if hold else None}
