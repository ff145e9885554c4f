"""ASCII slugs for event addresses, Mongolian Cyrillic transliterated to Latin."""

import re
import unicodedata

from sqlalchemy import select

from ..extensions import db
from .models import Event

# Mongolian Cyrillic (and Russian letters) to Latin, close to the common everyday spelling.
CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "j", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "ө": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ү": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ы": "y", "ь": "i", "э": "e", "ю": "yu",
    "я": "ya",
}
MAX_LENGTH = 80
# Paths under /events/ that a slug must not shadow.
RESERVED = {"new", "manage", "feed", "feed-ics", "register"}


def transliterate(text: str) -> str:
    text = "".join(CYRILLIC.get(ch, ch) for ch in (text or "").lower())
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", transliterate(text)).strip("-")
    return slug[:MAX_LENGTH].rstrip("-")


def unique_slug(title: str) -> str:
    base = slugify(title) or "event"
    if base in RESERVED:
        base = f"{base}-event"
    taken = set(db.session.scalars(select(Event.slug).where(
        (Event.slug == base) | Event.slug.like(f"{base}-%"))))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
