"""Demo check-ins: the demo organiser (events/demo.py staffs them) is at the door of today's
forum and a few people are already in, through the real service (idempotent: fixed nonces, so a second run adds nothing)."""

from datetime import datetime, timedelta

from sqlalchemy import select

from ..accounts.services import find_user_by_email
from ..events.models import Event
from ..extensions import db
from ..i18n import recorded_at, utcnow
from ..registration.models import Registration, RegistrationState, Ticket
from .entry import local_date, runs_on
from .services import check_in

ORGANISER = "organiser@demo.forum.mn"
TODAY = "dcf-clean-water-today"
ARRIVED = 9  # of today's confirmed guests (the demo citizen's ticket is left for the tour)
GATES = ("Гол хаалга", "Хойд хаалга")


def _arrival_times(count: int, event: Event, now: datetime) -> list[datetime]:
    """Spread over the last hour, but within the event's hours: not before its doors open."""
    return [max(now - timedelta(minutes=7 * (count - n)), event.starts_at)
            for n in range(count)]


def seed_checkin_demo() -> int:
    """Returns how many demo check-ins were recorded now (0 on a second run)."""
    organiser = find_user_by_email(ORGANISER)
    if organiser is None:
        return 0
    event = db.session.scalar(select(Event).where(Event.slug == TODAY))
    now = utcnow()
    if event is None or not runs_on(event, local_date(now)) \
            or not event.starts_at <= now <= event.ends_at:
        return 0
    tickets = db.session.scalars(
        select(Ticket).join(Registration, Registration.id == Ticket.registration_id)
        .where(Registration.event_id == event.id,
               Registration.state == RegistrationState.CONFIRMED,
               Registration.user_id.is_(None), Ticket.revoked_at.is_(None))
        .order_by(Registration.id).limit(ARRIVED)).all()
    made = 0
    arrivals = _arrival_times(len(tickets), event, now)
    for n, (ticket, moment) in enumerate(zip(tickets, arrivals, strict=True)):
        with recorded_at(moment):
            outcome = check_in(ticket.code, event=event, device=None, staff=organiser,
                               nonce=f"demo-checkin-{ticket.id}", gate=GATES[n % len(GATES)],
                               now=moment)
        made += not outcome.replayed
    return made
