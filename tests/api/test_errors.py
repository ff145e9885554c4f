"""Every status the API answers, errors of every kind included, has one JSON shape:
{"error": message in the language asked, "code": stable code, "fields": {...}} (never an
HTML page), also for an address no view matches, a wrong method, a rate limit and a crash."""

import json

import pytest

from forum_app.extensions import limiter
from tests import factories
from tests.deliberation.support import item_at, person

CYRILLIC = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюяөү")


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) >= {"error", "code", "fields"}, body
    assert body["code"] == code and body["error"].strip()
    assert isinstance(body["fields"], dict)
    return body


def is_mongolian(text: str) -> bool:
    return bool(CYRILLIC & set(text.lower()))


@pytest.fixture
def organiser(app):
    return factories.user("org@example.mn", roles=["organiser"])


def test_an_unknown_address_is_404_in_the_language_asked(client):
    english = assert_error(client.get("/api/v1/no-such-thing?lang=en"), 404, "not_found")
    assert english["fields"] == {} and not is_mongolian(english["error"])
    mongolian = assert_error(client.get("/api/v1/no-such-thing"), 404, "not_found")
    assert is_mongolian(mongolian["error"])
    by_header = client.get("/api/v1/events/7/nothing", headers={"Accept-Language": "en"})
    assert assert_error(by_header, 404, "not_found")["error"] == english["error"]


def test_a_missing_event_is_404_with_the_shape(client):
    body = assert_error(client.get("/api/v1/events/999999?lang=en"), 404, "not_found")
    assert body == {"error": "There is no such event.", "code": "not_found", "fields": {}}


def test_a_wrong_method_is_405_with_the_methods_allowed(client):
    response = client.delete("/api/v1/events?lang=en")
    body = assert_error(response, 405, "method_not_allowed")
    assert "Allow" in body["error"]
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "HEAD"}
    assert "DELETE" not in response.headers["Allow"]
    on_a_post = client.get("/api/v1/checkin/walk-in")
    assert assert_error(on_a_post, 405, "method_not_allowed")
    assert "POST" in on_a_post.headers["Allow"]


@pytest.mark.parametrize("issue_id", ["0", "2147483648", "99999999999"])
def test_an_id_no_row_can_have_is_404_whatever_the_method(client, issue_id):
    """Not 405: the address has routes for POST and DELETE, but none for this id."""
    for call in (client.post, client.delete, client.get):
        assert_error(call(f"/api/v1/issues/{issue_id}/support"), 404, "not_found")
    assert_error(client.post("/api/v1/issues/007/support"), 401, "token_missing")


def test_without_a_token_a_device_route_is_401_with_the_scheme(client):
    response = client.get("/api/v1/checkin/figures?lang=en")
    body = assert_error(response, 401, "unauthorized")
    assert body["fields"] == {} and "token" in body["error"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_body_that_is_not_json_is_400(client, organiser):
    event = factories.event(organiser)
    response = client.post(f"/api/v1/events/{event.id}/registrations?lang=en", data="{name:",
                           content_type="application/json")
    assert assert_error(response, 400, "bad_json")["fields"] == {}


def test_a_body_too_large_is_413(client, organiser):
    event = factories.event(organiser)
    response = client.post(f"/api/v1/events/{event.id}/registrations",
                           data=json.dumps({"name": "x" * 200_000}),
                           content_type="application/json")
    assert_error(response, 413, "too_large")


def test_a_body_beyond_what_the_server_reads_at_all_is_413_with_the_shape(app_factory):
    app = app_factory(MAX_CONTENT_LENGTH=1000)
    with app.app_context():
        factories.seed_reference()
        event_id = factories.event(factories.user(roles=["organiser"])).id
    response = app.test_client().post(f"/api/v1/events/{event_id}/registrations",
                                      data="x" * 5000, content_type="application/json")
    assert_error(response, 413, "too_large")


def test_wrong_input_is_422_with_a_message_per_field_in_both_languages(client, organiser):
    event = factories.event(organiser)
    url = f"/api/v1/events/{event.id}/registrations"
    body = {"name": 5, "email": "a@example.mn", "consent": True, "colour": "red"}
    english = assert_error(client.post(url + "?lang=en", json=body), 422, "invalid")
    assert english["fields"] == {"name": "Must be text.", "colour": "Unknown field."}
    mongolian = assert_error(client.post(url + "?lang=mn", json=body), 422, "invalid")
    assert set(mongolian["fields"]) == {"name", "colour"}
    assert all(is_mongolian(text) for text in [mongolian["error"], *mongolian["fields"].values()])


def test_a_query_that_is_wrong_is_422_naming_it(client):
    body = assert_error(client.get("/api/v1/events?when=someday&lang=en"), 422, "invalid")
    assert set(body["fields"]) == {"when"}


def test_a_refusal_by_the_rules_is_403_with_the_shape(client, organiser):
    forum = factories.event(organiser)
    item = item_at(organiser, forum, "voting")
    absent = person(forum)
    response = client.post(f"/api/v1/agenda-items/{item.id}/votes",
                           json={"ticket": absent.ticket.code, "option_id": item.options[0].id})
    assert set(assert_error(response, 403, "not_checked_in")["fields"]) == {"ticket"}


def test_input_no_database_can_store_is_400_with_the_shape(client):
    assert_error(client.get("/api/v1/events?q=a%00b"), 400, "bad_request")


def test_too_many_requests_is_429_with_retry_after_in_seconds(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True)
    limiter.reset()
    client = app.test_client()
    answers = [client.get("/api/v1/stats?lang=en") for _ in range(61)]
    assert [a.status_code for a in answers[:60]] == [200] * 60
    body = assert_error(answers[60], 429, "too_many_requests")
    assert "Retry-After" in body["error"]
    assert 0 < int(answers[60].headers["Retry-After"]) <= 60
    limiter.reset()


def test_a_crash_is_500_with_the_shape_and_no_trace(app_factory):
    app = app_factory()

    def broken():
        raise RuntimeError("secret internals")

    app.add_url_rule("/api/v1/broken-on-purpose", view_func=broken)
    response = app.test_client().get("/api/v1/broken-on-purpose?lang=en")
    body = assert_error(response, 500, "server_error")
    assert "secret" not in response.get_data(as_text=True) and body["fields"] == {}


def test_a_web_page_still_gets_its_html_error_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and response.mimetype == "text/html"
