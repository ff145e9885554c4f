"""Checking a ticket in: one function for the scanner page, the API, offline sync and tests.

Exactly once: a partial UNIQUE index on checkins allows one standing admission per ticket and
scope. The admission is simply inserted and the database refuses a second one, whatever the
concurrency (SQLite: BEGIN IMMEDIATE serialises writers; PostgreSQL: the index, and the ticket
row lock against a cancellation at the same moment). The nonce is UNIQUE too, so a repeated
request finds its first answer and adds nothing.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from ...audit.services import record_event
from ...core.redaction import shown_name
from ...database import MAX_ID, begin_write, commit_keeping_loaded
from ...errors import DomainError
from ...events.models import Event, EventSession
from ...events.services import can_manage
from ...extensions import db
from ...i18n import utcnow
from ...registration.models import Registration, RegistrationState, Ticket
from ...registration.services import AlreadyRegistered, RegistrationInput, register
from ...registration.tickets import looks_like_code, normalise_code
from ..entry import EntryMode, local_date, runs_on, scope_for
from ..models import CheckIn, CheckInResult, Device
from .outcome import CheckInOutcome, outcome_from_row

MAX_NONCE = 64
MAX_GATE = 60
MAX_CODE_STORED = 80
MAX_REASON = 1000
ANNUL_WINDOW = timedelta(minutes=15)
ATTEMPTS = 3  # an admission refused by the index is retried as "already"; once more if annulled
ENDED_STATES = (RegistrationState.CANCELLED, RegistrationState.DECLINED,
                RegistrationState.EXPIRED)


# --- input -----------------------------------------------------------------------------------

def one_line(text) -> str:
    """Text on one line without control characters (PostgreSQL refuses NUL); "" if not text."""
    if not isinstance(text, str):
        return ""
    return " ".join("".join(ch for ch in text if ch.isprintable() or ch.isspace()).split())


def clean_nonce(nonce) -> str:
    if not isinstance(nonce, str) or not 1 <= len(nonce) <= MAX_NONCE \
            or not nonce.isprintable() or not nonce.strip():
        raise DomainError(_l("Each scan needs an id of 1 to %(n)d characters.", n=MAX_NONCE),
                          "bad_nonce", "nonce")
    return nonce


def clean_gate(gate, *, truncate: bool = False) -> str | None:
    """A gate's name on one line. A scan refuses one that is not plain text or too long; a
    page's address keeps its first MAX_GATE characters (`truncate`), so a link never fails."""
    if gate is None:
        return None
    if not isinstance(gate, str) or not (truncate or gate.isprintable()):
        raise DomainError(_l("Please name the gate in plain text."), "bad_gate", "gate")
    gate = " ".join(gate.split())
    if len(gate) > MAX_GATE and not truncate:
        raise DomainError(_l("The gate's name is too long (at most %(n)d characters).",
                             n=MAX_GATE), "bad_gate", "gate")
    return gate[:MAX_GATE] or None


def session_of(event: Event, session_id) -> EventSession | None:
    """The session scanned for; required when the event admits per session."""
    if session_id is None:
        if event.entry_mode == EntryMode.SESSION:
            raise DomainError(_l("Please choose the session you are checking people in for."),
                              "session_required", "session_id")
        return None
    valid = isinstance(session_id, int) and not isinstance(session_id, bool) \
        and 0 < session_id <= MAX_ID
    session = db.session.get(EventSession, session_id) if valid else None
    if session is None or session.event_id != event.id:
        raise DomainError(_l("There is no such session at this event."), "bad_session",
                          "session_id")
    return session


def _check_scanner(event: Event, device: Device | None, staff) -> None:
    """A scan comes from an active device of this event or from one of its organisers."""
    if device is not None:
        if device.event_id != event.id or not device.is_active:
            raise DomainError(_l("This device may not check people in at this event."),
                              "forbidden")
    elif not can_manage(staff, event):
        raise DomainError(_l("You cannot check people in at this event."), "forbidden")


def _stored_code(code: str) -> str:
    return "".join(ch for ch in code if ch.isprintable())[:MAX_CODE_STORED]


def _moment(now: datetime, scanned_at: datetime | None, offline: bool) -> datetime:
    """When the scan happened: the device's time for an offline scan (never in the future)."""
    if not offline or scanned_at is None:
        return now
    if scanned_at.tzinfo is not None:
        scanned_at = scanned_at.astimezone(UTC).replace(tzinfo=None)
    return min(scanned_at, now)


