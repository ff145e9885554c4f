"""Registrations and their tickets: most for the big event, the rest spread over the others,
each from a person (a tenth with an account), with the states a real event ends up with."""

import random
import secrets
from collections import Counter
from datetime import datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import func, select, update

from ..accounts.models import User
from ..accounts.passwords import hash_password
from ..core.reference import PRIVACY_NOTICE_VERSION
from ..core.tokens import hash_token
from ..events.models import Event
from ..extensions import db
from ..registration.models import (
    Registration,
    RegistrationSearchTerm,
    RegistrationState,
    Ticket,
    terms_of,
)
from ..registration.services import manage_token
from ..registration.tickets import new_ticket_code
from .bulk import insert_rows, next_id
from .events import ScaleEvent
from .people import People

BIG_SHARE = 0.8  # of all registrations, for the big event
SINCE = datetime(2023, 1, 1)
ACCOUNT_SHARE = 10  # one registrant in ten has an account
STATES = [RegistrationState.CONFIRMED.value] * 90 + [RegistrationState.CANCELLED.value] * 6 + \
    [RegistrationState.WAITLISTED.value] * 2 + [RegistrationState.PENDING_APPROVAL.value] * 2


def add_accounts(people: People, count: int, chooser: random.Random) -> list[int]:
    """Citizen accounts for some registrants and authors, all with the hash of one random
    password nobody knows (hashing is slow on purpose); returns their ids. No commit."""
    first = next_id(User.__table__)
    unknown = hash_password(secrets.token_urlsafe(32))
    rows = []
    for n in range(count):
        person = people.person(first + n)
        joined = SINCE + timedelta(minutes=chooser.randint(0, 60 * 24 * 365 * 3))
        rows.append({"id": first + n, "email": person["email"], "name": person["name"],
                     "phone": person["phone"], "password_hash": unknown,
                     "language": person["language"],
                     "stakeholder_kind": person["stakeholder_kind"],
                     "organisation": person["organisation"],
                     "district_id": person["district_id"], "created_at": joined})
    insert_rows(User.__table__, rows)
    return [row["id"] for row in rows]


def _share(total: int, big: ScaleEvent, others: list[ScaleEvent],
           chooser: random.Random) -> list[ScaleEvent]:
    """Which event each registration is for."""
    big_count = int(total * BIG_SHARE) if others else total
    return [big] * big_count + [chooser.choice(others) for _ in range(total - big_count)]


def add_registrations(total: int, big: ScaleEvent, others: list[ScaleEvent], people: People,
                      accounts: list[int], chooser: random.Random) -> list[tuple[int, int, str]]:
    """Insert `total` registrations and a ticket for each confirmed one; returns (ticket id,
    event id, code) of the tickets. No commit."""
    first, first_ticket = next_id(Registration.__table__), next_id(Ticket.__table__)
    registrations, tickets, used_accounts = [], [], set()
    seats = Counter(dict(db.session.execute(select(Event.id, Event.confirmed_count).where(
        Event.id.in_([big.id, *(event.id for event in others)]))).all()))
    for n, event in enumerate(_share(total, big, others, chooser)):
        person = people.person(first + n)
        user_id = chooser.choice(accounts) if accounts and n % ACCOUNT_SHARE == 0 else None
        if (user_id, event.id) in used_accounts:
            user_id = None
        used_accounts.add((user_id, event.id))
        state = chooser.choice(STATES)
        if state == RegistrationState.CONFIRMED.value:
            if event.capacity is not None and seats[event.id] >= event.capacity:
                state = RegistrationState.WAITLISTED.value  # never more than capacity
            seats[event.id] += state == RegistrationState.CONFIRMED.value
        created = event.starts_at - timedelta(minutes=chooser.randint(60, 60 * 24 * 40))
        secret = secrets.token_urlsafe(24)
        registration_id = first + n
        registrations.append({
            "id": registration_id, "event_id": event.id, "user_id": user_id,
            "person_key": f"user:{user_id}" if user_id else person["email"], **person,
            "state": state, "consent_version": PRIVACY_NOTICE_VERSION, "consent_at": created,
            "source": "web" if n % 20 else "walk_in", "manage_secret": secret,
            "manage_token_hash": hash_token(manage_token(SimpleNamespace(manage_secret=secret))),
            "created_at": created,
            "updated_at": created,
            "confirmed_at": created if state == RegistrationState.CONFIRMED.value else None,
            "cancelled_at": created + timedelta(hours=5)
            if state == RegistrationState.CANCELLED.value else None})
        if state == RegistrationState.CONFIRMED.value:
            tickets.append({"id": first_ticket + len(tickets), "registration_id": registration_id,
                            "code": new_ticket_code(), "created_at": created})
    insert_rows(Registration.__table__, registrations)
    insert_rows(RegistrationSearchTerm.__table__, (
        {"registration_id": row["id"], "event_id": row["event_id"], "term": term}
        for row in registrations for term in terms_of(row)))
    insert_rows(Ticket.__table__, tickets)
    _count_seats([big, *others])
    by_registration = {r["id"]: r["event_id"] for r in registrations}
    return [(t["id"], by_registration[t["registration_id"]], t["code"]) for t in tickets]


def _count_seats(events: list[ScaleEvent]) -> None:
    """Event.confirmed_count is kept equal to the confirmed registrations."""
    confirmed = (select(func.count(Registration.id))
                 .where(Registration.event_id == Event.id,
                        Registration.state == RegistrationState.CONFIRMED.value)
                 .scalar_subquery())
    db.session.execute(update(Event).where(Event.id.in_([e.id for e in events]))
                       .values(confirmed_count=confirmed))
