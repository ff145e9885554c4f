"""Registrations (with an account or as a guest), their tickets and answers."""

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
    literal_column,
    text,
)
from sqlalchemy.orm import Mapped, Session, attributes, mapped_column, relationship

from ..core.redaction import ErasableName
from ..core.text import MAX_TERM, search_terms
from ..extensions import db
from ..i18n import utcnow


class RegistrationState(StrEnum):
    PENDING_APPROVAL = "pending_approval"
    # A seat held for a person whose e-mail is not proven yet, until hold_expires_at: the link
    # in the mail confirms it; an unconfirmed hold expires and frees the seat.
    HELD = "held"
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    DECLINED = "declined"
    EXPIRED = "expired"  # a hold nobody confirmed in time

    @property
    def label(self):
        return REGISTRATION_STATE_LABELS[self]


REGISTRATION_STATE_LABELS = {
    RegistrationState.PENDING_APPROVAL: _l("Awaiting approval"),
    RegistrationState.CONFIRMED: _l("Confirmed"),
    RegistrationState.WAITLISTED: _l("On the waiting list"),
    RegistrationState.CANCELLED: _l("Cancelled"),
    RegistrationState.DECLINED: _l("Declined"),
    RegistrationState.HELD: _l("Seat held: e-mail not confirmed yet"),
    RegistrationState.EXPIRED: _l("Hold expired"),
}
ACTIVE_STATES = (RegistrationState.PENDING_APPROVAL, RegistrationState.HELD,
                 RegistrationState.CONFIRMED, RegistrationState.WAITLISTED)
# The states that occupy a seat, i.e. count in events.confirmed_count.
SEATED_STATES = (RegistrationState.HELD, RegistrationState.CONFIRMED)
# The condition of the partial unique index below. SQLite uses that index only for a query
# that repeats the condition with literal values (see `is_active_sql`), not bound parameters.
ACTIVE_SQL = text("state IN ('pending_approval', 'held', 'confirmed', 'waitlisted')")

GENDERS = {"female": _l("Female"), "male": _l("Male"), "other": _l("Other"),
           "undisclosed": _l("Prefer not to say")}
AGE_BANDS = ["under-18", "18-24", "25-34", "35-44", "45-54", "55-64", "65+"]
AGE_BAND_LABELS = {"under-18": _l("under 18"), "65+": _l("65 and over")}  # others read as-is