def replay_of(nonce: str, event_id: int, code_scanned: str | None = None) -> CheckInOutcome | None:
    """The first answer to this nonce, if it was seen before."""
    row = db.session.scalar(select(CheckIn).where(CheckIn.nonce == nonce))
    if row is None:
        return None
    if row.event_id != event_id or (code_scanned is not None and row.code_scanned != code_scanned):
        raise DomainError(_l("This scan id was already used for another scan."),
                          "nonce_reused", "nonce")
    return outcome_from_row(row, replayed=True)


# --- the rules -------------------------------------------------------------------------------

def ticket_standing(ticket: Ticket, registration: Registration) -> CheckInResult:
    """What the ticket itself allows, whatever the day: CANCELLED, NOT_CONFIRMED or ADMITTED.
    The offline pack carries this too, so a phone without network judges the same way."""
    return standing_of(ticket.revoked_at, registration.state)


def standing_of(revoked_at: datetime | None, state: str) -> CheckInResult:
    """ticket_standing on plain values (a ticket's revoked_at, its registration's state)."""
    if revoked_at is not None or state in ENDED_STATES:
        return CheckInResult.CANCELLED
    if state != RegistrationState.CONFIRMED:
        return CheckInResult.NOT_CONFIRMED
    return CheckInResult.ADMITTED


@dataclass(frozen=True)
class ScannedTicket:
    """A ticket and its registration as a scan reads them: plain columns of one row (what the
    judgement and the answer need), read inside the write lock."""

    ticket_id: int
    revoked_at: datetime | None
    id: int  # the registration's
    event_id: int
    state: str
    stored_name: str
    erased_at: datetime | None
    stakeholder_kind: str | None
    organisation: str | None
    accessibility_needs: str | None

    @property
    def name(self) -> str | None:
        return shown_name(self.stored_name, self.erased_at)


_TICKETS, _REGISTRATIONS = Ticket.__table__, Registration.__table__
# One statement, compiled once: the ticket of a code with its registration's columns. It locks
# the ticket (PostgreSQL; SQLite has the write lock) against a cancellation committing now.
TICKET_OF_CODE = (
    select(_TICKETS.c.id.label("ticket_id"), _TICKETS.c.revoked_at, _REGISTRATIONS.c.id,
           _REGISTRATIONS.c.event_id, _REGISTRATIONS.c.state,
           _REGISTRATIONS.c.name.label("stored_name"), _REGISTRATIONS.c.erased_at,
           _REGISTRATIONS.c.stakeholder_kind, _REGISTRATIONS.c.organisation,
           _REGISTRATIONS.c.accessibility_needs)
    .join(_REGISTRATIONS, _REGISTRATIONS.c.id == _TICKETS.c.registration_id)
    .where(_TICKETS.c.code == bindparam("code")).with_for_update(of=_TICKETS))
INSERT_SCAN = insert(CheckIn.__table__)


def _judge(ticket: ScannedTicket | None, event: Event, session: EventSession | None,
           moment: datetime) -> CheckInResult:
    """Every rule but "already": unknown, wrong event, cancelled, not confirmed, not today."""
    if ticket is None:
        return CheckInResult.UNKNOWN
    if ticket.event_id != event.id:
        return CheckInResult.WRONG_EVENT
    standing = standing_of(ticket.revoked_at, ticket.state)
    if standing != CheckInResult.ADMITTED:
        return standing
    day = local_date(moment)
    if not runs_on(event, day):
        return CheckInResult.NOT_TODAY
    if event.entry_mode == EntryMode.SESSION and session is not None \
            and not runs_on(session, day):
        return CheckInResult.NOT_TODAY
    return CheckInResult.ADMITTED


def _standing_admission(ticket_id: int, scope: str) -> CheckIn | None:
    return db.session.scalar(select(CheckIn).where(
        CheckIn.ticket_id == ticket_id, CheckIn.scope == scope,
        CheckIn.result == CheckInResult.ADMITTED.value, CheckIn.annulled_at.is_(None)))


