"""One cursor for every list paged by key (database.seek): the position of a page's last row,
as opaque URL-safe text. It holds the list's name and the row's order keys as JSON; reading
one back checks that it is this list's and that each value has its key's type, so a cursor
that was cut, edited or made up is refused (ValueError), never an error of the database.
A cursor is only a position: whoever edits one sees no row the list's filters do not allow."""

import base64
import binascii
import json
import math
from collections.abc import Sequence
from datetime import UTC, date, datetime

from ..database import OrderKey

MAX_CURSOR = 600  # characters: far past any list's keys (a time, a number, an id)
MAX_TEXT_KEY = 300
LARGEST = 2**63 - 1  # what an integer column holds on both databases


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def encode_cursor(name: str, values: Sequence) -> str:
    raw = json.dumps({"l": name, "k": [_plain(value) for value in values]},
                     separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _integer(value) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and -LARGEST <= value <= LARGEST:
        return value
    raise ValueError(value)


def _number(value) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return value
    raise ValueError(value)


def _text(value) -> str:
    if isinstance(value, str) and len(value) <= MAX_TEXT_KEY:
        return value
    raise ValueError(value)


def _moment(value) -> datetime:
    moment = datetime.fromisoformat(_text(value))
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _day(value) -> date:
    return date.fromisoformat(_text(value))


READERS = {int: _integer, float: _number, str: _text, datetime: _moment, date: _day}


def _read(key: OrderKey, value):
    if value is None:
        if key.nullable:
            return None
        raise ValueError(value)
    return READERS[key.value_type](value)


def decode_cursor(name: str, order: Sequence[OrderKey], cursor: str | None) -> tuple | None:
    """The position a cursor of list `name` holds; None for no cursor (the first page).
    ValueError when it is not one this list gave."""
    if not cursor:
        return None
    if len(cursor) > MAX_CURSOR or not cursor.isascii():
        raise ValueError(cursor)
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        body = json.loads(raw.decode())
    except (binascii.Error, UnicodeDecodeError, ValueError, RecursionError):
        raise ValueError(cursor) from None
    if not isinstance(body, dict) or body.get("l") != name or set(body) != {"l", "k"}:
        raise ValueError(cursor)
    values = body["k"]
    if not isinstance(values, list) or len(values) != len(order):
        raise ValueError(cursor)
    return tuple(_read(key, value) for key, value in zip(order, values, strict=True))
