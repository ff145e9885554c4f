"""Shared shapes for "My data" sections: plain JSON values, times in UTC ISO format."""

from datetime import date, datetime


def iso(moment: datetime | date | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def row_dict(row, fields: tuple[str, ...]) -> dict:
    """The named attributes of `row` as JSON-ready values."""
    return {field: iso(value) if isinstance(value, datetime | date) else value
            for field in fields for value in [getattr(row, field)]}
