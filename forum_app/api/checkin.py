"""Check-in devices' API (/api/v1/checkin...): `Authorization: Bearer <device token>`.

A device touches only its own event. Answers are JSON in the language asked for (?lang= or
Accept-Language); 401 without a valid token, 422 for bad input ({"error", "code", "fields"},
the shape of every error). spec/checkin.yaml describes each route.
"""

from functools import wraps

from flask import current_app, g, jsonify, request
from flask_babel import gettext as _

from ..checkin.devices import device_for_token
from ..checkin.models import CheckIn
from ..checkin.offline import MAX_SCANS, pack_version, packed, sync_scans
from ..checkin.services import annul_check_in, check_in, live_figures, search_attendees, walk_in
from ..core.tokens import hash_token
from ..database import MAX_ID, reads_first
from ..errors import DomainError
from ..events.models import Event
from ..extensions import db, limiter
from ..registration.services import RegistrationInput
from ..security import limit_guesses
from .common import ApiError, bp, invalid, json_object
from .schema import check_object

MAX_CODE = 200  # a ticket code is 30 characters; anything far longer is not a scan
MAX_QUERY = 100
SCAN_FIELDS = {"code": "string", "nonce": "string", "gate": "string?", "session_id": "integer?"}
WALK_IN_FIELDS = {
    "name": "string", "phone": "string?", "email": "string?", "stakeholder_kind": "string?",
    "organisation": "string?", "accessibility_needs": "string?", "language": "string?",
    "consent": "boolean", "nonce": "string", "gate": "string?", "session_id": "integer?",
    "over_capacity_reason": "string?",
}
PERSON_FIELDS = ("name", "phone", "email", "stakeholder_kind", "organisation",
                 "accessibility_needs", "language", "consent")


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def device_required(view):
    """Loads the device of the bearer token into g.device (and its event, its organiser) and
    answers in the request's language."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        device = device_for_token(_bearer_token())
        if device is None:
            raise ApiError(401, _("A valid device token is needed (Authorization: Bearer ...)."),
                           "unauthorized", headers={"WWW-Authenticate": 'Bearer realm="checkin"'})
        g.device = device
        g.device_event = db.session.get(Event, device.event_id)
        g.device_staff = device.created_by
        return view(*args, **kwargs)

    return wrapped


def _body(schema: dict, required: tuple[str, ...]) -> dict:
    """The request's JSON object of this shape; ApiError (422 with the fields) if not."""
    body = json_object()
    errors = check_object(body, schema)
    for field in required:
        if field not in errors and body.get(field) is None:
            errors[field] = _("This field is required.")
    session_id = body.get("session_id")
    if "session_id" not in errors and session_id is not None and not 1 <= session_id <= MAX_ID:
        errors["session_id"] = _("There is no such session at this event.")
    if errors:
        raise invalid(errors)
    return body


def _device_key() -> str:
    return "device:" + hash_token(_bearer_token() or "")


@bp.route("/checkin", methods=["POST"])
@limit_guesses()
@limiter.limit(lambda: current_app.config["SCAN_RATE_LIMIT"], key_func=_device_key)
@device_required
@reads_first
def checkin_scan():
    """{"code", "nonce", "gate"? | "session_id"?} -> the outcome: {"result", "label",
    "message", "attendee", "previous", "other_event", "checkin_id", "conflict"}. The same
    nonce again returns the first answer and records nothing."""
    body = _body(SCAN_FIELDS, ("code", "nonce"))
    if len(body["code"]) > MAX_CODE:
        raise invalid({"code": _("This is not a ticket code: it is far too long.")})
    outcome = check_in(body["code"], event=g.device_event, device=g.device,
                       staff=g.device_staff, nonce=body["nonce"], gate=body.get("gate"),
                       session_id=body.get("session_id"))
    return jsonify(outcome.as_json())


@bp.route("/checkin/search")
@device_required
def checkin_search():
    """?q= part of a name, phone, e-mail or ticket code -> {"results": [...]}."""
    query = request.args.get("q", "")
    if len(query) > MAX_QUERY:
        raise invalid({"q": _("Please search with at most %(n)d characters.", n=MAX_QUERY)})
    return jsonify(results=search_attendees(g.device_event, query))


@bp.route("/checkin/offline-pack")
@device_required
def checkin_offline_pack():
    """The event's tickets (checkin.offline.offline_pack: a prefix of each code's SHA-256
    with the name and state); ETag = version, and If-None-Match with it answers 304 without
    building the pack. Sent gzip-compressed to a client that accepts it."""
    version = pack_version(g.device_event)
    if request.if_none_match.contains(version):
        response = current_app.response_class(status=304)
    else:
        pack = packed(g.device_event, version)
        zipped = "gzip" in request.accept_encodings
        response = current_app.response_class(pack.gzip if zipped else pack.json,
                                              mimetype="application/json")
        if zipped:
            response.headers["Content-Encoding"] = "gzip"
        response.vary.add("Accept-Encoding")
    response.set_etag(version)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.route("/checkin/sync", methods=["POST"])
@device_required
@reads_first
def checkin_sync():
    """{"scans": [{"code", "nonce", "scanned_at" (ISO), "gate"?, "session_id"?,
    "local_result"?}, ...]} -> {"results": [...]} in the same order."""
    scans = json_object().get("scans")
    if not isinstance(scans, list) or len(scans) > MAX_SCANS:
        raise invalid({"scans": _("Please send a list of at most %(n)d scans.", n=MAX_SCANS)})
    return jsonify(results=sync_scans(g.device, g.device_staff, scans))


@bp.route("/checkin/figures")
@device_required
def checkin_figures():
    return jsonify(live_figures(g.device_event))


@bp.route("/checkin/walk-in", methods=["POST"])
@device_required
def checkin_walk_in():
    """Register a person at the door and check them in: {"name", "phone"?, "email"?,
    "stakeholder_kind"?, "organisation"?, "consent": true, "nonce", "gate"? | "session_id"?,
    "over_capacity_reason"?}. 409 "full" when the event is full and no reason is given."""
    body = _body(WALK_IN_FIELDS, ("name", "nonce", "consent"))
    data = RegistrationInput(**{key: body[key] for key in PERSON_FIELDS
                                if body.get(key) is not None})
    if body.get("language") is None:
        data.language = g.language
    outcome = walk_in(g.device_event, g.device_staff, data, device=g.device,
                      gate=body.get("gate"), session_id=body.get("session_id"),
                      over_capacity_reason=body.get("over_capacity_reason"),
                      nonce=body["nonce"])
    return jsonify(outcome.as_json())


@bp.route("/checkin/<int:checkin_id>/annul", methods=["POST"])
@device_required
def checkin_annul(checkin_id: int):
    """{"reason"}: take an admission back within 15 minutes. The device's organiser is the
    one who annuls; a device made on the command line cannot."""
    body = _body({"reason": "string"}, ("reason",))
    checkin = db.session.get(CheckIn, checkin_id)
    if checkin is None or checkin.event_id != g.device.event_id:
        raise DomainError(_("There is no such check-in."), "not_found")
    annul_check_in(g.device_staff, checkin, body["reason"])
    return jsonify(id=checkin_id, annulled=True)
