"""The API blueprint and what every API view shares: the language of the answer, JSON errors
and a bounded JSON body."""

import json

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from ..extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # token-authenticated or public JSON; no cookies are trusted here

LANGUAGES = ("mn", "en")
MAX_BODY = 100_000  # bytes: room for every field at its longest, and no more


def request_language() -> str:
    language = request.args.get("lang")
    if language in LANGUAGES:
        return language
    return request.accept_languages.best_match(LANGUAGES) or "mn"


def error_response(status: int, message, code: str, **extra):
    return jsonify(error=str(message), code=code, **extra), status


def invalid(fields: dict):
    return error_response(422, _("Please correct the marked fields."), "invalid",
                          fields={key: str(message) for key, message in fields.items()})


def json_object():
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


