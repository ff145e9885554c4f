"""The answer to a scan, and every message a scan can get (one place, both languages).

An answer is always built from the stored CheckIn row, so a request repeated with the same
nonce gets exactly the first answer back.
"""

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...core.reference import STAKEHOLDER_LABELS
from ...extensions import db
from ...i18n import local_datetime, localized
from ...registration.models import Registration, RegistrationState
from ..entry import local_iso
from ..models import RESULT_LABELS, CheckIn, CheckInResult

# A held seat has no ticket until the person confirms it from their e-mail (registration holds).
HELD_AT_THE_DOOR = _l("This seat is only held: the person has not confirmed it from their "
                      "e-mail, so there is no ticket. They can confirm it now from the e-mail "
                      "on their phone; otherwise register them as a walk-in once it expires.")


@dataclass
class CheckInOutcome:
    result: CheckInResult
    message: str
    attendee: dict | None = None
    previous: dict | None = None
    other_event: dict | None = None
    checkin_id: int | None = None
    conflict: bool = False
    replayed: bool = False  # the nonce was seen before: this is the first answer again

    @property
    def admitted(self) -> bool:
        return self.result == CheckInResult.ADMITTED

    def as_json(self) -> dict:
        """The API shape. `replayed` is left out so that a retried request gets a byte-for-byte
        identical answer."""
        return {
            "result": self.result.value,
            "label": str(RESULT_LABELS[self.result]),
            "message": self.message,
            "attendee": self.attendee,
            "previous": self.previous,
            "other_event": self.other_event,
            "checkin_id": self.checkin_id,
            "conflict": self.conflict,
        }


def stakeholder_label(kind: str | None) -> str:
    label = STAKEHOLDER_LABELS.get(kind)
    return str(label) if label is not None else (kind or "")


def attendee_of(registration: Registration) -> dict:
    return {
        "registration_id": registration.id,
        "name": registration.name,
        "stakeholder_kind": registration.stakeholder_kind,
        "stakeholder_label": stakeholder_label(registration.stakeholder_kind),
        "organisation": registration.organisation,
        "accessibility_needs": registration.accessibility_needs,
    }


def where_of(row: CheckIn) -> str | None:
    """The gate, else the session's title."""
    if row.gate:
        return row.gate
    if row.session is None:
        return None
    return localized(row.session, "title") or None


def who_of(row: CheckIn) -> str | None:
    if row.staff is not None:
        return row.staff.name
    return row.device.name if row.device is not None else None


def standing_before(row: CheckIn) -> CheckIn | None:
    """The admission that stood when `row` (an already-checked-in scan) was recorded: the
    latest admission of the same ticket and scope before it."""
    if row.ticket_id is None:
        return None
    return db.session.scalar(
        select(CheckIn).where(CheckIn.ticket_id == row.ticket_id, CheckIn.scope == row.scope,
                              CheckIn.result == CheckInResult.ADMITTED.value,
                              CheckIn.id < row.id)
        .order_by(CheckIn.id.desc()).limit(1))


def _previous(standing: CheckIn | None) -> dict | None:
    if standing is None:
        return None
    return {"at": local_iso(standing.scanned_at), "gate": where_of(standing),
            "by": who_of(standing), "checkin_id": standing.id}


def _already_message(row: CheckIn, standing: CheckIn | None) -> str:
    if standing is None:
        return _("Already checked in.")
    values = {"time": local_datetime(standing.scanned_at),
              "where": where_of(standing) or "", "by": who_of(standing) or ""}
    if values["where"] and values["by"]:
        text = _("Already checked in at %(time)s, %(where)s, by %(by)s.", **values)
    elif values["by"]:
        text = _("Already checked in at %(time)s by %(by)s.", **values)
    else:
        text = _("Already checked in at %(time)s.", **values)
    if row.conflict:
        text = _("Admitted on two devices while offline: counted once.") + " " + text
    return text


def result_message(row: CheckIn, registration: Registration | None,
                   standing: CheckIn | None = None) -> str:
    """`standing`: for "already", the admission that stands (found once by the caller)."""
    result = CheckInResult(row.result)
    if result == CheckInResult.ADMITTED:
        return _("Admitted: %(name)s", name=registration.name)
    if result == CheckInResult.ALREADY:
        return _already_message(row, standing)
    if result == CheckInResult.WRONG_EVENT:
        return _("This ticket is for another event: %(title)s.",
                 title=localized(registration.event, "title"))
    if result == CheckInResult.CANCELLED:
        return _("This registration was cancelled: the ticket is not valid.")
    if result == CheckInResult.NOT_CONFIRMED:
        if registration is not None and registration.state == RegistrationState.WAITLISTED:
            return _("This person is on the waiting list and has no seat yet.")
        if registration is not None and registration.state == RegistrationState.HELD:
            return HELD_AT_THE_DOOR
        return _("This registration is awaiting the organisers' approval.")
    if result == CheckInResult.NOT_TODAY:
        if row.session_id is not None:
            return _("This session is not running today.")
        return _("This event is not running today.")
    return _("Unknown code: this is not a ticket of this forum.")


def outcome_from_row(row: CheckIn, *, replayed: bool = False,
                     registration: Registration | None = None) -> CheckInOutcome:
    """The answer for a stored scan. `registration`: its ticket's, when the caller read it
    already (any object with the registration's attributes used here; the model itself for
    another event's ticket), else read through the row."""
    result = CheckInResult(row.result)
    if registration is None and row.ticket is not None:
        registration = row.ticket.registration
    standing = standing_before(row) if result == CheckInResult.ALREADY else None
    outcome = CheckInOutcome(result=result, message=result_message(row, registration, standing),
                             checkin_id=row.id, conflict=row.conflict, replayed=replayed)
    if registration is None:
        return outcome
    if result == CheckInResult.WRONG_EVENT:
        # Name the other event; the attendee belongs to that event's organisers.
        outcome.other_event = {"id": registration.event_id,
                               "title": localized(registration.event, "title")}
    else:
        outcome.attendee = attendee_of(registration)
    if result == CheckInResult.ALREADY:
        outcome.previous = _previous(standing)
    return outcome
