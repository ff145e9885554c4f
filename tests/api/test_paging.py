"""Cursor pagination (database.seek, core.cursors, api.paging): every order walks each row
once, whatever its directions and NULLs; a cursor that is not the list's own is refused; the
events list pages by `next` with its filters kept."""

import base64
import json
from datetime import timedelta
from functools import cmp_to_key

import pytest
from sqlalchemy import select

from forum_app.core.cursors import decode_cursor, encode_cursor
from forum_app.database import OrderKey, seek
from forum_app.events.models import Event
from forum_app.extensions import db
from forum_app.i18n import utcnow
from tests import factories
from tests.api.support import walk

OPENS = Event.registration_opens_at  # nullable: NULLs must come last in either direction
ORDERS = {
    "opens, id": (OrderKey(OPENS, nullable=True), OrderKey(Event.id)),
    "opens desc, id desc": (OrderKey(OPENS, descending=True, nullable=True),
                            OrderKey(Event.id, descending=True)),
    "opens desc, capacity, id": (OrderKey(OPENS, descending=True, nullable=True),
                                 OrderKey(Event.capacity, nullable=True), OrderKey(Event.id)),
    "starts, id desc": (OrderKey(Event.starts_at), OrderKey(Event.id, descending=True)),
    "starts desc, id desc": (OrderKey(Event.starts_at, descending=True),
                             OrderKey(Event.id, descending=True)),
}


@pytest.fixture
def mixed_events(app):
    """Ten events with repeated times, repeated capacities and NULLs in both."""
    organiser = factories.user(roles=["organiser"])
    base = utcnow().replace(microsecond=0) + timedelta(days=3)
    made = []
    for n in range(10):
        event = factories.event(organiser, starts_at=base + timedelta(hours=n % 3),
                                capacity=None if n % 4 == 0 else 10 * (n % 2 + 1))
        event.registration_opens_at = None if n % 3 == 0 else base - timedelta(days=n % 2)
        made.append(event)
    db.session.commit()
    return made


def _expected(events, order) -> list[int]:
    def compare(a, b):
        for key in order:
            x, y = getattr(a, key.column.key), getattr(b, key.column.key)
            if x == y:
                continue
            if x is None or y is None:  # NULLs last in either direction
                return 1 if x is None else -1
            return (-1 if x < y else 1) * (-1 if key.descending else 1)
        return 0
    return [event.id for event in sorted(events, key=cmp_to_key(compare))]


@pytest.mark.parametrize("name", ORDERS)
def test_every_order_walks_each_row_once_page_by_page(mixed_events, name):
    order = ORDERS[name]
    seen, after, pages = [], None, 0
    for _page in range(50):
        rows, after = seek(select(Event), order, after=after, per_page=3)
        seen += [row.id for row in rows]
        pages += 1
        if after is None:
            break
        # The position goes through a cursor as a client would carry it.
        after = decode_cursor("test", order, encode_cursor("test", after))
    assert seen == _expected(mixed_events, order)
    assert pages == 4


def test_the_last_page_says_so_and_an_empty_list_is_one_empty_page(mixed_events):
    order = ORDERS["opens, id"]
    rows, after = seek(select(Event), order, per_page=10)
    assert len(rows) == 10 and after is None
    rows, after = seek(select(Event).where(Event.id < 0), order, per_page=10)
    assert rows == [] and after is None


def _raw(body) -> str:
    return base64.urlsafe_b64encode(json.dumps(body).encode()).decode().rstrip("=")


@pytest.mark.parametrize("cursor", [
    "%%%", "YTow", "a" * 700, "ё", _raw([1]), _raw({"l": "other", "k": [None, 1]}),
    _raw({"l": "test", "k": [None]}), _raw({"l": "test", "k": [None, "1"]}),
    _raw({"l": "test", "k": [None, True]}), _raw({"l": "test", "k": [None, 2**70]}),
    _raw({"l": "test", "k": ["tomorrow", 1]}), _raw({"l": "test", "k": [None, None]}),
    _raw({"l": "test", "k": [None, 1], "x": 1}), _raw({"l": "test", "k": [[], 1]}),
])
def test_a_cursor_that_is_not_the_lists_own_is_refused(app, cursor):
    with pytest.raises(ValueError):
        decode_cursor("test", ORDERS["opens, id"], cursor)


