"""Searching events by words: the events list's search box and the API's ?q=, over titles,
descriptions, venues and topic names in both languages, any case (Cyrillic too), together
with the other filters."""

from datetime import timedelta

import pytest

from forum_app.i18n import utcnow
from tests import factories
from tests.support import mn, text_of

TITLES = ("Хог хаягдлын форум", "Агаарын чанарын сургалт", "Made in Darkhan үзэсгэлэн",
          "Хуучин хог хаягдлын уулзалт")


@pytest.fixture
def events(app):
    organiser = factories.user("org@example.mn", roles=["organiser"])
    return {
        "waste": factories.event(organiser, title_mn=TITLES[0], title_en="Waste forum",
                                 description_mn="Дамжуулах цэгүүдийг хэлэлцэнэ.",
                                 tags=["sdg-11"]),
        "air": factories.event(organiser, kind="training", title_mn=TITLES[1], title_en=None,
                               venue_name_mn="Соёлын ордон", venue_name_en="Culture Palace",
                               tags=["sdg-13"], days_ahead=20),
        "fair": factories.event(organiser, kind="exhibition", title_mn=TITLES[2],
                                title_en="Made in Darkhan fair",
                                description_en="Thirty local enterprises show their goods.",
                                tags=["pillar-innovation"], days_ahead=30),
        "old": factories.event(organiser, title_mn=TITLES[3], title_en="Old waste meeting",
                               starts_at=utcnow() - timedelta(days=40)),
    }


def found(client, query: str) -> set[str]:
    page = text_of(client.get("/events/" + query))
    return {title for title in TITLES if title in page}


def test_words_are_found_in_any_case_and_either_language(client, events):
    assert found(client, "?q=ХОГ") == {TITLES[0]}  # upper-case Cyrillic finds "Хог"
    assert found(client, "?q=Waste") == {TITLES[0]}
    assert found(client, "?q=дамжуулах") == {TITLES[0]}  # the description
    assert found(client, "?q=culture+palace") == {TITLES[1]}  # the venue, in English
    assert found(client, "?q=ENTERPRISES") == {TITLES[2]}


def test_topic_names_are_searched_in_both_languages(client, events):
    assert found(client, "?q=climate") == {TITLES[1]}  # SDG 13, "Climate action"
    mongolian = max(mn("Climate action").split(), key=len)
    assert mongolian.isalpha() and not mongolian.isascii()  # the goal's Mongolian name
    assert found(client, "?q=" + mongolian.upper()) == {TITLES[1]}


def test_every_word_must_match_and_the_other_filters_still_apply(client, events):
    assert found(client, "?q=darkhan+fair") == {TITLES[2]}
    assert found(client, "?q=fair+waste") == set()
    assert found(client, "?q=хаягдлын") == {TITLES[0]}
    assert found(client, "?q=хаягдлын&when=past") == {TITLES[3]}
    assert found(client, "?q=форум&kind=training") == set()
    assert found(client, "?q=сургалт&kind=training") == {TITLES[1]}
    assert found(client, "?q=100%25") == set()  # a "%" is a character, not a wildcard


def test_no_match_says_so_and_offers_to_clear_the_search(client, events):
    response = client.get("/events/?q=шатар&kind=city_forum")
    page = text_of(response)
    assert response.status_code == 200
    assert mn("No upcoming events match your search.") in page
    assert mn("Clear the search") in page
    assert 'href="/events/?when=upcoming&amp;kind=city_forum"' in response.get_data(as_text=True)
    assert 'name="q"' in page and 'value="шатар"' in page  # the box keeps what was typed


def test_a_search_says_how_many_events_it_found(client, events):
    page = text_of(client.get("/events/?q=форум"))
    assert mn("%(num)d event matches “%(query)s”.", num=1, query="форум") in page


def test_an_overlong_search_is_refused_clearly_and_the_list_still_shows(client, events):
    response = client.get("/events/?q=" + "х" * 101)
    assert response.status_code == 422
    assert mn("Please search with at most %(max)d characters.", max=100) in text_of(response)
    assert found(client, "?q=" + "х" * 101) == set(TITLES[:3])


def test_the_api_list_takes_the_same_search(client, events):
    body = client.get("/api/v1/events?q=ХОГ").json
    assert [event["id"] for event in body["events"]] == [events["waste"].id]
    body = client.get("/api/v1/events?q=climate&when=all").json
    assert [event["id"] for event in body["events"]] == [events["air"].id]
    refused = client.get("/api/v1/events?q=" + "x" * 101)
    assert refused.status_code == 422 and "q" in refused.json["fields"]
