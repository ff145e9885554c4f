"""A guest who lost their ticket asks for it again with the e-mail address or phone number
they registered with. Every registration of that person that still counts (active, for an
event not ended or ended lately) gets its link again, sent to the address on the
registration only, never to the one asking. A seat still to be confirmed gets its
confirmation mail again instead (holds.resend_confirmation).

Whoever asks learns nothing: the caller answers the same whether anything was found, and the
mails leave after the answer (notifications.deliver_after_answer)."""

import re
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select

from ...accounts.services import normalise_email
from ...core.text import is_phone
from ...events.models import Event
from ...extensions import db
from ...i18n import utcnow
from ..models import ACTIVE_STATES, Registration
from ..validation import EMAIL_PATTERN
from .holds import resend_confirmation
from .seats import notify

# A ticket is still asked for a little after the event (a certificate, the feedback survey).
RECENT = timedelta(days=14)
MAX_RESENT = 20  # one person's registrations; beyond this it is not a person
COUNTRY_CODE = "976"  # Mongolia: "+976 9911 2233" and "99112233" are one number
TEMPLATE = "lost_ticket"


def is_contact(text: str | None) -> bool:
    """An e-mail address or a phone number, as the registration form accepts them."""
    text = (text or "").strip()
    return bool(EMAIL_PATTERN.match(text) or is_phone(text))


def contact_key(text: str) -> str:
    """One spelling per address or number (the rate limit's key; never logged)."""
    text = text.strip()
    return normalise_email(text) if "@" in text else "tel:" + _national(_digits(text))


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _national(digits: str) -> str:
    long = digits.startswith(COUNTRY_CODE) and len(digits) > 8
    return digits[len(COUNTRY_CODE):] if long else digits


def _stored_digits():
    """The registration's phone as digits only, in SQL (stored as typed: spaces, dashes, +)."""
    phone = Registration.phone
    for mark in (" ", "-", "+"):
        phone = func.replace(phone, mark, "")
    return phone


def _matches(key: str):
    if not key.startswith("tel:"):
        return Registration.email == key  # stored normalised (validation.validate_input)
    national = key.removeprefix("tel:")
    return or_(_stored_digits() == national, _stored_digits() == COUNTRY_CODE + national)


def registrations_for_contact(contact: str, now: datetime) -> list[Registration]:
    """The person's registrations that still count and have an address to write to."""
    return list(db.session.scalars(
        select(Registration).join(Event, Registration.event_id == Event.id)
        .where(Event.ends_at >= now - RECENT, Registration.state.in_(list(ACTIVE_STATES)),
               Registration.email.is_not(None), _matches(contact_key(contact)))
        .order_by(Event.starts_at, Registration.id).limit(MAX_RESENT)))


def resend_lost_tickets(contact: str, now: datetime | None = None) -> int:
    """Send each found registration its link again (a seat not yet confirmed: its
    confirmation mail). Returns how many were sent, for tests: never show it to the asker."""
    found = registrations_for_contact(contact, now or utcnow())
    for registration in found:
        if registration.proven_at is None:
            resend_confirmation(registration)
        else:
            notify(registration, TEMPLATE)
            db.session.commit()
    return len(found)
