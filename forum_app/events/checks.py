"""Checks of single values shared by the event services."""

from flask_babel import lazy_gettext as _l

from ..errors import DomainError

MAX_CAPACITY = 1_000_000


def clean_text(value, field: str, limit: int) -> str | None:
    """Stripped text or None; DomainError on `field` when longer than `limit`."""
    if value is None:
        return None
    value = str(value).strip()
    if len(value) > limit:
        raise DomainError(_l("This text is too long: at most %(limit)d characters.",
                             limit=limit), "too_long", field)
    return value or None


def check_capacity(value, field: str = "capacity") -> int | None:
    """None (no limit) or a whole number from 0 up."""
    if value in (None, ""):
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_CAPACITY:
        raise DomainError(_l("The capacity must be a whole number of 0 or more, or empty "
                             "for no limit."), "bad_capacity", field)
    return value
