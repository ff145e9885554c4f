"""Demo check-ins: the demo organiser staffs today's forum and a few people are already in,
through the real service (idempotent: fixed nonces, so a second run adds nothing)."""

from datetime import datetime, timedelta

from sqlalchemy import select

from ..accounts.services import find_user_by_email
from ..events.models import Event, EventStaff
from ..extensions import db
from ..i18n import utcnow
from ..registration.models import Registration, RegistrationState, Ticket
from .entry import local_date, local_day_bounds, runs_on
from .services import check_in

ORGANISER = "organiser@demo.forum.mn"
STAFFED = ("dcf-clean-water-today", "dcf-heating-air-quality")
TODAY = "dcf-clean-water-today"
ARRIVED = 9  # of today's confirmed registrations
GATES = ("Гол хаалга", "Хойд хаалга")


def _staff(organiser, event: Event) -> None:
    if event.created_by_id == organiser.id or db.session.scalar(select(EventStaff).where(
            EventStaff.event_id == event.id, EventStaff.user_id == organiser.id)):
        return
    db.session.add(EventStaff(event_id=event.id, user_id=organiser.id))
    db.session.commit()


def _arrival_times(count: int, now: datetime) -> list[datetime]:
    """Spread over the last hour, but not before local midnight (the scan must be today)."""
    earliest, _end = local_day_bounds(local_date(now))
    return [max(now - timedelta(minutes=7 * (count - n)), earliest) for n in range(count)]


def seed_checkin_demo() -> int:
    """Returns how many demo check-ins were recorded now (0 on a second run)."""
    organiser = find_user_by_email(ORGANISER)
    if organiser is None:
        return 0
    events = {slug: db.session.scalar(select(Event).where(Event.slug == slug))
              for slug in STAFFED}
    for event in events.values():
        if event is not None:
            _staff(organiser, event)
    event = events.get(TODAY)
    now = utcnow()
    if event is None or not runs_on(event, local_date(now)):
        return 0
    tickets = db.session.scalars(
        select(Ticket).join(Registration, Registration.id == Ticket.registration_id)
        .where(Registration.event_id == event.id,
               Registration.state == RegistrationState.CONFIRMED,
               Ticket.revoked_at.is_(None))
        .order_by(Registration.id).limit(ARRIVED)).all()
    made = 0
    for n, (ticket, moment) in enumerate(zip(tickets, _arrival_times(len(tickets), now),
                                             strict=True)):
        outcome = check_in(ticket.code, event=event, device=None, staff=organiser,
                           nonce=f"demo-checkin-{ticket.id}", gate=GATES[n % len(GATES)],
                           now=moment)
        made += not outcome.replayed
    return made
