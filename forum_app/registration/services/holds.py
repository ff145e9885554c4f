"""A seat held until the e-mail confirms it (SECURITY.md, "Fake registrations").

Whoever registers without a proven e-mail (a guest; an account whose address is not verified)
gets a hold, not a ticket; the mail to the address carries a confirmation link that only the
owner of the mailbox can follow. Following it in time confirms the seat and sends the ticket.
After the hold time the seat goes back to the waiting list or to the next person; a link
followed after that gets a seat if one is still free, else the answer that the seat is gone
and the person may register again (to the end of the waiting list: an expired hold never
jumps the queue). A person on the waiting list or awaiting approval may confirm early: a seat
then given to them is confirmed at once.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from ...audit.services import record_event
from ...core.signals import purge_requested
from ...database import begin_write
from ...errors import DomainError
from ...extensions import db
from ...i18n import utcnow
from ..models import Registration, RegistrationState
from .seats import (
    confirm_code_matches,
    events_with_expired_holds,
    issue_ticket,
    move,
    notify,
    release_expired_holds,
    take_seat,
)

BAD_LINK = _l("This confirmation link is not valid. Please use the link from the latest "
              "e-mail about your registration.")
ENDED = _l("This registration is cancelled; there is nothing to confirm.")


@dataclass
class Confirmation:
    registration: Registration
    outcome: str  # confirmed, seat_after_expiry, seat_gone, proven, already


def _seat(registration: Registration, now: datetime, from_state: RegistrationState) -> bool:
    """A held (or expired, if a seat is free) registration becomes confirmed with a ticket."""
    if from_state == RegistrationState.EXPIRED and not take_seat(registration.event_id):
        return False
    if not move(registration, [from_state], RegistrationState.CONFIRMED, now,
                confirmed_at=now, proven_at=now, hold_expires_at=None, cancelled_at=None):
        db.session.rollback()
        raise DomainError(_l("Someone else has just changed this registration. Please try "
                             "again."), "conflict")
    issue_ticket(registration)
    record_event(None, registration, "registration.confirmed",
                 before={"state": from_state}, after={"state": "confirmed"})
    notify(registration, "confirmed")
    return True


def _prove(registration: Registration, now: datetime) -> None:
    db.session.execute(update(Registration)
                       .where(Registration.id == registration.id,
                              Registration.proven_at.is_(None))
                       .values(proven_at=now, updated_at=now)
                       .execution_options(synchronize_session=False))
    db.session.expire(registration)


def confirm_registration(registration: Registration, code: str,
                         now: datetime | None = None) -> Confirmation:
    """The owner of the address followed the link in the mail (`code`): the hold becomes a
    confirmed seat with its ticket. Expired holds are released first, so a late link finds the
    seat confirmed only if one is still free."""
    now = now or utcnow()
    if not confirm_code_matches(registration, code):
        raise DomainError(BAD_LINK, "bad_link")
    registration_id, event_id = registration.id, registration.event_id
    begin_write()
    release_expired_holds(event_id, now)
    registration = db.session.get(Registration, registration_id)
    state = registration.state
    if state in (RegistrationState.CANCELLED, RegistrationState.DECLINED):
        db.session.rollback()
        raise DomainError(ENDED, "not_active")
    if state == RegistrationState.EXPIRED and now >= registration.event.starts_at:
        db.session.rollback()
        raise DomainError(_l("The seat held for you has expired, and the event has started "
                             "since."), "expired")
    if registration.proven_at is not None and state != RegistrationState.EXPIRED:
        outcome = "already"
    elif state == RegistrationState.HELD:
        _seat(registration, now, RegistrationState.HELD)
        outcome = "confirmed"
    elif state == RegistrationState.EXPIRED:
        outcome = "seat_after_expiry" if _seat(registration, now, state) else "seat_gone"
    else:  # waiting list or awaiting approval: a seat given later is confirmed at once
        _prove(registration, now)
        record_event(None, registration, "registration.email_confirmed")
        outcome = "proven"
    db.session.commit()
    return Confirmation(db.session.get(Registration, registration_id), outcome)


def resend_confirmation(registration: Registration) -> None:
    """The mail with the confirmation link again, to the registration's own address only
    (the caller limits how often)."""
    if registration.proven_at is not None or not registration.is_active \
            or not registration.email:
        raise DomainError(_l("This registration needs no confirmation."), "not_needed")
    template = {RegistrationState.HELD: "held", RegistrationState.WAITLISTED: "waitlisted",
                RegistrationState.PENDING_APPROVAL: "pending"}[RegistrationState(
                    registration.state)]
    notify(registration, template)
    db.session.commit()


def release_all_expired_holds(now: datetime | None = None) -> int:
    """Every event's expired holds released (their seats to the waiting list), one event per
    transaction. Returns how many holds expired."""
    now = now or utcnow()
    released = 0
    for event_id in events_with_expired_holds(now):
        begin_write()
        released += release_expired_holds(event_id, now)
        db.session.commit()
    return released


@purge_requested.connect
def _purge_expired_holds(_app, older_than: timedelta) -> str:
    return f"released {release_all_expired_holds()} expired seat holds"
