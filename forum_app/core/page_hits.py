"""A kept public page answered before Flask's request machinery starts (no request context,
session hooks, limiter, babel, CSRF extension or after-request hooks): a WSGI middleware
around `app.wsgi_app`.

It answers only what Flask would answer with the kept page (core/page_cache.py), with the
same headers, and hands everything else to Flask:
- GET or HEAD of a view marked `@public_page`, on a trusted host;
- by a visitor who is not signed in: no remember-me cookie, and a session that holds at most
  a CSRF secret (a signed-in person's session holds their id, a waiting message its text: both
  go to Flask, which renders a page of their own and never keeps it);
- a page kept under the current key (the version is read here, once per request, as Flask's
  path reads it: a change is seen by every worker on its next request).
The visitor's own CSRF token is signed here as Flask-WTF signs it (a first visit gets a new
secret in a new session cookie, exactly as Flask would set it), the page goes in the encoding
Flask-Compress would choose, from the kept compressed pieces, and a matching If-None-Match
gets 304. A page Flask-Limiter would count (a limit of its own, or a default or application
limit in the configuration) is left to Flask, so the limit still applies; today no public
page has one on GET.
"""

import secrets

from flask import Flask
from flask_limiter.util import get_qualified_name
from itsdangerous import URLSafeTimedSerializer
from werkzeug.exceptions import HTTPException, SecurityError
from werkzeug.http import dump_cookie
from werkzeug.routing import RequestRedirect

from ..extensions import limiter
from ..security import OPENED_SESSION, security_headers
from .compression import compressed, negotiated_encoding
from .page_cache import CACHED_HEADERS, CSRF_KEY, anonymous, page_key


def register_page_hits(app: Flask) -> None:
    """After register_page_cache; before ProxyFix wraps the result (it fixes the scheme and
    address this middleware reads)."""
    if "page_cache" in app.extensions:
        app.wsgi_app = KeptPageServer(app, app.wsgi_app)


class KeptPageServer:
    def __init__(self, app: Flask, wsgi_app):
        self.app, self.wsgi_app = app, wsgi_app
        self.field = app.config.get("WTF_CSRF_FIELD_NAME", CSRF_KEY)
        self.signer = URLSafeTimedSerializer(app.config.get("WTF_CSRF_SECRET_KEY")
                                             or app.secret_key, salt="wtf-csrf-token")
        # What every kept page's answer carries, as Flask's hooks would set it.
        self.limited: dict[str, bool] = {}  # per endpoint: does Flask-Limiter count it?
        self.headers = [*CACHED_HEADERS.items(), ("X-Page-Cache", "hit"),
                        ("Vary", "Cookie, Accept-Encoding"),
                        *security_headers(app.config).items()]

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            answer = self.answer(self.app.request_class(environ))
            if answer is not None:
                status, headers, body = answer
                start_response(status, headers)
                return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]
        return self.wsgi_app(environ, start_response)

    def answer(self, request) -> tuple[str, list, bytes] | None:
        """The kept page's status, headers and body for `request`, or None: Flask's turn."""
        app = self.app
        session = app.session_interface.open_session(app, request)
        if session is None:
            return None
        # Flask's turn reads this session, not the cookie again (it is not changed unless
        # this answers, and then Flask never sees the request).
        request.environ[OPENED_SESSION] = session
        if not anonymous(session, request.cookies, app.config):
            return None
        try:
            endpoint, _values = app.create_url_adapter(request).match()
        except (HTTPException, RequestRedirect, SecurityError):
            return None  # not found, a redirect, an untrusted host: Flask answers it
        if self.rate_limited(endpoint):
            return None
        with app.app_context():
            key = page_key(app.view_functions.get(endpoint), request.scheme, request.host,
                           request.full_path, request.cookies)
            page = app.extensions["page_cache"].get(key) if key is not None else None
        if page is None:
            return None
        cookie = []
        if len(page.parts) > 1 and self.field not in session:
            # A first visit: a CSRF secret of its own, in a new session cookie, as Flask-WTF
            # and Flask would make them.
            session[self.field] = secrets.token_hex(20)  # 40 hex digits, as Flask-WTF's
            cookie = [("Set-Cookie", self.session_cookie(session))]
        etag = key.etag(session.get(self.field, ""))
        headers = [("ETag", f'W/"{etag}"'), *self.headers]
        if request.if_none_match.contains_weak(etag):
            return "304 NOT MODIFIED", [*headers, *cookie], b""
        token = self.signer.dumps(session[self.field]).encode() if len(page.parts) > 1 else b""
        body, encoding = self.encoded(page, token, request.headers.get("Accept-Encoding", ""))
        return "200 OK", [("Content-Type", "text/html; charset=utf-8"),
                          ("Content-Length", str(len(body))), *headers, *encoding,
                          *cookie], body

    def rate_limited(self, endpoint: str) -> bool:
        if endpoint not in self.limited:
            app, view = self.app, self.app.view_functions.get(endpoint)
            self.limited[endpoint] = bool(
                app.config.get("RATELIMIT_DEFAULT") or app.config.get("RATELIMIT_APPLICATION")
                or (view is not None
                    and get_qualified_name(view) in limiter._marked_for_limiting)
                or limiter.limit_manager.has_hints(endpoint))
        return self.limited[endpoint]

    def encoded(self, page, token: bytes, accept_encoding: str) -> tuple[bytes, list]:
        """The body in the encoding Flask-Compress would choose, from the kept pieces."""
        body = page.body(token)
        encoding = negotiated_encoding(accept_encoding)
        if encoding is None or len(body) < self.app.config["COMPRESS_MIN_SIZE"]:
            return body, []
        kept = page.encoded_body(encoding, token)
        return (kept if kept is not None else compressed(self.app, body, encoding),
                [("Content-Encoding", encoding)])

    def session_cookie(self, session) -> str:
        app, interface = self.app, self.app.session_interface
        return dump_cookie(
            interface.get_cookie_name(app),
            interface.get_signing_serializer(app).dumps(dict(session)),
            expires=interface.get_expiration_time(app, session),
            httponly=interface.get_cookie_httponly(app),
            domain=interface.get_cookie_domain(app), path=interface.get_cookie_path(app),
            secure=interface.get_cookie_secure(app),
            samesite=interface.get_cookie_samesite(app),
            partitioned=interface.get_cookie_partitioned(app))
