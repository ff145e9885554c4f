"""The offline pack a scanner keeps to verify tickets without network, and the sync of the
scans it queued meanwhile.

Ticket codes are in the pack only as SHA-256, so a lost phone does not carry valid codes. Two
devices may both admit a ticket offline; on sync the second is recorded as a conflict (result
already_checked_in, conflict=True) and never counted twice.
"""

import hashlib
import json
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..core.tokens import hash_token
from ..errors import DomainError
from ..events.models import Event
from ..extensions import db
from ..i18n import localized, utcnow
from ..registration.models import Registration, Ticket
from .entry import local_date, local_iso
from .models import CheckIn, CheckInResult, Device
from .services.outcome import stakeholder_label
from .services.scan import record_scan, ticket_standing

MAX_SCANS = 500


def _state(ticket: Ticket, registration: Registration) -> str:
    """"valid", "cancelled" or "not_confirmed" (what scanner-offline.js reads)."""
    standing = ticket_standing(ticket, registration)
    return "valid" if standing == CheckInResult.ADMITTED else standing.value


def _entries(event: Event) -> dict:
    admitted: dict[int, list[str]] = {}
    for ticket_id, scope in db.session.execute(select(CheckIn.ticket_id, CheckIn.scope).where(
            CheckIn.event_id == event.id, CheckIn.result == CheckInResult.ADMITTED.value,
            CheckIn.annulled_at.is_(None))):
        admitted.setdefault(ticket_id, []).append(scope)
    rows = db.session.execute(
        select(Ticket, Registration).join(Registration, Registration.id == Ticket.registration_id)
        .where(Registration.event_id == event.id).order_by(Ticket.id)).all()
    return {hash_token(ticket.code): {
        "name": registration.name,
        "kind": registration.stakeholder_kind,
        "kind_label": stakeholder_label(registration.stakeholder_kind),
        "organisation": registration.organisation,
        "access": registration.accessibility_needs,
        "state": _state(ticket, registration),
        "admitted": sorted(admitted.get(ticket.id, [])),
    } for ticket, registration in rows}


def offline_pack(event: Event) -> dict:
    """{"event_id", "version", "entry_mode", "sessions", "generated_at", "entries"} and, to
    judge "not today" offline, "title" and the local "dates" the event runs. `version` (the
    ETag) is the SHA-256 of everything but generated_at, so it changes with any entry."""
    pack = {
        "event_id": event.id,
        "title": localized(event, "title"),
        "entry_mode": event.entry_mode,
        "dates": {"start": local_date(event.starts_at).isoformat(),
                  "end": local_date(event.ends_at).isoformat()},
        "sessions": [{"id": session.id, "title": localized(session, "title"),
                      "start": local_iso(session.starts_at), "end": local_iso(session.ends_at),
                      "date": local_date(session.starts_at).isoformat()}
                     for session in event.sessions],
        "entries": _entries(event),
    }
    canonical = json.dumps(pack, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    pack["version"] = hashlib.sha256(canonical.encode()).hexdigest()
    pack["generated_at"] = local_iso(utcnow())
    return pack


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
