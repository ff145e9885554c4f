"""One home for the rules of plain text input: the text cleaner and the phone pattern."""

import re

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from ..errors import DomainError

# Digits with spaces or dashes, an optional leading +, and a digit first: 6 to 20 characters.
PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 \-]{5,19}$")
PHONE_MESSAGE = _l("Please enter a phone number of digits, for example 99112233.")


def clean_text(value, field: str, limit: int, *, required=None, single_line: bool = False,
               truncate: bool = False, too_long=None) -> str | None:
    """Stripped text, or None when empty. `single_line`: every run of whitespace becomes one
    space. Longer than `limit`: DomainError "too_long" on `field` (the message `too_long`,
    a lazy string with %(n)d, else a general one), or cut to `limit` when `truncate`. Empty
    and `required` (a message): DomainError "required"."""
    text = "" if value is None else str(value)
    text = " ".join(text.split()) if single_line else text.strip()
    if len(text) > limit:
        if not truncate:
            raise DomainError(_too_long(too_long, limit), "too_long", field)
        text = text[:limit].rstrip()
    if not text and required is not None:
        raise DomainError(required, "required", field)
    return text or None


def _too_long(message, limit: int):
    if message is None:
        return _l("This text is too long: at most %(limit)d characters.", limit=limit)
    return LazyString(lambda: str(message) % {"n": limit})


def is_phone(value: str | None) -> bool:
    return bool(value) and PHONE_PATTERN.match(value) is not None


def initials(name: str | None, letters: int = 2) -> str:
    """The first letters of a name's first words, upper case ("Сарангэрэл Зохион" -> "СЗ"):
    what a phone's header shows in place of a long name."""
    return "".join(word[0] for word in (name or "").split()[:letters]).upper()
