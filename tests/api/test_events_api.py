"""The public JSON API: event lists and details, and registering from a partner site with
every kind of bad input answered by a JSON error, never a 500 and never HTML."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from forum_app.events.services import cancel_event, save_question
from forum_app.extensions import db, limiter
from forum_app.i18n import utcnow
from forum_app.registration.models import Registration
from tests import factories
from tests.registration.support import follow_confirmation

ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$")


@pytest.fixture
def organiser(app):
    return factories.user("org@example.mn", roles=["organiser"])


@pytest.fixture
def event(organiser):
    return factories.event(organiser, capacity=2, title_mn="Тэг хаягдалтай Дархан",
                           title_en="Zero Waste Darkhan")


def with_questions(organiser, event):
    meal = save_question(organiser, event, {
        "kind": "single", "label_mn": "Хоол", "label_en": "Meal", "required": True,
        "options": [{"mn": "Цагаан хоол", "en": "Vegetarian"}, {"mn": "Ердийн", "en": "Regular"}]})
    topics = save_question(organiser, event, {
        "kind": "multiple", "label_mn": "Сэдэв", "label_en": "Topics",
        "options": [{"mn": "Ус", "en": "Water"}, {"mn": "Агаар", "en": "Air"}]})
    bus = save_question(organiser, event, {"kind": "yes_no", "label_en": "Need the bus?"})
    idea = save_question(organiser, event, {"kind": "text", "label_mn": "Санал"})
    return meal, topics, bus, idea


def person(n=1, **values):
    return {"name": f"Оролцогч {n}", "email": f"p{n}@example.mn", "consent": True} | values


def post(client, event_id, body, **kwargs):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(f"/api/v1/events/{event_id}/registrations", data=data,
                       content_type="application/json", **kwargs)


def assert_json_error(response, status, code=None):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json, response.get_data(as_text=True)[:200]
    assert response.json["error"] and isinstance(response.json["fields"], dict)
    if code:
        assert response.json["code"] == code
    return response.json


# --- reading events ----------------------------------------------------------------------------

def test_list_of_upcoming_published_events(client, organiser, event):
    factories.event(organiser, publish=False, title_en="Draft plan")
    unlimited = factories.event(organiser, capacity=None, days_ahead=20, title_en=None,
                                title_mn="Зөвхөн монголоор")
    body = client.get("/api/v1/events").json
    assert [e["id"] for e in body["events"]] == [event.id, unlimited.id]
    first = body["events"][0]
    assert {"id", "slug", "title", "title_mn", "title_en", "kind", "start", "end", "venue",
            "capacity", "seats_left", "registration_open", "registration_mode", "url"} <= set(first)
    assert first["title"] == "Тэг хаягдалтай Дархан" and first["title_en"] == "Zero Waste Darkhan"
    assert ISO_UTC.match(first["start"]) and ISO_UTC.match(first["end"])
    assert first["start"] == event.starts_at.strftime("%Y-%m-%dT%H:%M:%S+00:00")
    assert first["capacity"] == 2 and first["seats_left"] == 2
    assert first["registration_open"] is True and first["registration_mode"] == "open"
    assert first["url"].endswith(f"/events/{event.slug}")
    assert first["venue"] == "Дархан-Уул аймгийн ЗДТГ"
    assert body["events"][1]["capacity"] is None and body["events"][1]["seats_left"] is None

    english = client.get("/api/v1/events?lang=en").json["events"]
    assert english[0]["title"] == "Zero Waste Darkhan"
    assert english[1]["title"] == "Зөвхөн монголоор"  # falls back to the language there is
    assert client.get(first["url"].replace("http://localhost", "")).status_code == 200


def test_past_and_all_events(client, organiser, event):
    start = utcnow() - timedelta(days=30)
    past = factories.event(organiser, starts_at=start, ends_at=start + timedelta(hours=2))
    assert [e["id"] for e in client.get("/api/v1/events?when=past").json["events"]] == [past.id]
    assert [e["id"] for e in client.get("/api/v1/events?when=all").json["events"]] == [
        past.id, event.id]
    assert client.get("/api/v1/events?when=past").json["events"][0]["registration_open"] is False
    bad = assert_json_error(client.get("/api/v1/events?when=tomorrow"), 422, "invalid")
    assert "when" in bad["fields"]
    assert client.get("/api/v1/events?page=99999999999999999999999").status_code == 200


def test_one_event_with_its_questions(client, organiser, event):
    meal, topics, bus, idea = with_questions(organiser, event)
    body = client.get(f"/api/v1/events/{event.id}?lang=en").json
    assert body["id"] == event.id and body["title"] == "Zero Waste Darkhan"
    assert body["questions"][0] == {"id": meal.id, "kind": "single", "label": "Meal",
                                    "options": ["Vegetarian", "Regular"], "required": True}
    assert [q["kind"] for q in body["questions"]] == ["single", "multiple", "yes_no", "text"]
    assert body["questions"][3]["label"] == "Санал" and body["questions"][3]["required"] is False


def test_unknown_and_draft_events_are_json_404(client, organiser):
    draft = factories.event(organiser, publish=False)
    for url in (f"/api/v1/events/{draft.id}", "/api/v1/events/424242",
                "/api/v1/events/99999999999999999999", "/api/v1/events/abc",
                "/api/v1/nothing-here", f"/api/v1/events/{draft.id}/registrations"):
        response = client.get(url) if "registrations" not in url else post(client, draft.id,
                                                                             person())
        assert_json_error(response, 404)
    assert_json_error(post(client, 424242, person()), 404, "not_found")


def test_wrong_method_is_json_405(client, event):
    on_a_post = client.get(f"/api/v1/events/{event.id}/registrations")
    assert assert_json_error(on_a_post, 405, "method_not_allowed")["fields"] == {}
    assert set(on_a_post.headers["Allow"].split(", ")) == {"OPTIONS", "POST"}
    assert_json_error(client.delete(f"/api/v1/events/{event.id}"), 405, "method_not_allowed")


# --- registering -------------------------------------------------------------------------------

def test_capacity_two_then_waiting_list_and_the_ticket_page_works(client, event):
    answers = [post(client, event.id, person(n)) for n in range(3)]
    assert [r.status_code for r in answers] == [201, 201, 201]
    # Nobody proved an e-mail yet: two seats held, no ticket given out.
    assert [r.json["status"] for r in answers] == ["held", "held", "waitlisted"]
    first = answers[0].json
    assert "ticket" not in first and first["manage_url"]
    registration = db.session.get(Registration, first["id"])
    held_until = datetime.fromisoformat(first["hold_expires_at"])
    assert held_until == registration.hold_expires_at.replace(tzinfo=UTC)
    assert held_until - registration.consent_at.replace(tzinfo=UTC) == timedelta(minutes=30)
    assert "ticket" not in answers[2].json and "hold_expires_at" not in answers[2].json
    assert client.get(f"/api/v1/events/{event.id}").json["seats_left"] == 0

    follow_confirmation(registration)  # the person follows the link in their mail
    db.session.refresh(registration)
    assert registration.source == "api" and registration.state == "confirmed"
    page = client.get(first["manage_url"].replace("http://localhost", ""))
    assert page.status_code == 200 and registration.ticket.code in page.get_data(as_text=True)


def test_full_registration_with_answers(client, organiser, event):
    meal, topics, bus, idea = with_questions(organiser, event)
    district = factories.district()
    response = post(client, event.id, person(
        phone="99112233", language="en", stakeholder_kind="business", organisation="Дархан Ус",
        district_id=district.id, gender="female", age_band="25-34",
        accessibility_needs="Wheelchair access",
        answers={str(meal.id): 1, str(topics.id): [0, 1], str(bus.id): True,
                 str(idea.id): "Ногоон байгууламж"}))
    assert response.status_code == 201, response.json
    registration = db.session.get(Registration, response.json["id"])
    assert registration.language == "en" and registration.district_id == district.id
    assert {a.question_id: a.value for a in registration.answers} == {
        meal.id: 1, topics.id: [0, 1], bus.id: True, idea.id: "Ногоон байгууламж"}


def test_approval_mode_answers_pending(client, organiser):
    event = factories.event(organiser, registration_mode="approval")
    response = post(client, event.id, person())
    assert response.status_code == 201 and response.json["status"] == "pending_approval"
    assert "ticket" not in response.json


def test_duplicate_is_409(client, event):
    assert post(client, event.id, person(1)).status_code == 201
    again = assert_json_error(post(client, event.id, person(1, name="Another name")), 409,
                              "duplicate")
    assert "manage_url" not in again  # the first registration's link is not given away
    assert db.session.scalar(select(db.func.count(Registration.id))) == 1


@pytest.mark.parametrize("body, field", [
    ({"email": "a@example.mn", "consent": True}, "name"),
    ({"name": "Бат", "consent": True}, "email"),
    ({"name": "Бат", "email": "a@example.mn"}, "consent"),
    ({"name": 12345, "email": "a@example.mn", "consent": True}, "name"),
    ({"name": ["Бат"], "email": "a@example.mn", "consent": True}, "name"),
    ({"name": "Бат", "email": "a@example.mn", "consent": "yes"}, "consent"),
    ({"name": "Бат", "email": "a@example.mn", "consent": 1}, "consent"),
    ({"name": "Бат", "email": "a@example.mn", "consent": False}, "consent"),
    ({"name": "Бат", "email": "not-an-address", "consent": True}, "email"),
    ({"name": "Бат", "email": 5, "consent": True}, "email"),
    ({"name": "Бат", "phone": "call me", "consent": True}, "phone"),
    ({"name": "x" * 10_000, "email": "a@example.mn", "consent": True}, "name"),
    ({"name": "Бат\x00", "email": "a@example.mn", "consent": True}, "name"),
    ({"name": "Бат", "email": "a@example.mn", "consent": True, "answers": []}, "answers"),
    ({"name": "Бат", "email": "a@example.mn", "consent": True, "answers": "1"}, "answers"),
    ({"name": "Бат", "email": "a@example.mn", "consent": True, "district_id": "1"},
     "district_id"),
    ({"name": "Бат", "email": "a@example.mn", "consent": True, "district_id": True},
     "district_id"),
    ({"name": "Бат", "email": "a@example.mn", "consent": True, "district_id": 10**30},
     "district_id"),
    ({"name": "Бат", "email": "a@example.mn", "consent": True, "district_id": 999999},
     "district_id"),
    ({"name": "Бат", "email": "a@example.mn", "consent": True, "language": "fr"}, "language"),
    ({"name": "Бат", "email": "a@example.mn", "consent": True, "stakeholder_kind": "alien"},
     "stakeholder_kind"),
    ({"name": "Бат", "email": "a@example.mn", "consent": True, "gender": 1}, "gender"),
    ({"name": "Бат", "email": "a@example.mn", "consent": True, "age_band": "old"}, "age_band"),
    ({"name": "Бат", "email": "a@example.mn", "consent": True, "emial": "typo"}, "emial"),
])
def test_bad_input_is_422_with_the_field(client, event, body, field):
    response = assert_json_error(post(client, event.id, body), 422, "invalid")
    assert field in response["fields"], response
    assert db.session.scalar(select(db.func.count(Registration.id))) == 0


def test_bad_answers_are_reported_per_question(client, organiser, event):
    meal, topics, bus, idea = with_questions(organiser, event)
    cases = [
        ({}, f"answers.{meal.id}"),  # required
        ({str(meal.id): "1"}, f"answers.{meal.id}"),  # a string, not an index
        ({str(meal.id): 7}, f"answers.{meal.id}"),  # no such option
        ({str(meal.id): 0, str(topics.id): 0}, f"answers.{topics.id}"),  # not a list
        ({str(meal.id): 0, str(topics.id): [0, "x"]}, f"answers.{topics.id}"),
        ({str(meal.id): 0, str(bus.id): "yes"}, f"answers.{bus.id}"),
        ({str(meal.id): 0, str(idea.id): 42}, f"answers.{idea.id}"),
        ({str(meal.id): 0, str(idea.id): "x" * 3000}, f"answers.{idea.id}"),
        ({str(meal.id): 0, "999999": "x"}, "answers.999999"),
        ({str(meal.id): 0, "meal": 1}, "answers.meal"),
    ]
    for answers, field in cases:
        response = assert_json_error(post(client, event.id, person(answers=answers)), 422)
        assert field in response["fields"], (answers, response)
    assert db.session.scalar(select(db.func.count(Registration.id))) == 0


@pytest.mark.parametrize("raw, status", [
    ("{not json", 400), ("", 400), (b"\xff\xfe\xfa", 400), ("[" * 100_000 + "]" * 100_000, 413),
    ("[" * 20_000 + "]" * 20_000, 400), ("[1, 2]", 422), ('"text"', 422), ("null", 422),
    ("42", 422),
])
def test_a_body_that_is_not_an_object(client, event, raw, status):
    assert_json_error(post(client, event.id, raw), status)


def test_too_large_a_body_is_413(client, event):
    assert_json_error(post(client, event.id, person(accessibility_needs="x" * 200_000)), 413)


def test_form_encoded_body_is_a_clear_error(client, event):
    response = client.post(f"/api/v1/events/{event.id}/registrations",
                           data={"name": "Бат", "email": "a@example.mn", "consent": "y"})
    assert_json_error(response, 400, "bad_json")


def test_messages_in_the_requested_language(client, event):
    body = {"email": "a@example.mn", "consent": True}
    assert post(client, event.id, body).json["fields"]["name"] == "Нэрээ оруулна уу."
    assert post(client, event.id, body, query_string={"lang": "en"}
                ).json["fields"]["name"] == "Please enter your name."
    assert post(client, event.id, body, headers={"Accept-Language": "en-US,en;q=0.8"}
                ).json["fields"]["name"] == "Please enter your name."
    english = post(client, event.id, {"name": 5, "consent": "yes"}, query_string={"lang": "en"})
    assert english.json["fields"] == {"name": "Must be text.", "consent": "Must be true or false."}


# --- registration windows ----------------------------------------------------------------------

def test_closed_windows_are_409_with_a_code(client, organiser):
    now = utcnow()
    closed = factories.event(organiser, registration_opens_at=now - timedelta(days=3),
                             registration_closes_at=now - timedelta(days=1))
    later = factories.event(organiser, registration_opens_at=now + timedelta(days=3))
    invitation = factories.event(organiser, registration_mode="invitation")
    cancelled = factories.event(organiser)
    cancel_event(organiser, cancelled, "The hall is flooded.")
    start = now - timedelta(hours=1)
    running = factories.event(organiser, starts_at=start, ends_at=start + timedelta(hours=3))
    for target, code in ((closed, "closed"), (later, "not_open_yet"),
                         (invitation, "invitation_required"), (cancelled, "event_cancelled"),
                         (running, "closed")):
        assert_json_error(post(client, target.id, person()), 409, code)
        # even with bad input, the window is what the caller needs to hear about
        assert_json_error(post(client, target.id, {"name": 5}), 409, code)
    assert_json_error(post(client, invitation.id, person(invitation_code="guess")), 409,
                      "invitation_required")
    good = post(client, invitation.id, person(invitation_code=invitation.invitation_code))
    assert good.status_code == 201
    assert client.get(f"/api/v1/events/{cancelled.id}").json["state"] == "cancelled"
    listed = client.get("/api/v1/events").json["events"]
    assert cancelled.id not in [e["id"] for e in listed]
    assert {e["id"]: e["registration_open"] for e in listed}[closed.id] is False


def test_posting_is_rate_limited_as_json(app_factory, smtp_server):
    app = app_factory(RATELIMIT_ENABLED=True)
    with app.app_context():
        factories.seed_reference()
        organiser = factories.user(roles=["organiser"])
        target = factories.event(organiser, capacity=None)
        client = app.test_client()
        try:
            statuses = [post(client, target.id, {"name": 1}).status_code for _ in range(31)]
            assert statuses[:30] == [422] * 30
            limited = post(client, target.id, person())
            assert_json_error(limited, 429, "too_many_requests")
            assert 0 < int(limited.headers["Retry-After"]) <= 60
        finally:
            limiter.reset()
