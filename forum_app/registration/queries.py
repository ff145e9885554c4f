"""What a signed-in person reads about their own registrations (no changes here)."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import defaultload

from ..events.models import Event
from ..extensions import db
from .models import ACTIVE_STATES, Registration


@dataclass
class MyRegistrations:
    upcoming: list[Registration]
    past: list[Registration]


# Built once (a signed-in person's page; only the person differs). Event tags are not shown.
_REGISTRATIONS_OF = (
    select(Registration).join(Event, Registration.event_id == Event.id)
    .where(Registration.user_id == bindparam("user_id"))
    .options(defaultload(Registration.event).lazyload(Event.tag_rows))
    .order_by(Event.starts_at, Registration.id))


def registrations_of(user, now: datetime) -> MyRegistrations:
    """The person's registrations: events not yet ended (soonest first), then ended ones."""
    rows = db.session.scalars(_REGISTRATIONS_OF, {"user_id": user.id}).unique().all()
    upcoming = [r for r in rows if r.event.ends_at >= now]
    past = [r for r in reversed(rows) if r.event.ends_at < now]
    return MyRegistrations(upcoming, past)


def own_registration(user, registration_id: int) -> Registration | None:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.user_id != user.id:
        return None
    return registration


def active_registration_of(user, event: Event) -> Registration | None:
    return db.session.scalar(select(Registration).where(
        Registration.event_id == event.id, Registration.user_id == user.id,
        Registration.state.in_(list(ACTIVE_STATES))).order_by(Registration.id.desc()).limit(1))


def latest_registrations_of(user, limit: int) -> list[Registration]:
    """The person's `limit` newest registrations, newest first (for the API)."""
    return list(db.session.scalars(select(Registration).where(Registration.user_id == user.id)
                                   .order_by(Registration.id.desc()).limit(limit)))
