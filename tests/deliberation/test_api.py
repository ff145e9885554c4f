"""The JSON API of the forum record, as partner sites and the room's phones use it: the
outcomes list and its filters, one item with counts and history, and voting by ticket."""

from datetime import date, datetime, timedelta

import pytest

from forum_app.deliberation import services
from forum_app.i18n import local_date, utcnow
from tests import factories
from tests.support import counted_queries

from .support import admitted, department_official, item_at, person

OUTCOME_KEYS = {"id", "event_id", "title_mn", "title_en", "stage", "issue_ids", "decision",
                "actions"}
ACTION_KEYS = {"id", "title_mn", "title_en", "department", "due_on", "status", "percent",
               "overdue"}


def _decided_with_actions(organiser, forum, official):
    item = item_at(organiser, forum, "decided")
    today = local_date(utcnow())
    late = services.add_action(organiser, item.decision, {
        "title_mn": "Хогийн цэг хашаалах", "title_en": "Fence the landfill",
        "department_id": official.department_id, "due_on": today - timedelta(days=1)})
    on_time = services.add_action(organiser, item.decision, {
        "title_mn": "Ангилах сав", "department_id": factories.department("education").id,
        "due_on": today + timedelta(days=20)})
    services.post_progress(official, late, "in_progress", 30)
    return item, late, on_time


def test_outcomes_have_the_agreed_shape(client, organiser, forum):
    official = department_official()
    item, late, on_time = _decided_with_actions(organiser, forum, official)
    open_item = item_at(organiser, forum, "problem")
    answer = client.get("/api/v1/outcomes")
    assert answer.status_code == 200
    body = answer.get_json()
    assert set(body) == {"items", "next"} and body["next"] is None
    assert [i["id"] for i in body["items"]] == [open_item.id, item.id]
    decided = body["items"][1]
    assert set(decided) == OUTCOME_KEYS and decided["stage"] == "in_progress"
    assert set(decided["decision"]) == {"text_mn", "text_en", "method", "decided_at",
                                        "review_on"}
    assert decided["decision"]["method"] == "vote"
    assert [set(a) for a in decided["actions"]] == [ACTION_KEYS, ACTION_KEYS]
    first = decided["actions"][0]
    assert (first["id"], first["department"], first["status"], first["percent"],
            first["overdue"]) == (late.id, "environment", "in_progress", 30, True)
    assert first["due_on"] == late.due_on.isoformat()
    assert decided["actions"][1]["overdue"] is False
    assert body["items"][0]["decision"] is None and body["items"][0]["actions"] == []


def test_each_filter_narrows_the_list(client, organiser, forum):
    official = department_official()
    item, _late, _on_time = _decided_with_actions(organiser, forum, official)
    other = item_at(organiser, factories.event(organiser), "discussion")

    def ids(query):
        answer = client.get(f"/api/v1/outcomes?{query}")
        assert answer.status_code == 200, answer.get_json()
        return [i["id"] for i in answer.get_json()["items"]]

    assert ids("stage=discussion") == [other.id]
    assert ids("stage=in_progress") == [item.id]
    assert ids("status=in_progress") == [item.id]
    assert ids("status=done") == []
    assert ids("department=environment") == [item.id]
    assert ids(f"department={official.department_id}") == [item.id]
    assert ids(f"event={forum.id}") == [item.id]
    assert ids(f"event={forum.slug}") == [item.id]
    assert ids("overdue=1") == [item.id]
    assert ids("overdue=0") == [other.id, item.id]


@pytest.mark.parametrize("query", ["stage=finished", "status=lost", "department=nowhere",
                                   "event=999999", "overdue=yes", "cursor=%%%", "cursor=YTow",
                                   "department=" + "ё" * 300, "sdg=18"])
def test_bad_filters_get_a_clear_json_error(client, organiser, forum, query):
    answer = client.get(f"/api/v1/outcomes?{query}")
    assert answer.status_code == 422
    assert answer.get_json()["code"] == "invalid" and answer.get_json()["fields"]


def test_pages_follow_the_cursor_in_a_fixed_number_of_queries(client, organiser, forum):
    official = department_official()
    made = [_decided_with_actions(organiser, forum, official)[0] for _ in range(3)]
    made += [item_at(organiser, forum, "problem") for _ in range(2)]
    seen, url, pages = [], "/api/v1/outcomes?per_page=2&lang=en", []
    for _page in range(50):
        if not url:
            break
        with counted_queries() as statements:
            answer = client.get(url)
        pages.append(len(statements))
        body = answer.get_json()
        seen += [i["id"] for i in body["items"]]
        url = body["next"]
        assert url is None or (url.startswith("/api/v1/outcomes?") and "per_page=2" in url
                               and "lang=en" in url)
    assert seen == sorted((i.id for i in made), reverse=True)
    assert len(pages) == 3 and max(pages) <= 8, pages  # the same for 2 items as for 1


def test_an_item_shows_its_options_votes_tallies_and_history(client, organiser, forum):
    item = item_at(organiser, forum, "voting")
    first, second = item.options
    for option in (first, first, second):
        services.cast_vote(item, admitted(forum, organiser).ticket.code, option.id)
    services.record_hand_tally(organiser, item, first.id, "citizen", 12)
    answer = client.get(f"/api/v1/agenda-items/{item.id}")
    assert answer.status_code == 200
    body = answer.get_json()
    assert set(body) >= OUTCOME_KEYS
    assert [(o["id"], o["votes"]) for o in body["options"]] == [(first.id, 2), (second.id, 1)]
    assert body["hand_tallies"][0] | {"recorded_at": None} == {
        "option_id": first.id, "stakeholder_kind": "citizen", "count": 12, "recorded_at": None}
    moves = [(h["from"], h["to"]) for h in body["history"] if h["what"] == "agenda.stage"]
    assert moves == [("problem", "discussion"), ("discussion", "options"),
                     ("options", "voting")]
    assert all(set(h) == {"at", "actor", "what", "from", "to", "reason"}
               for h in body["history"])
    assert client.get("/api/v1/agenda-items/999999").status_code == 404


