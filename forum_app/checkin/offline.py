"""The offline pack a scanner keeps to verify tickets without network, and the sync of the
scans it queued meanwhile.

Ticket codes are in the pack only as the first HASH_PREFIX hex digits of their SHA-256, so a
lost phone does not carry valid codes. Two devices may both admit a ticket offline; on sync the
second is recorded as a conflict (result already_checked_in, conflict=True) and never counted
twice.

The pack is compact (one row per ticket: hash prefix, name, kind, organisation, access needs,
state, admitted scopes; the kinds' labels once), built from two plain queries, and kept per
worker as JSON and gzip bytes under its version. Its version (the ETag) comes from one query of
indexed maxima (when a registration or a scan of the event last changed) and the event's own
fields, so a phone asking "has it changed?" every minute costs almost nothing.
"""

import gzip
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..core.redaction import shown_name
from ..core.reference import StakeholderKind
from ..core.tokens import hash_token
from ..errors import DomainError
from ..events.models import Event
from ..extensions import db
from ..i18n import localized, utcnow
from ..registration.models import Registration, RegistrationState, Ticket
from .entry import local_date, local_iso
from .models import CheckIn, CheckInResult, Device
from .services.outcome import stakeholder_label
from .services.scan import record_scan, standing_of

MAX_SCANS = 500
PACK_FORMAT = 2
# 48 bits of each code's SHA-256: two of 100,000 tickets share a prefix with a chance of about
# 1 in 50,000, and a QR code that is no ticket matches one with a chance under 1 in 10^9; the
# server judges every scan again when it syncs.
HASH_PREFIX = 12
FIELDS = ["hash", "name", "kind", "organisation", "access", "state", "admitted"]
PACKS_KEPT = 8  # built packs a worker keeps (an event and a language each)
GZIP_LEVEL = 4  # of 100,000 tickets: about a tenth of the JSON, in a third of level 9's time


def _states() -> dict:
    """"valid", "cancelled" or "not_confirmed" (what scanner-offline.js reads) by registration
    state, and for a revoked ticket (key None): scan.standing_of, worked out once per pack."""
    def word(revoked_at, state) -> str:
        standing = standing_of(revoked_at, state)
        return "valid" if standing == CheckInResult.ADMITTED else standing.value

    return {None: word(utcnow(), RegistrationState.CONFIRMED.value)} | {
        state.value: word(None, state.value) for state in RegistrationState}


def _driver_rows(statement) -> list[tuple]:
    """The rows of `statement` as the database driver returns them (plain tuples, nothing
    converted), in the session's transaction: for 100,000 rows SQLAlchemy's own rows would
    cost more than the query."""
    connection = db.session.connection()
    compiled = statement.compile(dialect=connection.dialect)
    params = compiled.construct_params()
    if connection.dialect.positional:
        params = tuple(params[name] for name in compiled.positiontup)
    cursor = connection.connection.cursor()
    try:
        cursor.execute(str(compiled), params)
        return cursor.fetchall()
    finally:
        cursor.close()


def _admitted(event: Event) -> dict[int, list[str]]:
    admitted: dict[int, list[str]] = {}
    for ticket_id, scope in _driver_rows(select(CheckIn.ticket_id, CheckIn.scope).where(
            CheckIn.event_id == event.id, CheckIn.result == CheckInResult.ADMITTED.value,
            CheckIn.annulled_at.is_(None))):
        if ticket_id in admitted:
            admitted[ticket_id].append(scope)
        else:
            admitted[ticket_id] = [scope]
    return admitted


def _entries(event: Event) -> list[list]:
    admitted = _admitted(event)
    rows = _driver_rows(
        select(Ticket.id, Ticket.code, Ticket.revoked_at.is_not(None),
               Registration.stored_name, Registration.erased_at.is_not(None),
               Registration.stakeholder_kind,
               Registration.organisation, Registration.accessibility_needs,
               Registration.state)
        .join(Registration, Registration.id == Ticket.registration_id)
        .where(Registration.event_id == event.id).order_by(Ticket.id))
    states = _states()
    return [[hash_token(code)[:HASH_PREFIX], shown_name(name, erased), kind, organisation,
             access, states[None if revoked else state], sorted(admitted.get(ticket_id, ()))]
            for ticket_id, code, revoked, name, erased, kind, organisation, access, state
            in rows]


def _header(event: Event) -> dict:
    return {
        "format": PACK_FORMAT,
        "event_id": event.id,
        "title": localized(event, "title"),
        "entry_mode": event.entry_mode,
        "dates": {"start": local_date(event.starts_at).isoformat(),
                  "end": local_date(event.ends_at).isoformat()},
        "sessions": [{"id": session.id, "title": localized(session, "title"),
                      "start": local_iso(session.starts_at), "end": local_iso(session.ends_at),
                      "date": local_date(session.starts_at).isoformat()}
                     for session in event.sessions],
    }


