"""Finding an event's registrations by what a person types (core.text.search_words): every
word must begin a word of the name, organisation or e-mail, or a number the first or last
digits of the phone; at the door also the start of the ticket code. Each word is a range of an
index (the search terms', the codes'), so a search reads only the matching entries, on SQLite
and PostgreSQL alike, whatever the size of the event."""

from sqlalchemy import false, intersect, select, union

from ..core.text import search_words
from ..database import starts_with
from .models import Registration, RegistrationSearchTerm, Ticket
from .tickets import CODE_PREFIX, normalise_code

MIN_CODE_FRAGMENT = 4  # characters of the code after its "DF1-"


def matching(event_id: int, query: str | None, *, codes: bool = False):
    """A condition on Registration: it matches every word of `query`, or (`codes`) its ticket's
    code begins with it. Never true for a blank or symbol-only query."""
    found = [_having_terms(event_id, search_words(query))]
    if codes:
        found.append(_having_code(query))
    found = [ids for ids in found if ids is not None]
    if not found:
        return false()
    return Registration.id.in_(found[0] if len(found) == 1 else _ids(union(*found)))


def _having_terms(event_id: int, words: list[tuple[str, ...]]):
    if not words:
        return None
    per_word = [_one_of(event_id, beginnings) for beginnings in words]
    return per_word[0] if len(per_word) == 1 else _ids(intersect(*per_word))


def _one_of(event_id: int, beginnings: tuple[str, ...]):
    """Registrations with a term beginning with one of `beginnings`: one index range each (an
    OR of ranges in one WHERE would make SQLite read the event's every term)."""
    Term = RegistrationSearchTerm
    ranges = [select(Term.registration_id).where(Term.event_id == event_id,
                                                 starts_with(Term.term, text))
              for text in beginnings]
    return ranges[0] if len(ranges) == 1 else _ids(union(*ranges))


def _ids(compound):
    """A compound select as a plain one, so it can sit inside another compound."""
    inner = compound.subquery()
    return select(inner.c.registration_id)


def _having_code(query: str | None):
    """Registrations whose ticket code begins with `query` (with or without "DF1-")."""
    fragment = normalise_code(query or "").removeprefix(CODE_PREFIX)
    if len(fragment) < MIN_CODE_FRAGMENT:
        return None
    return select(Ticket.registration_id).where(starts_with(Ticket.code, CODE_PREFIX + fragment))
