"""What the door staff look up: attendees by name, phone, e-mail or part of the code, and the
live figures of the entrance."""

from datetime import datetime, timedelta

from sqlalchemy import func, select

from ...events.models import Event
from ...extensions import db
from ...i18n import utcnow
from ...registration.models import Registration, RegistrationState, Ticket
from ...registration.search import matching
from ..entry import current_scopes, local_iso
from ..models import ADMITTED_SQL, RESULT_LABELS, CheckIn, CheckInResult
from .outcome import stakeholder_label
from .scan import one_line

MAX_QUERY = 100
BUCKET = timedelta(minutes=10)
WINDOW = timedelta(hours=3)
RECENT = 10


def _standing(event: Event):
    return (CheckIn.event_id == event.id, CheckIn.result == CheckInResult.ADMITTED.value,
            CheckIn.annulled_at.is_(None))


def _counting(event: Event, now: datetime) -> list:
    """Standing admissions that count now: per day today's, per session today's sessions'."""
    return [*_standing(event), CheckIn.scope.in_(current_scopes(event, now))]


def checked_in_ticket_ids(event: Event, ticket_ids: list[int],
                          now: datetime | None = None) -> set[int]:
    """Those of `ticket_ids` that are checked in now."""
    if not ticket_ids:
        return set()
    # Read from the partial unique index (ticket, scope) of standing admissions, whatever the
    # number of the event's check-ins. The event is not asked again: a ticket is only ever
    # admitted at its own event (a scan elsewhere is "wrong event"), and naming it would make
    # SQLite, which keeps no statistics, walk the event's index of every check-in instead.
    return set(db.session.scalars(select(CheckIn.ticket_id).where(
        ADMITTED_SQL, CheckIn.ticket_id.in_(ticket_ids),
        CheckIn.scope.in_(current_scopes(event, now or utcnow())))))


# --- search ----------------------------------------------------------------------------------

def mask_phone(phone: str | None) -> str | None:
    if not phone:
        return None
    digits = sum(ch.isdigit() for ch in phone)
    shown, seen = [], 0
    for ch in phone:
        if ch.isdigit():
            seen += 1
            shown.append(ch if seen > digits - 4 else "•")
        else:
            shown.append(ch)
    return "".join(shown)


def mask_email(email: str | None) -> str | None:
    if not email or "@" not in email:
        return None
    local, domain = email.rsplit("@", 1)
    return f"{local[:1]}•••@{domain}"


def search_attendees(event: Event, query: str, limit: int = 20) -> list[dict]:
    """The event's registrations matching what was typed (registration.search.matching: the
    start of a word of the name, e-mail or organisation, case-insensitive also in Cyrillic;
    the first or last digits of the phone; the start of the ticket code), names in
    alphabetical order."""
    text = one_line(query)[:MAX_QUERY]
    if not text:
        return []
    rows = db.session.execute(
        select(Registration, Ticket).outerjoin(Ticket, Ticket.registration_id == Registration.id)
        .where(Registration.event_id == event.id, matching(event.id, text, codes=True))
        .order_by(Registration.name, Registration.id).limit(max(1, min(limit, 100)))).all()
    admitted = checked_in_ticket_ids(event, [ticket.id for _, ticket in rows if ticket])
    return [{
        "registration_id": registration.id,
        "name": registration.name,
        "organisation": registration.organisation,
        "stakeholder_kind": registration.stakeholder_kind,
        "stakeholder_label": stakeholder_label(registration.stakeholder_kind),
        "accessibility_needs": registration.accessibility_needs,
        "phone": mask_phone(registration.phone),
        "email": mask_email(registration.email),
        "state": registration.state,
        "state_label": str(registration.state_label),
        "code": ticket.code if ticket is not None and ticket.revoked_at is None else None,
        "checked_in": ticket is not None and ticket.id in admitted,
    } for registration, ticket in rows]


# --- live figures ----------------------------------------------------------------------------

def _floor(moment: datetime) -> datetime:
    return moment.replace(minute=moment.minute - moment.minute % 10, second=0, microsecond=0)


def _per_10_minutes(event: Event, now: datetime) -> list[dict]:
    last = _floor(now)
    first = last - WINDOW + BUCKET
    times = db.session.scalars(select(CheckIn.scanned_at).where(
        *_standing(event), CheckIn.scanned_at >= first, CheckIn.scanned_at <= now))
    counts: dict[datetime, int] = {}
    for moment in times:
        counts[_floor(moment)] = counts.get(_floor(moment), 0) + 1
    buckets, start = [], first
    while start <= last:
        buckets.append({"at": local_iso(start), "count": counts.get(start, 0)})
        start += BUCKET
    return buckets


def _recent(event: Event) -> list[dict]:
    rows = db.session.execute(
        select(CheckIn, Registration.name)
        .outerjoin(Ticket, Ticket.id == CheckIn.ticket_id)
        .outerjoin(Registration, Registration.id == Ticket.registration_id)
        .where(CheckIn.event_id == event.id)
        .order_by(CheckIn.created_at.desc(), CheckIn.id.desc()).limit(RECENT)).all()
    return [{
        "id": row.id,
        "at": local_iso(row.scanned_at),
        "result": row.result,
        "label": str(RESULT_LABELS[CheckInResult(row.result)]),
        # Another event's attendee is not named here.
        "name": name if row.result != CheckInResult.WRONG_EVENT.value else None,
        "gate": row.gate,
        "annulled": row.annulled_at is not None,
        "conflict": row.conflict,
    } for row, name in rows]


def live_figures(event: Event, now: datetime | None = None) -> dict:
    """Checked in (now: today's scope per day or session) / confirmed / capacity, admissions
    per 10 minutes over the last 3 hours, checked in by stakeholder kind, the last 10 scans."""
    now = now or utcnow()
    by_kind = dict(db.session.execute(
        select(Registration.stakeholder_kind, func.count(func.distinct(CheckIn.ticket_id)))
        .join(Ticket, Ticket.id == CheckIn.ticket_id)
        .join(Registration, Registration.id == Ticket.registration_id)
        .where(*_counting(event, now)).group_by(Registration.stakeholder_kind)).all())
    confirmed = db.session.scalar(select(func.count(Registration.id)).where(
        Registration.event_id == event.id, Registration.state == RegistrationState.CONFIRMED))
    return {
        "checked_in": sum(by_kind.values()),
        "confirmed": confirmed,
        "capacity": event.capacity,
        "per_10_minutes": _per_10_minutes(event, now),
        "by_stakeholder": by_kind,
        "recent": _recent(event),
        "at": local_iso(now),
    }