def test_a_cursor_keeps_times_and_nulls_exactly(app):
    order = ORDERS["opens, id"]
    moment = utcnow()
    assert decode_cursor("test", order, encode_cursor("test", (moment, 7))) == (moment, 7)
    assert decode_cursor("test", order, encode_cursor("test", (None, 7))) == (None, 7)
    assert decode_cursor("test", order, "") is None and decode_cursor("test", order, None) is None


# --- the events list through the API ---------------------------------------------------------

def test_events_page_by_next_keeping_the_filters(client, app):
    organiser = factories.user(roles=["organiser"])
    start = utcnow() - timedelta(days=40)
    past = [factories.event(organiser, starts_at=start + timedelta(days=n),
                            ends_at=start + timedelta(days=n, hours=2), title_en=f"Water {n}")
            for n in range(5)]
    factories.event(organiser, title_en="Heating", days_ahead=3)
    ids, links = walk(client, "/api/v1/events?when=past&q=water&per_page=2&lang=en", "events")
    assert ids == [event.id for event in reversed(past)]  # the latest first
    assert len(links) == 2 and all(link.startswith("/api/v1/events?") for link in links)
    assert all(("when=past" in link and "q=water" in link and "per_page=2" in link
                and "lang=en" in link) for link in links)


def test_events_walked_while_events_are_added_show_each_once(client, app):
    organiser = factories.user(roles=["organiser"])
    made = [factories.event(organiser, days_ahead=n + 2) for n in range(6)]

    def arrive():  # one sooner than every other (before the cursor) and one later than all
        factories.event(organiser, days_ahead=1)
        factories.event(organiser, days_ahead=40)

    seen, _links = walk(client, "/api/v1/events?per_page=2", "events", between=arrive)
    assert len(seen) == len(set(seen))
    assert [i for i in seen if i in {e.id for e in made}] == [e.id for e in made]


@pytest.mark.parametrize("query", ["cursor=%%%", "cursor=YTow", "per_page=0", "per_page=101",
                                   "per_page=ten", "per_page=-1"])
def test_a_bad_cursor_or_page_size_is_a_clear_422_in_both_languages(client, app, query):
    field = query.partition("=")[0]
    english = client.get(f"/api/v1/events?{query}&lang=en")
    mongolian = client.get(f"/api/v1/events?{query}&lang=mn")
    for answer in (english, mongolian):
        assert answer.status_code == 422 and answer.is_json
        assert answer.get_json()["code"] == "invalid"
        assert set(answer.get_json()["fields"]) == {field}
    assert english.get_json()["fields"][field] != mongolian.get_json()["fields"][field]
    assert any("\u0400" <= c <= "\u04ff" for c in mongolian.get_json()["fields"][field])


def test_a_cursor_of_another_list_or_order_is_refused(client, app):
    organiser = factories.user(roles=["organiser"])
    for n in range(3):
        factories.event(organiser, days_ahead=n + 2)
    following = client.get("/api/v1/events?per_page=1").get_json()["next"]
    cursor = following.partition("cursor=")[2].partition("&")[0]
    assert client.get(f"/api/v1/events?cursor={cursor}").status_code == 200
    for elsewhere in (f"/api/v1/events?when=past&cursor={cursor}",
                      f"/api/v1/outcomes?cursor={cursor}"):
        answer = client.get(elsewhere)
        assert answer.status_code == 422 and "cursor" in answer.get_json()["fields"]


def test_lists_answer_304_to_what_the_client_has(client, app):
    factories.event(factories.user(roles=["organiser"]))
    for url in ("/api/v1/outcomes", "/api/v1/events"):
        first = client.get(url)
        assert first.status_code == 200 and first.headers["ETag"]
        again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.get_data() == b""
    english = client.get("/api/v1/events?lang=en", headers={"If-None-Match": first.headers["ETag"]})
    assert english.status_code == 200 and english.get_json()["events"]  # other words, new tag