def _new_row(connection, code: str, values: dict, event: Event,
             session: EventSession | None, refused: bool, offline_admitted: bool,
             offline_refused: str | None = None) -> tuple[CheckIn, ScannedTicket | None]:
    """The row for this scan (not yet stored) and its ticket, decided inside the write
    transaction. `refused`: the index has just refused an admission of this ticket, so look
    for the standing one. `offline_refused`: the phone turned the person away offline (its
    result), so the server must not count them in now; a ticket the server would have
    admitted is then reported as a conflict."""
    found = connection.execute(TICKET_OF_CODE, {"code": code}).first() \
        if looks_like_code(code) else None
    ticket = ScannedTicket(*found) if found is not None else None
    result = _judge(ticket, event, session, values["scanned_at"])
    if result == CheckInResult.ADMITTED and refused \
            and _standing_admission(ticket.ticket_id, values["scope"]) is not None:
        result = CheckInResult.ALREADY
    conflict = result == CheckInResult.ALREADY and offline_admitted
    if result == CheckInResult.ADMITTED and offline_refused:
        local = {r.value for r in CheckInResult} - {CheckInResult.ADMITTED.value}
        result = CheckInResult(offline_refused if offline_refused in local
                               else CheckInResult.NOT_CONFIRMED.value)
        conflict = True
    row = CheckIn(**values, ticket_id=ticket.ticket_id if ticket else None,
                  result=result.value, conflict=conflict)
    return row, ticket


def _stored(connection, row: CheckIn) -> None:
    """INSERT the scan's row as one Core statement (no unit of work); its new id is set."""
    state = row.__dict__
    values = {column.key: state.get(column.key) for column in CheckIn.__table__.columns
              if column.key != "id"}
    row.id = connection.execute(INSERT_SCAN, values).inserted_primary_key[0]


def _outcome(row: CheckIn, ticket: ScannedTicket | None) -> CheckInOutcome:
    """The answer to a scan just stored; another event's ticket names that event (read)."""
    registration = ticket
    if ticket is not None and row.result == CheckInResult.WRONG_EVENT.value:
        registration = db.session.get(Registration, ticket.id)
    return outcome_from_row(row, registration=registration)


def record_scan(code: str, *, event: Event, device: Device | None, staff, nonce: str,
                gate: str | None = None, session_id: int | None = None,
                scanned_at: datetime | None = None, offline: bool = False,
                now: datetime | None = None, offline_admitted: bool = False,
                offline_refused: str | None = None) -> CheckInOutcome:
    """check_in(), and for offline sync: `offline_admitted` marks a scan the device admitted
    on its own; if the server already had an admission it is recorded as a conflict.
    `offline_refused` is the device's own result when it turned the person away.

    One write transaction of two statements (the ticket read and locked, the scan inserted:
    SQLAlchemy Core, no unit of work). A nonce seen before is refused by its UNIQUE index
    like a second admission; the first answer is then read back and nothing is added."""
    now = now or utcnow()
    nonce, gate = clean_nonce(nonce), clean_gate(gate)
    session = session_of(event, session_id)
    _check_scanner(event, device, staff)
    code = normalise_code(code if isinstance(code, str) else "")
    moment = _moment(now, scanned_at, offline)
    values = {"nonce": nonce, "event_id": event.id, "gate": gate, "offline": offline,
              "session_id": session.id if session else None,
              "scope": scope_for(event, session, moment),
              "device_id": device.id if device else None,
              "staff_id": getattr(staff, "id", None), "code_scanned": _stored_code(code),
              "created_at": now, "scanned_at": moment}
    refused = False
    for _attempt in range(ATTEMPTS):
        # What was read before (the event, its session) is not read again inside the lock:
        # the ticket is, and the unique indexes judge "already" and a repeated nonce.
        begin_write(keep_loaded=True)
        connection = db.session.connection()
        row, ticket = _new_row(connection, code, values, event, session, refused,
                               offline_admitted, offline_refused)
        try:
            _stored(connection, row)
        except IntegrityError:
            db.session.rollback()
            replay = replay_of(nonce, values["event_id"], values["code_scanned"])
            if replay is not None:
                return replay  # the same request again (or at the same moment): its answer
            refused = True
            continue
        outcome = _outcome(row, ticket)
        commit_keeping_loaded()
        return outcome
    raise RuntimeError("check-in kept colliding")  # three admissions annulled meanwhile


