"""JSON API for partner sites, kiosks and check-in devices (/api/v1): the events routes here,
the devices' in checkin.py, the forum record's in outcomes.py, the figures in stats.py.

What each route takes and answers is described by the OpenAPI document, GET /api/v1/openapi.json
(spec/, one YAML file per area; readable at /api/v1/docs). Every error of any status has one
shape, {"error": message, "code": stable code, "fields": {field: message}} (errors.json_error);
messages are in the language asked for with ?lang=mn|en or the Accept-Language header
(Mongolian by default). Public answers carry an ETag (caching.public_json).
"""

from flask import current_app, g, jsonify, request
from flask_babel import gettext as _
from sqlalchemy import bindparam, select, true
from sqlalchemy.orm import joinedload, lazyload

from ..database import MAX_ID, OrderKey, reads_first
from ..errors import DomainError
from ..events import search as event_search
from ..events.models import Event, EventState
from ..extensions import db, limiter
from ..i18n import utcnow
from ..registration import services as registration_services
from ..registration.models import RegistrationState
from ..registration.services import RegistrationInput
from ..security import limit_per_network
from . import (  # noqa: F401 - the devices', issues', forum record's, stats routes, document
    checkin,
    document,
    issues,
    issues_write,
    me,
    outcomes,
    stats,
)
from .caching import public_json
from .common import LANGUAGES, bp, invalid, json_object
from .paging import read_paging
from .schema import check_answers, check_object
from .serializers import event_detail, event_summary, iso, session_json

REGISTRATION_FIELDS = {
    "name": "string", "email": "string?", "phone": "string?", "consent": "boolean",
    "language": "string?", "stakeholder_kind": "string?", "organisation": "string?",
    "district_id": "integer?", "gender": "string?", "age_band": "string?",
    "accessibility_needs": "string?", "answers": "object?", "invitation_code": "string?",
}
FORWARD = (OrderKey(Event.starts_at), OrderKey(Event.id))
# Each ?when= of the events list: which events, and their order (the soonest first; the past
# ones the latest first).
WHEN = {"upcoming": (lambda now: Event.ends_at >= now, FORWARD),
        "past": (lambda now: Event.ends_at < now,
                 (OrderKey(Event.starts_at, descending=True), OrderKey(Event.id))),
        "all": (lambda now: true(), FORWARD)}


# A registration needs the questions (read with the event, in one SELECT), not the tags;
# the statement is built once.
FOR_REGISTERING = (select(Event).where(Event.id == bindparam("event_id"))
                   .options(lazyload(Event.tag_rows), joinedload(Event.questions)))


def _public_event(event_id: int, statement=None) -> Event:
    """The event if it is public (published or cancelled), read with `statement` if given."""
    event = db.session.get(Event, event_id) if statement is None else \
        db.session.execute(statement, {"event_id": event_id}).unique().scalar_one_or_none()
    if event is None or event.state not in (EventState.PUBLISHED, EventState.CANCELLED):
        raise DomainError(_("There is no such event."), "not_found")
    return event


@bp.route("/events")
def events():
    """Published events: ?when=upcoming (default; not yet ended), past or all; ?q=words
    (each found in the title, summary, description, venue or a topic, either language, any
    case); paged by cursor (api.paging)."""
    when = request.args.get("when", "upcoming")
    errors = {}
    if when not in WHEN:
        errors["when"] = _("Please choose upcoming, past or all.")
    text = request.args.get("q", "")
    if len(text) > event_search.MAX_QUERY:
        errors["q"] = _("Please search with at most %(max)d characters.",
                        max=event_search.MAX_QUERY)
    which, order = WHEN.get(when, WHEN["upcoming"])
    paging = read_paging(f"events-{when}", order, errors)
    if errors:
        raise invalid(errors)
    now = utcnow()
    query = select(Event).where(Event.state == EventState.PUBLISHED, which(now))
    found = event_search.matching(text)
    if found is not None:
        query = query.where(found)
    rows, last = paging.page(query)
    return public_json({"events": [event_summary(event, g.language, now) for event in rows],
                        "next": paging.next_url(last, ("when", "q"))})


