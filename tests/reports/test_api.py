"""GET /api/v1/stats: public, aggregate, small cells hidden, bad dates a 422 with fields."""

from datetime import timedelta

import pytest

from tests import factories

from .support import admitted, event_on, issue_at, person, today


@pytest.fixture
def organiser(app):
    return factories.user(roles=["organiser"])


def test_stats_of_a_period(client, organiser):
    day = today()
    forum = event_on(organiser, whole_day=True)
    for _ in range(6):
        admitted(forum, organiser)
    person(forum)
    for hour in range(6):
        issue_at(day, hour, district_id=factories.district().id)
    issue_at(day, 7, district_id=factories.district("orkhon").id)

    response = client.get(f"/api/v1/stats?from={day}&to={day}")
    assert response.status_code == 200
    body = response.get_json()
    assert (body["events_held"], body["registrations"], body["checked_in"]) == (1, 7, 6)
    assert body["no_show_rate"] == round(1 / 7, 4)
    assert body["issues"]["by_status"] == {"submitted": 7}
    assert body["issues"]["by_district"] == {"darkhan-new": 6, "orkhon": "<5"}
    assert body["issues"]["total"] == 7
    assert body["median_days_to_first_answer"] is None
    assert body["decisions"] == 0
    assert body["actions"] == {"done": 0, "on_time": 0, "overdue": 0}


def test_no_events_in_the_period(client):
    body = client.get("/api/v1/stats?from=2001-01-01&to=2001-01-31").get_json()
    assert body["events_held"] == 0 and body["no_show_rate"] is None
    assert body["issues"] == {"total": 0, "by_status": {}, "by_district": {}}


def test_kind_filters_events(client, organiser):
    day = today()
    event_on(organiser, whole_day=True, kind="training")
    assert client.get(f"/api/v1/stats?from={day}&to={day}&kind=training"
                      ).get_json()["events_held"] == 1
    assert client.get(f"/api/v1/stats?from={day}&to={day}&kind=exhibition"
                      ).get_json()["events_held"] == 0


@pytest.mark.parametrize("query, field", [
    ("from=2026-02-30", "from"), ("to=tomorrow", "to"), ("kind=party", "kind"),
    ("from=2026-05-02&to=2026-05-01", "to"), ("from=" + "9" * 500, "from")])
def test_bad_input_is_a_422_with_fields(client, query, field):
    response = client.get(f"/api/v1/stats?{query}&lang=en")
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == "invalid" and field in body["fields"]


def test_the_answer_is_in_mongolian_by_default(client):
    body = client.get("/api/v1/stats?from=x").get_json()
    assert body["fields"]["from"] != "Please give a date as YYYY-MM-DD."


def test_default_period_is_this_year(client):
    body = client.get("/api/v1/stats").get_json()
    assert body["to"] == today().isoformat() and body["from"].endswith("-01-01")
    assert (today() - timedelta(days=366)).isoformat() < body["from"]
