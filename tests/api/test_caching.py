"""Public API resources carry an ETag of their body: a client that asks again with it gets
304 and no body until something it shows changes; and an event's agenda as its own list."""

from datetime import timedelta

import pytest

from forum_app.events import services
from tests import factories
from tests.deliberation.support import item_at


@pytest.fixture
def organiser(app):
    return factories.user("org@example.mn", roles=["organiser"])


@pytest.fixture
def event(organiser):
    event = factories.event(organiser, capacity=5, title_en="Clean air forum")
    services.add_session(organiser, event, {
        "title_mn": "Нээлт", "title_en": "Opening", "starts_at": event.starts_at,
        "ends_at": event.starts_at + timedelta(minutes=30), "room": "Танхим A",
        "speakers": "Дархан-Уул аймгийн Засаг дарга", "capacity": 40})
    services.add_session(organiser, event, {
        "title_mn": "Хэлэлцүүлэг", "starts_at": event.starts_at + timedelta(minutes=30),
        "ends_at": event.starts_at + timedelta(hours=2)})
    return event


def asked_again(client, url: str, first):
    return client.get(url, headers={"If-None-Match": first.headers["ETag"]})


@pytest.mark.parametrize("url", [
    "/api/v1/events", "/api/v1/events/{event}", "/api/v1/events/{event}/sessions",
    "/api/v1/outcomes", "/api/v1/agenda-items/{item}", "/api/v1/stats",
    "/api/v1/openapi.json"])
def test_an_unchanged_public_resource_is_304_without_a_body(client, organiser, event, url):
    item = item_at(organiser, event, "discussion")
    url = url.format(event=event.id, item=item.id)
    first = client.get(url)
    assert first.status_code == 200 and first.headers["ETag"].startswith('W/"')
    assert first.headers["Cache-Control"] == "public, no-cache"
    assert "Accept-Language" in first.headers["Vary"]
    again = asked_again(client, url, first)
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    other = client.get(url, headers={"If-None-Match": 'W/"something-else"'})
    assert other.status_code == 200 and other.get_data() == first.get_data()


def test_a_change_gives_the_new_body_and_a_new_etag(client, organiser, event):
    url = f"/api/v1/events/{event.id}"
    first = client.get(url)
    services.add_session(organiser, event, {
        "title_en": "Closing", "starts_at": event.starts_at + timedelta(hours=2),
        "ends_at": event.starts_at + timedelta(hours=3)})
    changed = asked_again(client, url, first)
    assert changed.status_code == 200 and changed.headers["ETag"] != first.headers["ETag"]
    assert [s["title_en"] for s in changed.get_json()["sessions"]][-1] == "Closing"


def test_each_language_has_its_own_etag(client, event):
    url = f"/api/v1/events/{event.id}"
    english = client.get(url + "?lang=en")
    mongolian = client.get(url, headers={"Accept-Language": "mn"})
    assert english.headers["ETag"] != mongolian.headers["ETag"]
    assert asked_again(client, url, english).status_code == 200  # Mongolian by default


def test_an_events_agenda_is_listed_as_its_page_shows_it(client, event):
    body = client.get(f"/api/v1/events/{event.id}/sessions?lang=en").get_json()
    opening, discussion = body["sessions"]
    assert set(body) == {"sessions"}
    assert opening | {"id": 0} == {
        "id": 0, "title": "Opening", "title_mn": "Нээлт", "title_en": "Opening",
        "start": event.starts_at.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
        "end": (event.starts_at + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%S+00:00"),
        "room": "Танхим A", "speakers": "Дархан-Уул аймгийн Засаг дарга", "capacity": 40}
    assert discussion["title"] == "Хэлэлцүүлэг" and discussion["title_en"] is None
    detail = client.get(f"/api/v1/events/{event.id}?lang=en").get_json()
    assert detail["sessions"] == body["sessions"]


def test_a_draft_events_agenda_is_not_found(client, organiser):
    draft = factories.event(organiser, publish=False)
    response = client.get(f"/api/v1/events/{draft.id}/sessions")
    assert response.status_code == 404 and response.get_json()["code"] == "not_found"
