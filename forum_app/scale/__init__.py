"""`flask seed-scale`: realistic data at the size of a busy year, on top of the demo data, in
a few bulk transactions, so that speed can be measured where it matters (benchmarks/)."""

import random
import time
from datetime import datetime

from sqlalchemy import select

from ..accounts.models import User
from ..checkin.models import CheckIn
from ..core.models import District
from ..events.models import Event, EventKind
from ..extensions import db
from ..i18n import LOCAL_ZONE
from ..issues.models import Issue, IssueSdg, OfficialAnswer, Support
from ..registration.models import Registration, Ticket
from .bulk import move_sequences, refresh_statistics
from .checkins import add_checkins
from .events import BIG_SLUG, existing_events, make_events
from .forum import MODELS as FORUM_MODELS
from .forum import add_forum_record
from .issues import add_issues
from .people import People
from .registrations import add_accounts, add_registrations

ORGANISER = "organiser@demo.forum.mn"
TABLES = (User, Event, Registration, Ticket, CheckIn, Issue, IssueSdg, Support, OfficialAnswer,
          *FORUM_MODELS)


def already_seeded() -> bool:
    return db.session.scalar(select(Event.id).where(Event.slug == BIG_SLUG)) is not None


def seed_scale(registrations: int, issues: int, checkins: int, seed: int = 2026,
               events: int = 100, agenda_items: int | None = None):
    """Yields a line per step (with its time). A later call adds to the same big event, and
    `events` more smaller ones (the command itself runs once)."""
    chooser = random.Random(seed)  # noqa: S311  # nosec B311  # the same data every time
    started = time.monotonic()

    def done(what: str) -> str:
        return f"{what} ({time.monotonic() - started:.1f} s)"

    districts = dict(db.session.execute(select(District.slug, District.id)).all())
    people = People(chooser, districts)
    organiser_id = db.session.scalar(select(User.id).where(User.email == ORGANISER))
    today = datetime.now(LOCAL_ZONE).date()
    accounts = add_accounts(people, max(registrations // 20, 10), chooser)
    big, earlier = existing_events()
    big, others = make_events(chooser, today, organiser_id, events, big)
    others += earlier
    yield done(f"accounts: {len(accounts)}, events: {1 + len(others)}")
    tickets = add_registrations(registrations, big, others, people, accounts, chooser)
    db.session.commit()
    yield done(f"registrations: {registrations} ({len(tickets)} confirmed with a ticket), "
               f"the big event: {BIG_SLUG}")
    events = {event.id: event for event in (big, *others)}
    made = add_checkins(checkins, tickets, events, chooser)
    db.session.commit()
    yield done(f"check-ins: {made}")
    forums = [event for event in (big, *others) if event.kind == EventKind.CITY_FORUM.value]
    issue_rows = add_issues(issues, accounts, [event.id for event in forums], chooser)
    db.session.commit()
    yield done(f"issues: {len(issue_rows)}")
    items = add_forum_record(forums, issue_rows,
                             issues // 40 if agenda_items is None else agenda_items, chooser)
    move_sequences(*(model.__table__ for model in TABLES))
    db.session.commit()
    refresh_statistics()
    yield done(f"forum record: {items} agenda items")
