"""What one admission covers, and which days an event or session runs (Asia/Ulaanbaatar)."""

from datetime import date, datetime, time, timedelta

from ..events.models import Event, EventSession
from ..i18n import LOCAL_ZONE, local_date, local_iso, local_to_utc  # noqa: F401 - re-exported


class EntryMode:
    EVENT = "event"
    DAY = "day"
    SESSION = "session"


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    """The naive UTC start and end of a local calendar day."""
    return (local_to_utc(datetime.combine(day, time(0))),
            local_to_utc(datetime.combine(day + timedelta(days=1), time(0))))


def runs_on(thing: Event | EventSession, day: date) -> bool:
    """An event or session runs on `day` when the day lies between its local start and end
    dates."""
    return local_date(thing.starts_at) <= day <= local_date(thing.ends_at)


def scope_for(event: Event, session: EventSession | None, moment: datetime) -> str:
    """"event", "day:YYYY-MM-DD" (local date of the scan) or "session:<id>"."""
    if event.entry_mode == EntryMode.DAY:
        return f"day:{local_date(moment).isoformat()}"
    if event.entry_mode == EntryMode.SESSION and session is not None:
        return f"session:{session.id}"
    return "event"


def current_scopes(event: Event, now: datetime) -> list[str]:
    """The scopes whose admissions count as "checked in now": per event the one scope, per
    day today's, per session those of today's sessions."""
    today = local_date(now)
    if event.entry_mode == EntryMode.DAY:
        return [f"day:{today.isoformat()}"]
    if event.entry_mode == EntryMode.SESSION:
        return [f"session:{s.id}" for s in event.sessions if runs_on(s, today)]
    return ["event"]
