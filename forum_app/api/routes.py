"""JSON API for partner sites, kiosks and check-in devices (/api/v1).

Every answer is JSON, also errors: {"error": message, "code": stable code} and, for bad
input, "fields": {field: message}. Messages are in the language asked for with ?lang=mn|en or
the Accept-Language header (Mongolian by default).
"""

import json

from flask import Blueprint, jsonify, request
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ..database import MAX_ID, paginate
from ..errors import DomainError
from ..events.models import Event, EventState
from ..extensions import csrf, db, limiter
from ..i18n import utcnow
from ..registration import services as registration_services
from ..registration.models import RegistrationState
from ..registration.services import AlreadyRegistered, RegistrationInput, RegistrationInvalid
from .schema import check_answers, check_object
from .serializers import event_detail, event_summary

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # token-authenticated or public JSON; no cookies are trusted here

LANGUAGES = ("mn", "en")
PER_PAGE = 100
MAX_BODY = 100_000  # bytes: room for every field at its longest, and no more
REGISTRATION_FIELDS = {
    "name": "string", "email": "string?", "phone": "string?", "consent": "boolean",
    "language": "string?", "stakeholder_kind": "string?", "organisation": "string?",
    "district_id": "integer?", "gender": "string?", "age_band": "string?",
    "accessibility_needs": "string?", "answers": "object?", "invitation_code": "string?",
}


def request_language() -> str:
    language = request.args.get("lang")
    if language in LANGUAGES:
        return language
    return request.accept_languages.best_match(LANGUAGES) or "mn"


def error_response(status: int, message, code: str, **extra):
    return jsonify(error=str(message), code=code, **extra), status


def _invalid(fields: dict):
    return error_response(422, _("Please correct the marked fields."), "invalid",
                          fields={key: str(message) for key, message in fields.items()})


def _public_event(event_id: int) -> Event | None:
    event = db.session.get(Event, event_id)
    if event is None or event.state not in (EventState.PUBLISHED, EventState.CANCELLED):
        return None
    return event


@bp.route("/events")
def events():
    """Published events: ?when=upcoming (default; not yet ended), past or all; ?page=n,
    100 per page."""
    language = request_language()
    with force_locale(language):
        when = request.args.get("when", "upcoming")
        if when not in ("upcoming", "past", "all"):
            return _invalid({"when": _("Please choose upcoming, past or all.")})
        now = utcnow()
        query = select(Event).where(Event.state == EventState.PUBLISHED)
        if when == "upcoming":
            query = query.where(Event.ends_at >= now).order_by(Event.starts_at, Event.id)
        elif when == "past":
            query = query.where(Event.ends_at < now).order_by(Event.starts_at.desc(), Event.id)
        else:
            query = query.order_by(Event.starts_at, Event.id)
        page = paginate(query, per_page=PER_PAGE)
        return jsonify(events=[event_summary(event, language, now) for event in page.items],
                       page=page.page, pages=page.pages, total=page.total)


@bp.route("/events/<int:event_id>")
def event(event_id: int):
    """One published (or cancelled) event with its agenda and custom questions."""
    language = request_language()
    with force_locale(language):
        found = _public_event(event_id)
        if found is None:
            return error_response(404, _("There is no such event."), "not_found")
        return jsonify(event_detail(found, language, utcnow()))


@bp.route("/events/<int:event_id>/registrations", methods=["POST"])
@limiter.limit("30 per minute")
def create_registration(event_id: int):
    """Register one person for an event.

    Body: a JSON object {name, email, phone, consent: true, language?, stakeholder_kind?,
    organisation?, district_id?, gender?, age_band?, accessibility_needs?,
    answers?: {question id: text | option index | [option indexes] | true/false},
    invitation_code?}; e-mail or phone is needed.

    201 {"id", "status": "confirmed" | "waitlisted" | "pending_approval", "manage_url",
    "ticket": {"code", "url"} (only when confirmed)}. The manage URL is the person's private
    ticket and cancellation page: give it to them only.
    400 "bad_json": the body is not JSON. 404 "not_found": no such public event.
    409: a conflict with the state of things, not with the input: "duplicate" (this person is
    already registered), "closed", "not_open_yet", "event_cancelled", "invitation_required".
    413: the body is too large. 422 "invalid": wrong input, with "fields" {field: message};
    answers are reported as "answers.<question id>". 429: more than 30 requests a minute.
    """
    language = request_language()
    with force_locale(language):
        return _create_registration(event_id, language)


def _json_object():
    """(body, None) or (None, error response)."""
    if (request.content_length or 0) > MAX_BODY:
        return None, error_response(413, _("The request is too large."), "too_large")
    raw = request.get_data(cache=False)
    if len(raw) > MAX_BODY:
        return None, error_response(413, _("The request is too large."), "too_large")
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        return None, error_response(400, _("The request body is not valid JSON."), "bad_json")
    if not isinstance(body, dict):
        return None, error_response(422, _("The request body must be a JSON object."),
                                    "invalid", fields={})
    return body, None


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


def _api_fields(errors: dict) -> dict:
    """The service names answer fields q_<id>; here they are answers.<id>."""
    return {f"answers.{key[2:]}" if key.startswith("q_") else key: message
            for key, message in errors.items()}


def _create_registration(event_id: int, language: str):
    event = _public_event(event_id)
    if event is None:
        return error_response(404, _("There is no such event."), "not_found")
    body, problem = _json_object()
    if problem is not None:
        return problem
    code = body.get("invitation_code")
    try:
        registration_services.check_can_register(event, utcnow(),
                                                 code if isinstance(code, str) else None)
    except DomainError as error:
        return error_response(409, error.message, error.code)
    errors = _check_body(event, body)
    if errors:
        return _invalid(errors)
    try:
        registration, token = registration_services.register(
            event, _registration_input(body, language), source="api")
    except RegistrationInvalid as error:
        return _invalid(_api_fields(error.errors))
    except AlreadyRegistered as error:
        return error_response(409, error.message, "duplicate")
    except DomainError as error:
        return error_response(409, error.message, error.code)
    manage_url = registration_services.manage_url(token)
    payload = {"id": registration.id, "status": registration.state, "manage_url": manage_url}
    ticket = registration.ticket
    if registration.state == RegistrationState.CONFIRMED and ticket is not None:
        payload["ticket"] = {"code": ticket.code, "url": manage_url}
    return jsonify(payload), 201


# The check-in devices' and the forum record's routes on this blueprint.
from . import checkin, outcomes  # noqa: E402,F401,I001
