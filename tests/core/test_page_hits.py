"""A kept public page is answered before Flask's request machinery starts (core/page_hits.py):
the visitor gets what Flask would have sent (the same headers, their own working CSRF token,
the encoding they asked for, 304 to a matching ETag), and everyone Flask must answer itself
(signed in, a message waiting, a remember-me cookie, an untrusted host) still gets Flask."""

import gzip
import re

import brotli
import pytest
from flask import request_started

from forum_app.core.page_encodings import KeptPage
from tests import factories
from tests.support import text_of

TOKEN = re.compile(rb'name="csrf_token" value="([^"]+)"')
# What differs between two answers of one page by nature: the time, the cache's own note, and
# the size of a body compressed by another compressor (Flask-Compress's on a render).
NATURALLY_DIFFERENT = {"Date", "X-Page-Cache", "Content-Length"}
ENCODINGS = {"": None, "gzip": "gzip", "gzip, deflate, br": "br", "br;q=0, gzip": "gzip",
             "identity": None}


@pytest.fixture
def site(app_factory):
    # A day's time step: a test that compares a kept page with Flask's must not straddle the
    # step's boundary (pages of the next step are kept anew, with another ETag).
    app = app_factory(WTF_CSRF_ENABLED=True, HSTS=True, PAGE_CACHE_SECONDS=86_400)
    with app.app_context():
        factories.seed_reference()
        event = factories.event(title_en="Clean water for the ger districts", capacity=40)
        factories.issue(title="Гудамжны гэрэл асахгүй байна")
        app.event_page = f"/events/{event.slug}"
    return app


def _rendered_by_flask(app, client, path, **options):
    app.extensions["page_cache"].pages.clear()
    answer = client.get(path, **options)
    assert answer.headers["X-Page-Cache"] == "miss"
    return answer


def _plain(answer) -> bytes:
    body = answer.get_data()
    encoding = answer.headers.get("Content-Encoding")
    return {"gzip": gzip.decompress, "br": brotli.decompress}.get(encoding, bytes)(body)


def _without_same_session(headers: dict, visitor) -> dict:
    """A render sends the visitor's session again (Flask-Login's session protection touches
    it), with a new time but the same content: a kept page leaves the cookie as it is."""
    again = headers.pop("Set-Cookie", None)
    if again is not None:
        content = visitor.get_cookie("session").value.split(".")[0]
        assert again.startswith(f"session={content}.")
    return headers


def _same_page_same_secret(app, kept: bytes, flask: bytes) -> bool:
    """The very same page, with a CSRF token of the same secret (a token is signed with the
    second it was made in, so two renders a second apart differ in their tokens' ends)."""
    tokens = [TOKEN.search(page).group(1) for page in (kept, flask)]
    signer = app.wsgi_app.signer
    return (signer.loads(tokens[0]) == signer.loads(tokens[1])
            and kept.replace(tokens[0], b"") == flask.replace(tokens[1], b""))


def _headers(answer) -> dict:
    return {name: value for name, value in answer.headers.items()
            if name not in NATURALLY_DIFFERENT}


@pytest.mark.parametrize("accept", ENCODINGS)
@pytest.mark.parametrize("path", ["/", "/events/", "event", "/issues/"])
def test_a_returning_visitor_gets_from_the_middleware_exactly_what_flask_sends(site, accept,
                                                                               path):
    path = site.event_page if path == "event" else path
    visitor = site.test_client()
    visitor.get(path)  # the first visit: a session with the visitor's CSRF secret
    options = {"headers": {"Accept-Encoding": accept}}
    flask = _rendered_by_flask(site, visitor, path, **options)
    kept = visitor.get(path, **options)
    assert kept.headers["X-Page-Cache"] == "hit" and "Set-Cookie" not in kept.headers
    assert _headers(kept) == _without_same_session(_headers(flask), visitor)
    assert kept.headers.get("Content-Encoding") == ENCODINGS[accept]
    assert _same_page_same_secret(site, _plain(kept), _plain(flask))
    assert int(kept.headers["Content-Length"]) == len(kept.get_data())

    etag = {"If-None-Match": kept.headers["ETag"], "Accept-Encoding": accept}
    flask_304 = _rendered_by_flask(site, visitor, path, headers=etag)
    kept_304 = visitor.get(path, headers=etag)
    assert (kept_304.status_code, flask_304.status_code) == (304, 304)
    assert kept_304.get_data() == b""
    assert _headers(kept_304) == _without_same_session(_headers(flask_304), visitor)