class Registration(ErasableName, db.Model):
    __tablename__ = "registrations"
    __table_args__ = (
        # One active registration per person and event; cancelled ones may register again.
        Index("uq_registrations_active_person", "event_id", "person_key", unique=True,
              sqlite_where=ACTIVE_SQL, postgresql_where=ACTIVE_SQL),
        Index("ix_registrations_event_state", "event_id", "state", "id"),
        # The holds of an event past their time, found without walking its live holds: every
        # registration looks for them inside the write lock, and a rush makes thousands.
        Index("ix_registrations_event_hold_expiry", "event_id", "state", "hold_expires_at"),
        # The attendee list's order (a deep page skips index entries, not rows) and who took
        # part, counted from the index alone (reports.figures).
        Index("ix_registrations_event_id", "event_id", "id"),
        # When a registration of the event last changed: the offline pack's version.
        Index("ix_registrations_event_updated", "event_id", "updated_at"),
        Index("ix_registrations_event_people", "event_id", "state", "stakeholder_kind",
              "gender", "age_band", "district_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                index=True)
    # "user:<id>", else the normalised e-mail, else the normalised phone.
    person_key: Mapped[str] = mapped_column(String(260))
    # Read and written as `name`: "former participant" once erased (see `name`).
    stored_name: Mapped[str] = mapped_column("name", String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(5), default="mn")
    state: Mapped[str] = mapped_column(String(20))
    stakeholder_kind: Mapped[str] = mapped_column(String(20), default="citizen")
    organisation: Mapped[str | None] = mapped_column(String(200))
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"))
    gender: Mapped[str | None] = mapped_column(String(20))
    age_band: Mapped[str | None] = mapped_column(String(10))
    accessibility_needs: Mapped[str | None] = mapped_column(Text)
    consent_version: Mapped[str] = mapped_column(String(20))
    consent_at: Mapped[datetime]
    source: Mapped[str] = mapped_column(String(20), default="web")  # web, api, walk_in, staff
    # The private manage link's token is HMAC(SECRET_KEY, manage_secret), so every e-mail can
    # carry the same link again; only its SHA-256 is searchable.
    manage_secret: Mapped[str] = mapped_column(String(64))
    manage_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    decision_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    confirmed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    # Set when the personal fields were erased (on request, or by retention after the event);
    # the non-identifying fields stay for the statistics.
    erased_at: Mapped[datetime | None]
    # When the person was shown to be real: the e-mail's confirmation link followed, a verified
    # account's own address, or staff registering them. None: a seat given to it is a hold.
    proven_at: Mapped[datetime | None]
    hold_expires_at: Mapped[datetime | None]  # state "held" only

    event = relationship("Event", lazy="joined")
    user = relationship("User")
    district = relationship("District")
    ticket: Mapped["Ticket | None"] = relationship(back_populates="registration", uselist=False)
    answers: Mapped[list["Answer"]] = relationship(
        back_populates="registration", cascade="all, delete-orphan")
    search_terms: Mapped[list["RegistrationSearchTerm"]] = relationship(
        back_populates="registration", cascade="all, delete-orphan", passive_deletes=True)

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def is_held(self) -> bool:
        return self.state == RegistrationState.HELD

    @property
    def state_label(self):
        return REGISTRATION_STATE_LABELS[RegistrationState(self.state)]


def is_active_sql():
    """registrations.state IN ('pending_approval', ...), the values written into the SQL as in
    ACTIVE_SQL: the partial unique index's own condition, so SQLite can read that index (the
    duplicate check at 100,000 registrations reads one entry instead of the event's rows).
    Constant SQL, so a statement using it is compiled once, not on each execution."""
    return Registration.__table__.c.state.in_(
        [literal_column(f"'{state.value}'") for state in ACTIVE_STATES])


class Ticket(db.Model):
    """The entry pass of a confirmed registration. The code carries no personal data."""

    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), unique=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    registration: Mapped[Registration] = relationship(back_populates="ticket")

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None and self.registration.state == RegistrationState.CONFIRMED


class Answer(db.Model):
    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("registration_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    # text: str; single: option index; multiple: [indexes]; yes_no: bool
    value: Mapped[object] = mapped_column(JSON)

    registration: Mapped[Registration] = relationship(back_populates="answers")
    question = relationship("Question")


# Binary (code-point) order on both databases, so a prefix is a range of the index.
TERM_TYPE = String(MAX_TERM).with_variant(String(MAX_TERM, collation="C"), "postgresql")
SEARCHED_FIELDS = ("stored_name", "email", "phone", "organisation")


class RegistrationSearchTerm(db.Model):
    """A folded word a registration is found by (core.text.search_terms), kept by the flush
    below whenever a registration is written: an attendee or door search reads only the index
    entries that start with what was typed, whatever the size of the event."""

    __tablename__ = "registration_search_terms"
    __table_args__ = (Index("ix_registration_search_terms_lookup", "event_id", "term",
                            "registration_id"),)

    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), primary_key=True)
    term: Mapped[str] = mapped_column(TERM_TYPE, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))

    registration: Mapped[Registration] = relationship(back_populates="search_terms")


def terms_of(registration) -> set[str]:
    """What `registration` (a row, or a dict of its columns) is found by; nothing once erased."""
    get = registration.get if isinstance(registration, dict) else \
        lambda name: getattr(registration, name)
    if get("erased_at"):
        return set()
    return search_terms(get("name") if isinstance(registration, dict) else get("stored_name"),
                        get("organisation"), get("email"), get("phone"), phone=get("phone"))


def _search_fields_changed(registration: Registration) -> bool:
    state = attributes.instance_state(registration)
    return state.key is None or any(state.attrs[name].history.has_changes()
                                    for name in (*SEARCHED_FIELDS, "erased_at"))


@event.listens_for(Session, "before_flush")
def _keep_search_terms(session, flush_context, instances) -> None:
    for registration in [*session.new, *session.dirty]:
        if isinstance(registration, Registration) and _search_fields_changed(registration):
            wanted = terms_of(registration)
            kept = [row for row in registration.search_terms if row.term in wanted]
            have = {row.term for row in kept}
            registration.search_terms = kept + [RegistrationSearchTerm(term=term)
                                                for term in sorted(wanted - have)]


@event.listens_for(RegistrationSearchTerm, "before_insert")
def _term_event(mapper, connection, term: RegistrationSearchTerm) -> None:
    term.event_id = term.registration.event_id