@bp.route("/events/<int:event_id>")
def event(event_id: int):
    """One published (or cancelled) event with its agenda and custom questions."""
    return public_json(event_detail(_public_event(event_id), g.language, utcnow()))


@bp.route("/events/<int:event_id>/sessions")
def event_sessions(event_id: int):
    """The agenda of one published (or cancelled) event, in its order: {"sessions": [...]}.
    An agenda is a day's slots, so the list is whole (no pages)."""
    event = _public_event(event_id)
    return public_json({"sessions": [session_json(session, g.language)
                                     for session in event.sessions]})


@bp.route("/events/<int:event_id>/registrations", methods=["POST"])
@limiter.limit("30 per minute")
@limit_per_network(lambda: current_app.config["REGISTRATION_NETWORK_LIMIT"])
@reads_first
def create_registration(event_id: int):
    """Register one person for an event.

    Body: a JSON object {name, email, phone, consent: true, language?, stakeholder_kind?,
    organisation?, district_id?, gender?, age_band?, accessibility_needs?,
    answers?: {question id: text | option index | [option indexes] | true/false},
    invitation_code?}; e-mail is needed (phone alone only for invitation-only events).

    201 {"id", "status": "held" | "confirmed" | "waitlisted" | "pending_approval",
    "manage_url", "hold_expires_at" (when held), "ticket": {"code", "url"} (only when
    confirmed)}. A registration through the API has no proven e-mail, so a seat is "held"
    until the person follows the link in the e-mail sent to them (REGISTRATION_HOLD_MINUTES,
    default 30); then they get the ticket by e-mail and on the manage page. An unconfirmed hold
    expires and its seat goes to the next person. An e-mail address is therefore required.
    The manage URL is the person's private ticket and cancellation page: give it to them only.
    400 "bad_json": the body is not JSON. 404 "not_found": no such public event.
    409: a conflict with the state of things, not with the input: "duplicate" (this person is
    already registered), "closed", "not_open_yet", "event_cancelled", "invitation_required".
    413: the body is too large. 422 "invalid": wrong input, with "fields" {field: message};
    answers are reported as "answers.<question id>". 429: more than 30 requests a minute.
    """
    event = _public_event(event_id, FOR_REGISTERING)
    body = json_object()
    code = body.get("invitation_code")
    registration_services.check_can_register(event, utcnow(),
                                             code if isinstance(code, str) else None)
    errors = _check_body(event, body)
    if errors:
        raise invalid(errors)
    registration, token = registration_services.register(
        event, _registration_input(body, g.language), source="api")
    return jsonify(_created(registration, token)), 201


def _check_body(event: Event, body: dict) -> dict:
    errors = check_object(body, REGISTRATION_FIELDS)
    if isinstance(body.get("answers"), dict):
        errors |= check_answers(body["answers"], list(event.questions))
    district = body.get("district_id")
    if "district_id" not in errors and district is not None and not 1 <= district <= MAX_ID:
        errors["district_id"] = _("Please choose a district from the list.")
    if "language" not in errors and body.get("language") not in (None, *LANGUAGES):
        errors["language"] = _("Please choose mn or en.")
    return errors


def _registration_input(body: dict, language: str) -> RegistrationInput:
    values = {key: value for key, value in body.items()
              if key in REGISTRATION_FIELDS and value is not None}
    values.setdefault("language", language)
    values.setdefault("answers", {})
    return RegistrationInput(**values)


def _created(registration, token: str) -> dict:
    manage_url = registration_services.manage_url(token)
    payload = {"id": registration.id, "status": registration.state, "manage_url": manage_url}
    if registration.state == RegistrationState.HELD:
        payload["hold_expires_at"] = iso(registration.hold_expires_at)
    ticket = registration.ticket
    if registration.state == RegistrationState.CONFIRMED and ticket is not None:
        payload["ticket"] = {"code": ticket.code, "url": manage_url}
    return payload
