"""The few SQL expressions that SQLite and PostgreSQL spell differently: a stored UTC time
as Darkhan's calendar day or month, and the days between two times."""

from datetime import datetime

from sqlalchemy import Date, Float, cast, func, literal_column

from ..extensions import db
from ..i18n import LOCAL_ZONE


def _hours() -> int:
    # Mongolia keeps UTC+8 all year (no summer time since 2017).
    return int(LOCAL_ZONE.utcoffset(datetime(2026, 1, 1)).total_seconds() // 3600)


def _sqlite() -> bool:
    return db.session.get_bind().dialect.name == "sqlite"


def _shifted(column):
    return column + literal_column(f"interval '{_hours()} hours'")


def local_day(column):
    """The Darkhan calendar day of a naive UTC timestamp column."""
    if _sqlite():
        return func.date(column, f"+{_hours()} hours")
    return cast(_shifted(column), Date)


def local_month(column):
    """"YYYY-MM" of a naive UTC timestamp column, in Darkhan."""
    if _sqlite():
        return func.strftime("%Y-%m", column, f"+{_hours()} hours")
    return func.to_char(_shifted(column), "YYYY-MM")


def days_between(later, earlier):
    """Days (with fractions) from `earlier` to `later`."""
    if _sqlite():
        return cast(func.julianday(later) - func.julianday(earlier), Float)
    return cast(func.extract("epoch", later - earlier), Float) / 86400.0
