"""Helpers shared by the check-in tests: events that run on a given local day, people
registered through the real service, and device tokens."""

import hashlib
import uuid
from datetime import UTC, date, datetime, time, timedelta

from forum_app.checkin.devices import create_device
from forum_app.checkin.entry import LOCAL_ZONE, local_date
from forum_app.events.models import Event
from forum_app.extensions import db
from forum_app.i18n import utcnow
from forum_app.registration.models import Registration
from forum_app.registration.services import RegistrationInput
from tests import factories
from tests.registration.support import register_confirmed

_people = iter(range(1, 1_000_000))


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """Naive UTC of a local (Asia/Ulaanbaatar) time."""
    moment = datetime.combine(day, time(hour, minute), tzinfo=LOCAL_ZONE)
    return moment.astimezone(UTC).replace(tzinfo=None)


def today() -> date:
    return local_date(utcnow())


def nonce() -> str:
    return uuid.uuid4().hex




def event_on(organiser, day: date | None = None, *, days: int = 1, entry_mode: str = "event",
             whole_day: bool = False, **values) -> Event:
    """A published event running on `day` (today by default) for `days` days, 09:00-18:00
    local, or all day long with `whole_day` (for requests that cannot pass `now`)."""
    day = day or today()
    starts, ends = (local(day, 0, 0), local(day + timedelta(days=days - 1), 23, 59)) \
        if whole_day else (local(day, 9), local(day + timedelta(days=days - 1), 18))
    event = factories.event(organiser, starts_at=starts, ends_at=ends, **values)
    if entry_mode != "event":
        event.entry_mode = entry_mode
        db.session.commit()
    return event


def person(event: Event, name: str | None = None, **values) -> Registration:
    """Someone registered (a day before the event) through the registration service."""
    n = next(_people)
    data = RegistrationInput(name=name or f"Оролцогч {n}", email=f"guest{n}@example.mn",
                             phone=f"9911{n:04d}", consent=True)
    for key, value in values.items():
        setattr(data, key, value)
    registration, _token = register_confirmed(event, data, now=event.starts_at - timedelta(days=1))
    return registration


def pack_entry(pack: dict, code: str) -> dict | None:
    """The offline pack's row of the ticket `code`, by field name, as a phone finds it (by
    the prefix of the code's SHA-256)."""
    prefix = hashlib.sha256(code.encode()).hexdigest()[:pack["hash_prefix"]]
    rows = [dict(zip(pack["fields"], row, strict=True)) for row in pack["entries"]]
    return next((row for row in rows if row["hash"] == prefix), None)


def device_token(organiser, event: Event, name: str = "Гол хаалга") -> str:
    return create_device(organiser, event, name)[1]