def check_in(code: str, *, event: Event, device: Device | None, staff, nonce: str,
             gate: str | None = None, session_id: int | None = None,
             scanned_at: datetime | None = None, offline: bool = False,
             now: datetime | None = None) -> CheckInOutcome:
    """Check the ticket with `code` in at `event` and record the scan, whatever its result.

    Raises DomainError only for bad input (codes "bad_nonce", "nonce_reused", "bad_gate",
    "bad_session", "session_required") or a scanner without rights ("forbidden"); every
    judgement of the ticket is an outcome."""
    return record_scan(code, event=event, device=device, staff=staff, nonce=nonce, gate=gate,
                       session_id=session_id, scanned_at=scanned_at, offline=offline, now=now)


# --- undo ------------------------------------------------------------------------------------

def annul_check_in(actor, checkin: CheckIn, reason: str,
                   now: datetime | None = None) -> CheckIn:
    """An organiser takes an admission back within 15 minutes, with a reason; the ticket can
    then be admitted again."""
    now = now or utcnow()
    event = db.session.get(Event, checkin.event_id)
    if not can_manage(actor, event):
        raise DomainError(_l("You cannot manage this event."), "forbidden")
    if checkin.result != CheckInResult.ADMITTED.value:
        raise DomainError(_l("Only an admission can be annulled."), "not_admitted")
    if checkin.annulled_at is not None:
        raise DomainError(_l("This check-in has already been annulled."), "already_annulled")
    if now - checkin.created_at > ANNUL_WINDOW:
        raise DomainError(_l("A check-in can only be annulled within 15 minutes."), "too_late")
    reason = one_line(reason)
    if not reason:
        raise DomainError(_l("Please give a reason."), "reason_required", "reason")
    if len(reason) > MAX_REASON:
        raise DomainError(_l("Please keep the reason under %(n)d characters.", n=MAX_REASON),
                          "reason_too_long", "reason")
    checkin_id = checkin.id
    begin_write()
    changed = db.session.execute(
        update(CheckIn).where(CheckIn.id == checkin_id, CheckIn.annulled_at.is_(None))
        .values(annulled_at=now, annulled_by_id=actor.id, annul_reason=reason)
        .execution_options(synchronize_session=False))
    if changed.rowcount != 1:
        db.session.rollback()
        raise DomainError(_l("This check-in has already been annulled."), "already_annulled")
    checkin = db.session.get(CheckIn, checkin_id)
    db.session.refresh(checkin)
    record_event(actor, checkin, "checkin.annulled",
                 before={"result": checkin.result, "annulled": False},
                 after={"annulled": True, "ticket_id": checkin.ticket_id,
                        "scope": checkin.scope}, reason=reason)
    db.session.commit()
    return checkin


# --- walk-ins --------------------------------------------------------------------------------

def walk_in(event: Event, staff, data: RegistrationInput, *, device: Device | None = None,
            gate: str | None = None, session_id: int | None = None,
            over_capacity_reason: str | None = None, nonce: str,
            now: datetime | None = None) -> CheckInOutcome:
    """Register a person at the door and check them in, in one step. A full event stays full
    unless an organiser gives `over_capacity_reason` (recorded). Raises the registration's
    errors (DomainError "invalid" with fields, AlreadyRegistered, DomainError "full") unchanged."""
    now = now or utcnow()
    nonce, gate = clean_nonce(nonce), clean_gate(gate)
    session_of(event, session_id)
    _check_scanner(event, device, staff)
    replay = replay_of(nonce, event.id)
    if replay is not None:
        return replay  # the same walk-in sent again: no second registration
    if not runs_on(event, local_date(now)):
        raise DomainError(_l("This event is not running today: walk-ins are registered on "
                             "the day."), "not_today")
    try:
        registration, _token = register(event, data, at_the_door=True, source="walk_in",
                                        over_capacity_reason=over_capacity_reason,
                                        actor=staff, now=now)
    except AlreadyRegistered:
        replay = replay_of(nonce, event.id)  # the same walk-in sent twice at once
        if replay is not None:
            return replay
        raise
    return record_scan(registration.ticket.code, event=event, device=device, staff=staff,
                       nonce=nonce, gate=gate, session_id=session_id, now=now)


def purge_unknown_scans(older_than: timedelta) -> int:
    """Scans of codes that are no ticket (typos, other QR codes, guesses) are kept only a
    while: `flask purge-expired` deletes those older than `older_than`; returns how many."""
    result = db.session.execute(delete(CheckIn).where(
        CheckIn.result == CheckInResult.UNKNOWN.value,
        CheckIn.created_at < utcnow() - older_than))
    db.session.commit()
    return result.rowcount
