"""The period a report covers: Darkhan calendar days, from and to inclusive, and an optional
event kind; read from a query string, with a message per bad field."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l

from ..events.models import EventKind
from ..i18n import local_date, local_to_utc, utcnow

MAX_DAYS = 366 * 10  # ten years: longer than the programme, short enough to stay cheap
FIRST_YEAR = 2000


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    kind: str | None = None

    @property
    def utc_start(self) -> datetime:
        """Darkhan's midnight opening the first day, as the naive UTC we store."""
        return local_to_utc(datetime.combine(self.start, time()))

    @property
    def utc_end(self) -> datetime:
        """Darkhan's midnight after the last day (exclusive)."""
        return local_to_utc(datetime.combine(self.end + timedelta(days=1), time()))

    def months(self) -> list[str]:
        """Every calendar month the period touches, "YYYY-MM", in order."""
        months, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            months.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months

    def query(self) -> dict:
        values = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        return values | ({"kind": self.kind} if self.kind else {})


def default_period(today: date) -> Period:
    """This year so far."""
    return Period(date(today.year, 1, 1), today)


def _day(text: str | None) -> date | None:
    text = (text or "").strip()
    if len(text) != 10:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if day.year >= FIRST_YEAR else None


def parse_period(args, today: date) -> tuple[Period, dict]:
    """The period of ?from=YYYY-MM-DD&to=YYYY-MM-DD&kind=; a missing end is filled from the
    default. errors maps each bad field to its message (and the default is returned)."""
    fallback, errors = default_period(today), {}
    start, end = fallback.start, fallback.end
    if args.get("from"):
        start = _day(args.get("from"))
        if start is None:
            errors["from"] = _l("Please give a date as YYYY-MM-DD.")
    if args.get("to"):
        end = _day(args.get("to"))
        if end is None:
            errors["to"] = _l("Please give a date as YYYY-MM-DD.")
    kind = (args.get("kind") or "").strip() or None
    if kind is not None and kind not in {k.value for k in EventKind}:
        errors["kind"] = _l("Please choose a kind of event from the list.")
    if not errors:
        if end < start:
            errors["to"] = _l("The end of the period must not be before its start.")
        elif (end - start).days >= MAX_DAYS:
            errors["to"] = _l("Please choose a period of at most ten years.")
    if errors:
        return fallback, errors
    return Period(start, end, kind), errors


def requested_period(args) -> tuple[Period, dict, date]:
    """The period a request asks for, its errors, and Darkhan's today."""
    today = local_date(utcnow())
    period, errors = parse_period(args, today)
    return period, errors, today