@pytest.mark.parametrize("accept", ENCODINGS)
def test_a_first_visit_gets_a_new_secret_and_a_token_that_submits(site, accept):
    options = {"headers": {"Accept-Encoding": accept}}
    flask = _rendered_by_flask(site, site.test_client(), "/", **options)
    visitor = site.test_client()
    kept = visitor.get("/", **options)
    assert kept.headers["X-Page-Cache"] == "hit"
    assert _headers(kept).keys() == _headers(flask).keys()
    for name in _headers(flask).keys() - {"ETag", "Set-Cookie"}:
        assert kept.headers[name] == flask.headers[name], name
    cookie_attributes = [h.split(";", 1)[1] for h in (kept.headers["Set-Cookie"],
                                                     flask.headers["Set-Cookie"])]
    assert cookie_attributes[0] == cookie_attributes[1]

    tokens = [TOKEN.search(_plain(answer)).group(1) for answer in (kept, flask)]
    assert tokens[0] != tokens[1]
    assert _plain(kept).replace(tokens[0], b"") == _plain(flask).replace(tokens[1], b"")
    switched = visitor.post("/language", data={"csrf_token": tokens[0].decode(),
                                               "language": "en", "next": "/"})
    assert switched.status_code == 302
    assert b'<html lang="en">' in visitor.get("/").get_data()
    refused = site.test_client().post("/language", data={"csrf_token": tokens[0].decode(),
                                                         "language": "en", "next": "/"})
    assert refused.status_code == 400  # another visitor cannot use it


def test_a_hit_never_starts_flasks_request_machinery(site):
    started = []
    site.test_client().get("/issues/")
    with request_started.connected_to(lambda sender, **extra: started.append(1), site):
        kept = site.test_client().get("/issues/")
        assert kept.headers["X-Page-Cache"] == "hit" and started == []
        site.test_client().get("/issues/?page=2")
        assert started == [1]  # not kept yet: Flask renders it


def test_head_gets_the_headers_of_the_kept_page_without_its_body(site):
    visitor = site.test_client()
    page = visitor.get("/events/")
    head = visitor.head("/events/")
    assert head.headers["X-Page-Cache"] == "hit" and head.get_data() == b""
    assert head.headers["Content-Length"] == page.headers["Content-Length"]


def test_a_remember_me_cookie_or_an_untrusted_host_goes_to_flask(site):
    site.test_client().get("/")
    remembered = site.test_client()
    remembered.set_cookie("remember_token", "1|not-a-real-one")
    assert remembered.get("/").headers.get("X-Page-Cache") != "hit"

    site.config["TRUSTED_HOSTS"] = ["localhost"]
    assert site.test_client().get("/", headers={"Host": "evil.example"}).status_code == 400
    assert site.test_client().get("/").headers["X-Page-Cache"] == "hit"


def test_a_visitor_with_a_message_keeps_it_and_then_gets_kept_pages(site):
    site.test_client().get("/")
    visitor = site.test_client()
    with visitor.session_transaction() as session:
        session["_flashes"] = [("info", "Таны бүртгэлийг хүлээн авлаа.")]
    shown = visitor.get("/")
    assert "Таны бүртгэлийг хүлээн авлаа." in text_of(shown)
    assert "X-Page-Cache" not in shown.headers
    after = visitor.get("/")
    assert after.headers["X-Page-Cache"] == "hit"
    assert "Таны бүртгэлийг" not in text_of(after)


def test_every_token_fits_the_compressed_pieces_of_a_real_page(site):
    page_bytes = site.test_client().get(site.event_page).get_data()
    kept = next(iter(site.extensions["page_cache"].pages.values()))
    assert len(kept.parts) > 1 and {"gzip", "br"} <= kept.encoded.keys()
    assert KeptPage.load(kept.dump()) == kept
    for n in range(20):
        token = (b"%02d" % n) * (kept.token_length // 2) + b"x" * (kept.token_length % 2)
        plain = kept.body(token)
        assert gzip.decompress(kept.encoded_body("gzip", token)) == plain
        assert brotli.decompress(kept.encoded_body("br", token)) == plain
    assert TOKEN.sub(b"", plain) == TOKEN.sub(b"", page_bytes)


def test_a_page_under_a_rate_limit_is_left_to_flask_so_the_limit_counts(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_DEFAULT="3 per minute")
    with app.app_context():
        factories.seed_reference()
    answers = [app.test_client().get("/") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[1].headers["X-Page-Cache"] == "miss"  # Flask's answer, with the limit's
    assert answers[1].headers["X-RateLimit-Remaining"] == "1"


def test_a_signed_in_page_reads_the_session_cookie_once(app_factory, monkeypatch):
    """The middleware hands the session it decoded to Flask: the person still gets their own
    page, and a cookie changed by hand still signs nobody in."""
    app = app_factory()
    with app.app_context():
        factories.seed_reference()
        factories.user(email="saraa@example.mn", name="Сараа Батбаяр")
    visitor = app.test_client()
    visitor.post("/account/login", data={"email": "saraa@example.mn",
                                         "password": factories.PASSWORD})
    decoded = []
    serializer = app.session_interface.get_signing_serializer

    def counting(of_app):
        signer = serializer(of_app)
        loads = signer.loads
        signer.loads = lambda *args, **kwargs: decoded.append(1) or loads(*args, **kwargs)
        return signer

    monkeypatch.setattr(app.session_interface, "get_signing_serializer", counting)
    page = visitor.get("/account/registrations")
    assert page.status_code == 200 and "Сараа Батбаяр" in text_of(page)
    assert decoded == [1]

    cookie = visitor.get_cookie("session").value
    visitor.set_cookie("session", cookie[:-2] + ("AA" if cookie[-2:] != "AA" else "BB"))
    refused = visitor.get("/account/registrations")
    assert refused.status_code == 302 and "/account/login" in refused.headers["Location"]
