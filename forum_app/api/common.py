"""The API blueprint and what every API view shares: the language of the answer (one
before_request), one error handler that turns a DomainError into JSON with its HTTP status,
and a bounded JSON body. Every error, of any status, has one shape (errors.json_error):
{"error": message in the language asked, "code": stable code, "fields": {field: message}}."""

import json

from flask import Blueprint, g, request
from flask_babel import gettext as _
from flask_babel import refresh

from ..errors import DomainError
from ..errors import json_error as error_response  # the one shape: errors.py
from ..extensions import csrf
from ..i18n import asked_language
from ..registration.services import AlreadyRegistered

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # token-authenticated or public JSON; no cookies are trusted here

LANGUAGES = ("mn", "en")
MAX_BODY = 100_000  # bytes: room for every field at its longest, and no more
# A service's refusal by code -> its HTTP status; any other is a conflict with the state of
# things (409), and one that names fields is wrong input (422).
STATUSES = {"forbidden": 403, "not_checked_in": 403, "not_found": 404, "unknown_ticket": 404,
            "already_voted": 409, "already_changed": 409, "voting_closed": 409}


class ApiError(DomainError):
    """A refusal of the request itself (its size, JSON, shape), with its own status."""

    def __init__(self, status: int, message, code: str, headers: dict | None = None, **extra):
        super().__init__(message, code)
        self.status = status
        self.headers = headers or {}
        self.extra = extra


@bp.before_request
def answer_in_the_language_asked():
    g.language = asked_language()  # i18n.select_locale takes it
    refresh()


@bp.errorhandler(DomainError)
def domain_error(error: DomainError):
    if isinstance(error, AlreadyRegistered):
        # A device at the door may see whose registration it is; the public API may not.
        extra = {"registration_id": getattr(error.registration, "id", None)} \
            if g.get("device") else {}
        return error_response(409, error.message, "duplicate", **extra)
    if isinstance(error, ApiError):
        response, status = error_response(error.status, error.message, error.code,
                                          **error.extra)
        response.headers.update(error.headers)
        return response, status
    status = STATUSES.get(error.code)
    if status is None and error.fields:
        return invalid_response(error.fields)
    return error_response(status or 409, error.message, error.code, fields=error.fields)


def invalid_response(fields: dict):
    """422 with {field: message}; the services name answer fields q_<id>, the API answers.<id>."""
    return error_response(422, _("Please correct the marked fields."), "invalid", fields={
        f"answers.{key[2:]}" if str(key).startswith("q_") else str(key): str(message)
        for key, message in fields.items()})


def invalid(fields: dict) -> ApiError:
    """Wrong input, {field: message}: raise it, and the answer is 422 with the fields."""
    return ApiError(422, _("Please correct the marked fields."), "invalid",
                    fields={str(key): str(message) for key, message in fields.items()})


def json_object() -> dict:
    """The request's JSON object; ApiError when too large, not JSON or not an object."""
    if (request.content_length or 0) > MAX_BODY:
        raise ApiError(413, _("The request is too large."), "too_large")
    raw = request.get_data(cache=False)
    if len(raw) > MAX_BODY:
        raise ApiError(413, _("The request is too large."), "too_large")
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        raise ApiError(400, _("The request body is not valid JSON."), "bad_json") from None
    if not isinstance(body, dict):
        raise ApiError(422, _("The request body must be a JSON object."), "invalid", fields={})
    return body
