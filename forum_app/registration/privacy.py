"""Registrations' part of "My data", and erasing a registration's personal fields: on a
guest's request (the manage link), with the account, or by retention after the event. The
non-identifying fields (state, stakeholder kind, gender, age band, district, the ticket and
its check-ins, choice answers) stay, so every figure keeps counting the same."""

import secrets
from calendar import monthrange
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from ..core.personal import iso, row_dict
from ..core.redaction import traces_of
from ..core.signals import personal_data_erasing, personal_data_requested, purge_requested
from ..core.tokens import hash_token
from ..events.models import Event, QuestionKind
from ..extensions import db
from ..i18n import localized, utcnow
from ..notifications.privacy import erase_outbox
from .models import Registration
from .services import cancel_registration

REGISTRATION_FIELDS = ("id", "name", "email", "phone", "language", "state",
                       "stakeholder_kind", "organisation", "gender", "age_band",
                       "accessibility_needs", "consent_version", "consent_at", "source",
                       "decision_reason", "created_at", "confirmed_at", "cancelled_at")
RETENTION_BATCH = 50  # registrations erased (and committed) together by purge-expired


def erase_fields(registration: Registration, now: datetime) -> set[str]:
    """Blanks what identifies the person on `registration` (the manage link stops working);
    returns the texts that identified them, for redacting copies elsewhere. No commit."""
    traces = traces_of(registration.stored_name, registration.email, registration.phone)
    registration.stored_name = ""
    registration.email = registration.phone = registration.organisation = None
    registration.accessibility_needs = registration.decision_reason = None
    registration.person_key = f"erased:{registration.id}"
    registration.manage_secret = secrets.token_urlsafe(24)
    registration.manage_token_hash = hash_token(secrets.token_urlsafe(32))
    for answer in list(registration.answers):
        if answer.question is None or answer.question.kind == QuestionKind.TEXT:
            registration.answers.remove(answer)
    registration.erased_at = registration.erased_at or now
    return traces


def _cancel_if_ahead(registration: Registration, actor, now: datetime) -> None:
    """A registration for an event still ahead ends first, so its seat goes to the waiting
    list (the existing cancellation, which commits and promotes)."""
    if registration.is_active and now < registration.event.starts_at:
        cancel_registration(registration, actor=actor, reason=None, now=now)


def erase_registrations(registrations: list[Registration], *, actor=None,
                        now: datetime | None = None) -> int:
    """Erases these registrations (a guest's request, or retention) and, through the packages
    above, every copy of their names; commits once at the end. Returns how many."""
    now = now or utcnow()
    traces: set[str] = set()
    for registration in registrations:
        _cancel_if_ahead(registration, actor, now)
        traces |= erase_fields(registration, now)
    personal_data_erasing.send(current_app._get_current_object(), user=None,
                               registrations=registrations, traces=traces)
    db.session.commit()
    return len(registrations)


def _of_user(user) -> list[Registration]:
    return list(db.session.scalars(select(Registration).where(
        Registration.user_id == user.id).order_by(Registration.id)))


@personal_data_erasing.connect
def erase_account_registrations(sender, user=None, registrations=(), traces=frozenset()):
    """The account is being deleted: its registrations are erased like a guest's."""
    if user is None:
        return "registrations", 0
    now = utcnow()
    rows = _of_user(user)
    found = set()
    for registration in rows:
        _cancel_if_ahead(registration, user, now)
        found |= erase_fields(registration, now)
    erase_outbox(found | set(traces))  # the cancellation mails just queued too
    return "registrations", len(rows)


def registration_held(registration: Registration) -> dict:
    ticket = registration.ticket
    return row_dict(registration, REGISTRATION_FIELDS) | {
        "event": localized(registration.event, "title"),
        "event_starts_at": iso(registration.event.starts_at),
        "district": localized(registration.district, "name") if registration.district else None,
        "answers": [{"question": localized(a.question, "label"), "value": a.value}
                    for a in registration.answers],
        "ticket": row_dict(ticket, ("code", "created_at", "revoked_at")) if ticket else None,
    }


@personal_data_requested.connect
def registrations_held(sender, user):
    return "registrations", [registration_held(r) for r in _of_user(user)]


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the month's last day when it is
    shorter)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def erase_expired_registrations(months: int, now: datetime | None = None) -> int:
    """Retention: the personal answers of registrations whose event ended more than `months`
    months ago are erased, in batches; running it again finds nothing more."""
    now = now or utcnow()
    query = (select(Registration).join(Event, Event.id == Registration.event_id)
             .where(Event.ends_at < months_before(now, months),
                    Registration.erased_at.is_(None))
             .order_by(Registration.id).limit(RETENTION_BATCH))
    erased = 0
    while batch := list(db.session.scalars(query)):
        erased += erase_registrations(batch, now=now)
    return erased


@purge_requested.connect
def purge_expired_registrations(sender, older_than) -> str:
    months = current_app.config["REGISTRATION_RETENTION_MONTHS"]
    return (f"erased the personal answers of {erase_expired_registrations(months)} "
            f"registrations of events that ended over {months} months ago")