def _vote(client, item, body, **kwargs):
    return client.post(f"/api/v1/agenda-items/{item.id}/votes", json=body, **kwargs)


def test_voting_by_ticket_answers_as_agreed(client, organiser, forum):
    item = item_at(organiser, forum, "voting")
    option = item.options[0].id
    voter = admitted(forum, organiser)
    answer = _vote(client, item, {"ticket": voter.ticket.code, "option_id": option})
    assert (answer.status_code, answer.get_json()) == (201, {"accepted": True})
    again = _vote(client, item, {"ticket": voter.ticket.code.lower(), "option_id": option})
    assert (again.status_code, again.get_json()["code"]) == (409, "already_voted")
    absent = person(forum)
    refused = _vote(client, item, {"ticket": absent.ticket.code, "option_id": option})
    assert (refused.status_code, refused.get_json()["code"]) == (403, "not_checked_in")
    unknown = _vote(client, item, {"ticket": "DF1-" + "Z" * 26, "option_id": option})
    assert (unknown.status_code, unknown.get_json()["code"]) == (404, "unknown_ticket")
    other = admitted(forum, organiser)
    wrong = _vote(client, item, {"ticket": other.ticket.code, "option_id": option + 999})
    assert (wrong.status_code, wrong.get_json()["code"]) == (422, "invalid")
    assert "option_id" in wrong.get_json()["fields"]


def test_voting_closed_outside_the_voting_stage(client, organiser, forum):
    item = item_at(organiser, forum, "options")
    voter = admitted(forum, organiser)
    answer = _vote(client, item, {"ticket": voter.ticket.code, "option_id": item.options[0].id})
    assert (answer.status_code, answer.get_json()["code"]) == (409, "voting_closed")


@pytest.mark.parametrize("body", [
    {}, {"ticket": 5, "option_id": 1}, {"ticket": "x", "option_id": "1"},
    {"ticket": "x", "option_id": True}, {"ticket": "x", "option_id": 1, "extra": 1},
    {"ticket": "x\u0000", "option_id": 1}, {"ticket": None, "option_id": 1},
    {"ticket": "x", "option_id": 2**70}, [1, 2], "text",
])
def test_bad_vote_input_is_a_clear_json_error_and_changes_nothing(client, organiser, forum,
                                                                   body):
    item = item_at(organiser, forum, "voting")
    answer = _vote(client, item, body)
    assert 400 <= answer.status_code < 500 and answer.get_json()["code"], answer.get_json()
    assert answer.status_code in (404, 422)


def test_not_json_and_unknown_items(client, organiser, forum):
    item = item_at(organiser, forum, "voting")
    answer = client.post(f"/api/v1/agenda-items/{item.id}/votes", data="{nope",
                         content_type="application/json")
    assert (answer.status_code, answer.get_json()["code"]) == (400, "bad_json")
    assert _vote(client, type("X", (), {"id": 2**31 - 1})(), {}).status_code == 404
    draft = factories.event(organiser, publish=False)
    hidden = item_at(organiser, draft, "problem")
    assert client.get(f"/api/v1/agenda-items/{hidden.id}").status_code == 404
    listed = [i["id"] for i in client.get("/api/v1/outcomes").get_json()["items"]]
    assert listed == [item.id]  # the draft forum's item stays hidden


@pytest.mark.parametrize(("utc_now", "overdue"), [
    ("2027-03-09T15:59", False),  # the day before the due date, 23:59 in Darkhan
    ("2027-03-10T15:59", False),  # the due date, 23:59 in Darkhan
    ("2027-03-10T16:00", True),  # 00:00 in Darkhan on the day after (still the 10th in UTC)
])
def test_overdue_in_the_api_follows_darkhans_clock(client, organiser, forum, monkeypatch,
                                                    utc_now, overdue):
    item = item_at(organiser, forum, "decided")
    services.add_action(organiser, item.decision, {
        "title_mn": "Ажил", "department_id": factories.department().id,
        "due_on": date(2027, 3, 10)})
    monkeypatch.setattr("forum_app.api.outcomes.utcnow",
                        lambda: datetime.fromisoformat(utc_now))
    action = client.get("/api/v1/outcomes").get_json()["items"][0]["actions"][0]
    assert action["overdue"] is overdue
    listed = client.get("/api/v1/outcomes?overdue=1").get_json()["items"]
    assert bool(listed) is overdue


def test_where_allowed_a_vote_is_changed_with_the_key_it_returned(client, organiser, forum):
    item = item_at(organiser, forum, "voting", allow_vote_change=True)
    first, second = (option.id for option in item.options)
    code = admitted(forum, organiser).ticket.code
    answer = _vote(client, item, {"ticket": code, "option_id": first})
    assert answer.status_code == 201 and answer.get_json()["change_key"]
    changed = _vote(client, item, {"ticket": code, "option_id": second,
                                   "change_key": answer.get_json()["change_key"]})
    assert changed.status_code == 201
    options = client.get(f"/api/v1/agenda-items/{item.id}").get_json()["options"]
    assert [o["votes"] for o in options] == [0, 1]
    again = _vote(client, item, {"ticket": code, "option_id": first,
                                 "change_key": answer.get_json()["change_key"]})
    assert (again.status_code, again.get_json()["code"]) == (409, "already_changed")
