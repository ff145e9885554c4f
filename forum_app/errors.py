"""DomainError for rule violations, and the HTTP error pages: the one error path of the app.
A page for a person, or for the API (and a client that asks for JSON) one JSON shape for every
status: {"error": message in the language asked, "code": stable code, "fields": {}}."""

from flask import Flask, g, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_babel import refresh
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError

from .extensions import db
from .i18n import asked_language


class DomainError(Exception):
    """A rule said no. `message` is shown to the user; `code` is stable for APIs and tests;
    `fields` maps each input at fault to its own message (`field=name`: that one input, with
    `message`)."""

    def __init__(self, message, code: str = "invalid", field: str | None = None,
                 fields: dict | None = None):
        super().__init__(code)  # the message is lazy: translated when shown
        self.message = message
        self.code = code
        self.fields = dict(fields or {})
        if field is not None:
            self.fields = {field: message, **self.fields}

    @property
    def field(self) -> str | None:
        """The first input at fault, if any."""
        return next(iter(self.fields), None)


ERROR_TITLES = {
    400: _l("The request could not be understood"),
    403: _l("You do not have access to this page"),
    404: _l("Page not found"),
    405: _l("This action is not allowed here"),
    413: _l("The upload is too large"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong on our side"),
    503: _l("The service is busy"),
}
ERROR_HINTS = {
    400: _l("Please go back, reload the page and try again."),
    403: _l("If you think you should have access, sign in with another account or "
            "contact the forum secretariat."),
    404: _l("The address may be mistyped, or the page may have been removed."),
    405: _l("Please go back and use the buttons on the page."),
    413: _l("Please choose a smaller file and try again."),
    429: _l("Please wait a few minutes before trying again."),
    500: _l("The error has been logged. Please try again in a moment."),
    503: _l("Nothing was saved. Please try again in a few seconds."),
}


# The API's stable codes of the HTTP errors (a service's refusal has its own code).
ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
    500: "server_error",
    503: "busy",
}
API_MESSAGES = {
    400: _l("The request could not be understood."),
    401: _l("A valid token is needed (Authorization: Bearer ...)."),
    403: _l("This token may not do this."),
    404: _l("There is no such address in the API."),
    405: _l("This address does not accept this method; the Allow header lists those it does."),
    413: _l("The request is too large."),
    415: _l("The request body must be JSON (Content-Type: application/json)."),
    429: _l("Too many requests: please wait the seconds the Retry-After header gives."),
    500: _l("Something went wrong on our side. The error has been logged."),
    503: _l("The service is busy; nothing was saved. Please try again in the seconds the "
            "Retry-After header gives."),
}


def _is_api() -> bool:
    return request.path.startswith("/api/")


def _wants_json() -> bool:
    return _is_api() or request.accept_mimetypes.best == "application/json"


def error_code(status: int) -> str:
    return ERROR_CODES.get(status) or ERROR_CODES[400 if 400 <= status < 500 else 500]


def json_error(status: int, message, code: str | None = None, fields: dict | None = None,
               **extra):
    """The one JSON shape of an error, in the language asked (the API's ?lang= also reaches
    an address no view matched, and a refusal made before the API's own hooks ran)."""
    if _is_api() and "language" not in g:
        g.language = asked_language()
        refresh()
    return jsonify(error=str(message), code=code or error_code(status),
                   fields={str(key): str(text) for key, text in (fields or {}).items()},
                   **extra), status


def render_error(status: int, detail=None):
    # An HTTP error without its own page keeps its status and borrows the nearest page.
    known = status if status in ERROR_TITLES else (400 if 400 <= status < 500 else 500)
    title, hint = ERROR_TITLES[known], detail or ERROR_HINTS[known]
    if _wants_json():
        api_message = API_MESSAGES.get(status, API_MESSAGES[known]) if _is_api() else title
        return json_error(status, detail or api_message)
    return render_template("errors/error.html", status=status, title=title, hint=hint), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, _l("The form expired or was sent from elsewhere. "
                                    "Please reload the page and try again."))

    @app.errorhandler(SecurityError)
    def unknown_host(error: SecurityError):
        # The Host is not one of TRUSTED_HOSTS: no URLs can be built, so no page either.
        return "400 Bad Request: unknown host\n", 400, {"Content-Type": "text/plain"}

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.response is not None:  # a page of its own (a rate limit's on_breach)
            return error.response
        response, status = render_error(error.code or 500)
        response = app.make_response((response, status))
        for name, value in error.get_headers():  # 405's Allow, 401's WWW-Authenticate
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def unhandled(error: Exception):
        db.session.rollback()
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return render_error(500)
