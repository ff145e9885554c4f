"""Check-ins at the door and the devices that scan."""

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, and_, literal_column, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..i18n import utcnow


class CheckInResult(StrEnum):
    ADMITTED = "admitted"
    ALREADY = "already_checked_in"
    UNKNOWN = "unknown"
    CANCELLED = "cancelled"
    NOT_CONFIRMED = "not_confirmed"
    WRONG_EVENT = "wrong_event"
    NOT_TODAY = "not_today"


RESULT_LABELS = {
    CheckInResult.ADMITTED: _l("Admitted"),
    CheckInResult.ALREADY: _l("Already checked in"),
    CheckInResult.UNKNOWN: _l("Unknown code"),
    CheckInResult.CANCELLED: _l("Registration cancelled"),
    CheckInResult.NOT_CONFIRMED: _l("Not confirmed"),
    CheckInResult.WRONG_EVENT: _l("Ticket for another event"),
    CheckInResult.NOT_TODAY: _l("Event not running today"),
}
# A standing admission, as the partial unique index below says it: a query that states it in
# these very words (not with bound values) can read that index (checked_in_ticket_ids).
ADMITTED_SQL = text("result = 'admitted' AND annulled_at IS NULL")


class Device(db.Model):
    """A phone or scanner allowed to check people in at one event. Only the token's hash is
    stored; the token is shown once."""

    __tablename__ = "devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    event = relationship("Event")
    created_by = relationship("User")

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class CheckIn(db.Model):
    """Every scan, failed ones included."""

    __tablename__ = "checkins"
    __table_args__ = (
        # Exactly one standing admission per ticket and entry scope, under any concurrency.
        Index("uq_checkins_admitted_once", "ticket_id", "scope", unique=True,
              sqlite_where=ADMITTED_SQL, postgresql_where=ADMITTED_SQL),
        Index("ix_checkins_event_time", "event_id", "created_at"),
        # The live figures' admissions per 10 minutes of the last 3 hours, by the scan's time.
        Index("ix_checkins_event_scanned", "event_id", "scanned_at"),
        # When an admission of the event was last annulled: the offline pack's version.
        Index("ix_checkins_event_annulled", "event_id", "annulled_at"),
        # A ticket's scans and whether one admission stands, read from the index alone.
        Index("ix_checkins_ticket_result", "ticket_id", "result", "annulled_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # A retried request carries the same nonce and gets the first answer back.
    nonce: Mapped[str] = mapped_column(String(64), unique=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="SET NULL"))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("event_sessions.id", ondelete="SET NULL"))
    gate: Mapped[str | None] = mapped_column(String(60))
    # What one admission covers: "event", "day:YYYY-MM-DD" (local date) or "session:<id>".
    scope: Mapped[str] = mapped_column(String(40))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id", ondelete="SET NULL"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    code_scanned: Mapped[str] = mapped_column(String(80))
    result: Mapped[str] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When the scan happened on the device (differs from created_at for offline scans).
    scanned_at: Mapped[datetime] = mapped_column(default=utcnow)
    offline: Mapped[bool] = mapped_column(default=False)
    # An offline admission whose ticket was already admitted elsewhere: reported, not counted.
    conflict: Mapped[bool] = mapped_column(default=False)
    annulled_at: Mapped[datetime | None]
    annulled_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    annul_reason: Mapped[str | None] = mapped_column(Text)

    ticket = relationship("Ticket")
    device = relationship("Device")
    staff = relationship("User", foreign_keys=[staff_id])
    session = relationship("EventSession")


# A standing admission, as literals (not bound values) so that the planner may match it
# against the partial index's condition.
ADMITTED_STANDING = and_(CheckIn.result == literal_column(f"'{CheckInResult.ADMITTED.value}'"),
                         CheckIn.annulled_at.is_(None))
