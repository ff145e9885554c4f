"""Finding 8 (Low): private pages (/account/, /notifications/, attendee lists, /admin/outbox
with live reset links, the officials' queue) carried no Cache-Control. Every page a signed-in
person gets, and a guest's manage link and ticket, is `private, no-store`."""

import pytest

from tests import factories
from tests.registration.support import confirm_in_browser


@pytest.mark.parametrize("path", ["/account/", "/notifications/", "/admin/users",
                                  "/admin/outbox", "/"])
def test_every_page_of_a_signed_in_person_is_not_stored(client, auth, path):
    factories.user("citizen@example.mn", roles=("admin",))
    auth.login()
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"


def test_a_view_that_sets_its_own_caching_keeps_it(client, auth):
    factories.user("citizen@example.mn")
    auth.login()
    assert "no-store" not in client.get("/static/css/app.css").headers.get("Cache-Control", "")


def test_public_pages_for_guests_stay_cacheable(client):
    """The browser keeps them and asks again each time (304 when unchanged: the page cache);
    `private`, since each carries the visitor's own CSRF token."""
    response = client.get("/")
    assert response.headers["Cache-Control"] == "private, no-cache" and response.headers["ETag"]


def test_a_guests_manage_link_and_ticket_are_not_stored(client):
    event = factories.event(capacity=5)
    response = client.post(f"/api/v1/events/{event.id}/registrations",
                           json={"name": "Болд", "email": "bold@example.mn", "consent": True})
    path = response.get_json()["manage_url"].replace("http://localhost", "")
    confirm_path = confirm_in_browser(client, "bold@example.mn").request.path
    assert client.get(confirm_path).headers["Cache-Control"] == "private, no-store"
    for url in (path, path + "/qr.png", path + "/ticket.pdf"):
        got = client.get(url)
        assert got.status_code == 200 and got.headers["Cache-Control"] == "private, no-store"


def test_the_answer_that_signs_someone_in_without_any_cookie_is_not_stored(app):
    """A request with no cookie at all is not read for a signed-in person (security.py): the
    one that signs someone in is the exception, and its answer stays private."""
    factories.user("citizen@example.mn")
    client = app.test_client()  # no cookie of any kind yet
    response = client.post("/account/login", data={"email": "citizen@example.mn",
                                                   "password": factories.PASSWORD})
    assert response.status_code == 302 and "session=" in response.headers["Set-Cookie"]
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "Cookie" in response.headers["Vary"]


def test_a_cookieless_api_answer_keeps_its_security_headers_and_sets_no_cookie(client):
    response = client.get("/api/v1/checkin/figures", headers={"Authorization": "Bearer x"})
    assert response.status_code == 401
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert "Cookie" in response.headers["Vary"] and "Set-Cookie" not in response.headers
    assert "Cache-Control" not in response.headers or "public" not in \
        response.headers["Cache-Control"]


def test_a_views_own_security_header_is_kept_once_and_the_others_added(app_factory):
    """security.add_headers adds only the headers a view did not set, whatever their case."""
    app = app_factory()

    def own_headers():
        return "ok", {"referrer-policy": "no-referrer", "cache-control": "no-cache"}

    app.add_url_rule("/own-headers", "own_headers", own_headers)
    response = app.test_client().get("/own-headers")
    assert response.headers.getlist("Referrer-Policy") == ["no-referrer"]
    assert response.headers.getlist("Cache-Control") == ["no-cache"]
    assert response.headers.getlist("X-Frame-Options") == ["DENY"]
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
