"""One home for the rules of plain text input: the text cleaner and the phone pattern."""

import re

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from ..database import fold
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


# --- search keys -------------------------------------------------------------------------------
# A search box finds a person by the start of any word of their name, organisation or e-mail,
# by the first or the last digits of their phone: what people type at a desk. The words are
# stored (folded) beside the row, so a search reads only the matching index entries.

WORD = re.compile(r"\w+")
PHONE_QUERY = re.compile(r"^\+?[0-9][0-9 \-]*$")
MAX_TERM = 60
BACKWARDS = "~"  # marks a phone's digits stored last digit first (found by their end)


def phone_digits(text: str | None) -> str:
    """The digits of a phone number as typed (spaces, dashes and "+" dropped)."""
    return "".join(ch for ch in text or "" if ch.isascii() and ch.isdigit())


def search_terms(*texts, phone: str | None = None) -> set[str]:
    """The folded words `texts` are found by, and a phone's digits read from either end."""
    terms = {word[:MAX_TERM] for text in texts for word in WORD.findall(fold(text))}
    digits = phone_digits(phone)
    if digits:
        terms |= {digits[:MAX_TERM], BACKWARDS + digits[::-1][:MAX_TERM]}
    return terms


def search_words(query: str | None) -> list[tuple[str, ...]]:
    """What a typed query asks for: per word, the term beginnings that satisfy it (a number
    matches a phone's first or last digits). Every word must be satisfied; no word, no match."""
    text = fold(query).strip()
    if PHONE_QUERY.match(text):
        digits = phone_digits(text)
        return [(digits[:MAX_TERM], BACKWARDS + digits[::-1][:MAX_TERM])]
    words = [word[:MAX_TERM] for word in WORD.findall(text)]
    return [(word, BACKWARDS + word[::-1]) if word.isascii() and word.isdigit() else (word,)
            for word in words]
