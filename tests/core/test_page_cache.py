"""The public pages a visitor who is not signed in reads are served from a cache (core/
page_cache.py) that any change to what they show drops at once, in every worker."""

import os
import re
import urllib.request

import pytest
from sqlalchemy import text

from forum_app.core.page_version import current_version
from forum_app.extensions import db
from forum_app.issues.lifecycle import allowed_moves, move_issue
from forum_app.issues.services import add_comment
from tests import factories
from tests.http import all_at_once, post
from tests.support import text_of

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _english(client):
    client.set_cookie("lang", "en")
    return client


def _served_twice(client, path: str):
    """A page as the second visitor sees it: the first one's visit put it in the cache."""
    client.get(path)
    second = client.get(path)
    assert second.status_code == 200 and second.headers["X-Page-Cache"] == "hit"
    return text_of(second)


def test_each_visitor_gets_the_kept_page_with_their_own_working_csrf_token(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        factories.seed_reference()
    first, second = app.test_client(), app.test_client()
    assert first.get("/").headers["X-Page-Cache"] == "miss"
    kept = second.get("/")
    assert kept.headers["X-Page-Cache"] == "hit"
    tokens = [TOKEN.search(r.get_data(as_text=True)).group(1) for r in (first.get("/"), kept)]
    assert tokens[0] != tokens[1] and "\x00" not in kept.get_data(as_text=True)

    switched = second.post("/language", data={"csrf_token": tokens[1], "language": "en",
                                              "next": "/"})
    assert switched.status_code == 302
    assert '<html lang="en">' in second.get("/").get_data(as_text=True)
    assert '<html lang="mn">' in first.get("/").get_data(as_text=True)


def test_a_matching_etag_gets_304_until_what_the_page_shows_changes(app, client):
    event = factories.event(title_en="Forest Forum")
    page = f"/events/{event.slug}"
    etag = client.get(page).headers["ETag"]
    again = client.get(page, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""

    factories.event(title_en="Another forum")  # any public change: a new version
    changed = client.get(page, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert "Forest Forum" in text_of(_english(client).get(page))


def test_a_new_event_shows_at_once_on_home_and_the_events_list(app, client):
    factories.event(title_en="Clean water for the ger districts")
    for path in ("/", "/events/"):
        assert "Heating and air quality" not in _served_twice(_english(client), path)
    factories.event(title_en="Heating and air quality", days_ahead=1)
    for path in ("/", "/events/"):
        assert "Heating and air quality" in text_of(client.get(path))


def test_a_registration_shows_at_once_in_the_seats_left(app, client):
    event = factories.event(capacity=20)
    page = f"/events/{event.slug}"
    assert "20 seats left" in _served_twice(_english(client), page)
    answer = client.post(f"/api/v1/events/{event.id}/registrations",
                         json={"name": "Болд", "email": "bold@example.mn", "consent": True})
    assert answer.status_code == 201
    assert "19 seats left" in text_of(client.get(page))


def test_a_new_comment_and_a_status_change_show_at_once_on_the_issue_and_the_list(app, client):
    issue = factories.issue(title="Гудамжны гэрэл асахгүй байна")
    page = f"/issues/{issue.id}"
    assert "Шөнө харанхуй" not in _served_twice(client, page)
    add_comment(factories.user(), issue, "Шөнө харанхуй, хүүхдүүд айж байна.")
    assert "Шөнө харанхуй" in text_of(client.get(page))

    assert "Гудамжны гэрэл" in _served_twice(client, "/issues/")
    staff = factories.user(roles=["official"], department_slug="environment")
    move_issue(staff, issue, allowed_moves(issue)[0].value, "Хороонд шилжүүлэв: шалгана.")
    assert "Хороонд шилжүүлэв: шалгана." in text_of(client.get(page))
    factories.issue(title="Усны шугам хагарсан")
    assert "Усны шугам хагарсан" in text_of(client.get("/issues/"))


def test_the_outcomes_index_is_kept_too(app, client):
    _served_twice(client, "/forum/outcomes")


def test_a_signed_in_person_never_gets_the_kept_page_nor_leaves_theirs(app, client, auth):
    factories.user("citizen@example.mn", name="Оюунцэцэг Батболд")
    guest = app.test_client()
    assert "Оюунцэцэг" not in _served_twice(guest, "/")
    auth.login()
    mine = client.get("/")
    assert "Оюунцэцэг" in text_of(mine) and "X-Page-Cache" not in mine.headers
    assert mine.headers["Cache-Control"] == "private, no-store"
    assert "Оюунцэцэг" in text_of(client.get("/"))
    assert "Оюунцэцэг" not in text_of(guest.get("/"))
    assert "Оюунцэцэг" not in text_of(app.test_client().get("/"))


def test_a_visitor_with_a_message_waiting_gets_a_page_of_their_own(app, client):
    _served_twice(app.test_client(), "/")
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Таны бүртгэлийг хүлээн авлаа.")]
    page = client.get("/")
    assert "Таны бүртгэлийг хүлээн авлаа." in text_of(page) and "X-Page-Cache" not in page.headers
    assert "Таны бүртгэлийг" not in text_of(app.test_client().get("/"))


def test_only_writes_a_public_page_may_show_raise_the_version(app):
    before = current_version()
    db.session.execute(text("UPDATE outbox_messages SET attempts = attempts + 1"))
    db.session.commit()
    assert current_version() == before
    db.session.execute(text("UPDATE events SET capacity = capacity"))  # plain SQL counts too
    db.session.commit()
    assert current_version() == before + 1
    db.session.execute(text("UPDATE events SET capacity = capacity"))
    db.session.rollback()
    db.session.commit()
    assert current_version() == before + 1


def _get(url: str) -> tuple[str, str]:
    request = urllib.request.Request(url, headers={"Cookie": "lang=en"})
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback
        return response.headers["X-Page-Cache"], response.read().decode()


def test_a_change_made_through_one_worker_shows_on_the_next_request_to_every_worker(
        app, gunicorn_server):
    event = factories.event(capacity=30)
    page = f"{gunicorn_server.url}/events/{event.slug}"
    before = all_at_once(16, lambda n: _get(page)) + all_at_once(16, lambda n: _get(page))
    assert all("30 seats left" in body for _, body in before)
    assert any(source == "hit" for source, _ in before)

    status, _ = post(f"{gunicorn_server.url}/api/v1/events/{event.id}/registrations",
                     {"name": "Болд", "email": "bold@example.mn", "consent": True})
    assert status == 201
    after = all_at_once(16, lambda n: _get(page))
    assert all("29 seats left" in body for _, body in after)
    # Every worker that had kept the old page rendered the new one once, then kept it.
    assert any(source == "miss" for source, _ in after)


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="Redis only where REDIS_URL is set")
def test_pages_kept_in_redis_are_dropped_by_a_change_too(app_factory):
    app = app_factory(PAGE_CACHE_REDIS_URL=os.environ["REDIS_URL"])
    with app.app_context():
        factories.seed_reference()
        event = factories.event(capacity=20)
        client = _english(app.test_client())
        page = f"/events/{event.slug}"
        assert "20 seats left" in _served_twice(client, page)
        client.post(f"/api/v1/events/{event.id}/registrations",
                    json={"name": "Болд", "email": "bold@example.mn", "consent": True})
        assert "19 seats left" in text_of(client.get(page))


def test_pages_still_come_when_redis_is_away(app_factory):
    from tests.conftest import free_port

    app = app_factory(PAGE_CACHE_REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    with app.app_context():
        factories.seed_reference()
        factories.event(title_en="Forest Forum")
        client = _english(app.test_client())
        for _ in range(2):
            page = client.get("/events/")
            assert page.status_code == 200 and "Forest Forum" in text_of(page)
