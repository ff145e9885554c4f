"""Security headers on every response, and input no database can store refused up front."""

import ipaddress
import re

from flask import Flask, Response, g, has_request_context, request
from flask.sessions import SecureCookieSessionInterface
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from .errors import render_error
from .extensions import limiter

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

# A page or file that carries a personal token: kept out of every cache (the browser's too),
# referrers and search. The ticket page's offline copy is made on purpose by its own script
# (Cache Storage, which Cache-Control does not govern): see SECURITY.md.
PRIVATE = {"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer",
           "X-Robots-Tag": "noindex"}


CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def private_download(body, content_type: str, filename: str, inline: bool = False) -> Response:
    """A file of personal or staff-only data, named for the browser, kept out of every cache.
    `content_type` is sent as given (Werkzeug's `mimetype` would add a second charset)."""
    disposition = "inline" if inline else "attachment"
    return Response(body, content_type=content_type, headers={
        **PRIVATE, "Content-Disposition": f'{disposition}; filename="{filename}"'})


def security_headers(config) -> dict[str, str]:
    """What every answer carries unless a view set its own (the page cache's middleware sends
    these too, core/page_hits.py)."""
    headers = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
               "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY",
               "Permissions-Policy": "geolocation=(self), microphone=(), camera=(self)"}
    if config.get("HSTS"):
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return headers


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def add_headers(response):
        headers = response.headers
        # The names present, read once: each miss of Headers.setdefault or `in` raises and
        # catches a BadRequestKeyError (about 8 Python calls a header, 5 headers an answer).
        present = set(headers.keys(lower=True))
        for name, value in security_headers(app.config).items():
            if name.lower() not in present:
                headers.add(name, value)
        if "cache-control" not in present and _signed_in(response):
            # Whatever a signed-in person gets is theirs: no shared or browser cache keeps it.
            headers["Cache-Control"] = PRIVATE["Cache-Control"]
        return response


def limit_guesses(limit: str = "30 per minute"):
    """A rate limit per client address on the answers that say "no such secret" (401, 404):
    guessing a manage link, ticket code or device token slows down; the owner of a real one,
    who gets 200, is never counted."""
    return limiter.limit(limit, key_func=get_remote_address,
                         deduct_when=lambda response: response.status_code in (401, 404))


def client_network() -> str:
    """The client's network (IPv4 /24, IPv6 /64): one household, office or phone carrier's
    block, which a script cannot leave by changing its last address bits."""
    address = get_remote_address() or "0.0.0.0"  # noqa: S104  # nosec B104  # no socket: a key
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    # The block's first address by masking, not by parsing "ip/prefix" again (a third of the
    # per-network limit's key on every registration); the same text as str(ip_network(...)).
    prefix = 24 if ip.version == 4 else 64
    host_bits = ip.max_prefixlen - prefix
    return f"{type(ip)(int(ip) >> host_bits << host_bits)}/{prefix}"


def limit_per_network(limit, **options):
    """A rate limit per client network and page (so per event) on what was really done (a
    redirect or 201); a refused or invalid form is not counted. `options`: Flask-Limiter's
    (on_breach: a page of one's own)."""
    return limiter.limit(limit, methods=["POST"],
                         key_func=lambda: f"net:{request.path}:{client_network()}",
                         deduct_when=lambda response: response.status_code in (201, 302, 303),
                         **options)


def _signed_in(response) -> bool:
    """Whether the answer is for a signed-in person. Without any cookie nobody is, unless this
    very request signed them in (Flask-Login then holds the user): a token-authenticated API
    call does not load an anonymous user for that. The answer varies with the cookie
    either way."""
    if not has_request_context():
        return False
    if "_login_user" not in g and not request.cookies:
        response.vary.add("Cookie")
        return False
    user = current_user._get_current_object()
    return bool(user is not None and user.is_authenticated)


# The session core/page_hits.py decoded before handing the request to Flask (a WSGI server
# names every header HTTP_*, so no client can set this key).
OPENED_SESSION = "forum_app.opened_session"


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions; a request without the cookie (an API call, a first
    visit) gets its new empty session without a signer being built for a cookie it lacks,
    and one core/page_hits.py already decoded (and left as it was) is not decoded again."""

    def open_session(self, app: Flask, request):
        opened = request.environ.pop(OPENED_SESSION, None)
        if opened is not None:
            return opened
        if app.secret_key and self.get_cookie_name(app) not in request.cookies:
            return self.session_class()
        return super().open_session(app, request)


# NUL, which PostgreSQL text cannot hold, and lone UTF-16 surrogates (possible in JSON's
# "\ud800"), which no UTF-8 column can: browsers never type them, broken pastes and scripts do.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
UNSTORABLE_MESSAGE = _l("What you sent contains an invisible control character that cannot "
                        "be saved. Please go back, retype the text and send it again.")


def register_input_guard(app: Flask) -> None:
    """Paths, query strings and forms; the JSON API names the field instead (api.schema)."""

    @app.before_request
    def refuse_unstorable_input():
        # Only a form's body is read as a form (Werkzeug parses no other): JSON names the
        # field itself (api.schema), and looking at request.form for it would cost a parse.
        try:
            sources = (request.args, request.form) if request.mimetype in FORM_TYPES \
                else (request.args,)
            values = [request.path, *(value for source in sources
                                      for _, items in source.lists() for value in items)]
        except RequestEntityTooLarge:
            return None  # the view answers it (some say exactly which file is too large)
        if any(UNSTORABLE.search(value) for value in values):
            return render_error(400, UNSTORABLE_MESSAGE)
        return None