def pack_version(event: Event) -> str:
    """The pack's version, without building it: the event's header (in the reader's language)
    and when the event, a registration or a scan of it last changed (and its newest
    registration), read in one query whose parts each come from an index."""
    changed = db.session.execute(select(
        select(Event.updated_at).where(Event.id == event.id).scalar_subquery(),
        select(func.max(Registration.updated_at))
        .where(Registration.event_id == event.id).scalar_subquery(),
        select(func.max(Registration.id))
        .where(Registration.event_id == event.id).scalar_subquery(),
        select(func.max(CheckIn.created_at))
        .where(CheckIn.event_id == event.id).scalar_subquery(),
        select(func.max(CheckIn.annulled_at))
        .where(CheckIn.event_id == event.id).scalar_subquery())).one()
    stamp = json.dumps([_header(event), str(get_locale()), *map(str, changed)],
                       sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(stamp.encode()).hexdigest()


def offline_pack(event: Event, version: str | None = None) -> dict:
    """{"format", "event_id", "version", "title", "entry_mode", "dates", "sessions",
    "generated_at", "hash_prefix", "fields", "kinds", "entries"}: each entry a list in the
    order of "fields"; "kinds" gives each stakeholder kind's label once; "dates" (local) and
    "sessions" let a phone judge "not today" offline."""
    return _header(event) | {
        "version": version or pack_version(event),
        "generated_at": local_iso(utcnow()),
        "hash_prefix": HASH_PREFIX,
        "fields": FIELDS,
        "kinds": {kind.value: str(stakeholder_label(kind.value)) for kind in StakeholderKind},
        "entries": _entries(event),
    }


@dataclass(frozen=True)
class PackBytes:
    version: str
    json: bytes
    gzip: bytes


_packs: dict[tuple[int, str], PackBytes] = {}


def packed(event: Event, version: str) -> PackBytes:
    """The pack of this version as JSON and gzip bytes, built once per worker and version."""
    key = (event.id, str(get_locale()))
    kept = _packs.get(key)
    if kept is not None and kept.version == version:
        return kept
    body = json.dumps(offline_pack(event, version), ensure_ascii=False,
                      separators=(",", ":")).encode()
    if len(_packs) >= PACKS_KEPT:
        _packs.clear()
    _packs[key] = PackBytes(version, body, gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0))
    return _packs[key]


# --- sync ------------------------------------------------------------------------------------

def _scanned_at(value) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) and len(value) < 40 \
            else None
    except ValueError:
        return None


def _bad_scan(nonce, message) -> dict:
    return {"nonce": nonce if isinstance(nonce, str) else None, "error": str(message),
            "code": "invalid"}


def _refused_locally(local_result) -> str | None:
    if isinstance(local_result, str) and local_result and local_result != "admitted":
        return local_result[:30]
    return None


def _sync_one(device: Device, event: Event, staff, scan) -> dict:
    if not isinstance(scan, dict):
        return _bad_scan(None, _l("Each scan must be an object."))
    nonce, code = scan.get("nonce"), scan.get("code")
    scanned_at = _scanned_at(scan.get("scanned_at"))
    if not isinstance(code, str) or len(code) > 200:
        return _bad_scan(nonce, _l("The code must be text."))
    if scanned_at is None:
        return _bad_scan(nonce, _l("The scan's time must be an ISO 8601 date and time."))
    try:
        outcome = record_scan(code, event=event, device=device, staff=staff, nonce=nonce,
                              gate=scan.get("gate"), session_id=scan.get("session_id"),
                              scanned_at=scanned_at, offline=True,
                              offline_admitted=scan.get("local_result") == "admitted",
                              offline_refused=_refused_locally(scan.get("local_result")))
    except DomainError as error:
        return _bad_scan(nonce, error.message) | {"code": error.code}
    return outcome.as_json() | {"nonce": nonce, "conflict": outcome.conflict}


def sync_scans(device: Device, staff, scans: list[dict]) -> list[dict]:
    """Record the scans a device queued offline, in order. Each answer is the scan's outcome
    (as_json) with its "nonce"; "conflict" is true when the device admitted the ticket itself
    but the server already had an admission for that scope. A scan with bad fields gets
    {"nonce", "error", "code"} instead, so the device can drop it from its queue. Sending the
    same scans again changes nothing (nonces)."""
    if not isinstance(scans, list) or len(scans) > MAX_SCANS:
        raise DomainError(_l("Please send at most %(n)d scans at once.", n=MAX_SCANS),
                          "too_many", "scans")
    event = db.session.get(Event, device.event_id)
    return [_sync_one(device, event, staff, scan) for scan in scans]
