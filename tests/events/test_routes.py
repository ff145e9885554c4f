"""The event pages as a visitor and an organiser meet them."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from forum_app.events import services
from forum_app.events.models import Event, EventState, Question
from forum_app.extensions import db
from forum_app.i18n import utcnow
from forum_app.registration import services as registration
from forum_app.registration.services import RegistrationInput
from tests import factories


@pytest.fixture
def organiser(app):
    return factories.user("org@example.mn", roles=["organiser"], language="en")


@pytest.fixture
def signed_in(client, auth, organiser):
    auth.login("org@example.mn")
    return organiser


def form(**overrides) -> dict:
    return {"kind": "city_forum", "title_mn": "Агаарын бохирдол", "title_en": "Air pollution",
            "summary_en": "How Darkhan breathes in winter.", "venue_name_en": "Culture Palace",
            "starts_at": "2030-01-15T10:00", "ends_at": "2030-01-15T16:00",
            "capacity": "120", "registration_mode": "open",
            "registration_closes_at": "2030-01-14T18:00",
            "tags": ["sdg-11", "sdg-13"]} | overrides


def events_in_db() -> int:
    return db.session.scalar(select(func.count(Event.id)))


def text(response) -> str:
    return response.get_data(as_text=True)


def english(client):
    client.post("/language", data={"language": "en", "next": "/"})


# --- permissions -----------------------------------------------------------------------------

def test_citizen_gets_403_and_guest_is_sent_to_sign_in(client, auth):
    assert client.get("/events/new").status_code == 302
    factories.user("citizen@example.mn")
    auth.login()
    assert client.get("/events/new").status_code == 403
    assert client.post("/events/new", data=form()).status_code == 403
    assert client.get("/events/manage").status_code == 403
    assert events_in_db() == 0
    assert "/events/manage" not in text(client.get("/"))


def test_organiser_cannot_touch_another_organisers_event(client, signed_in):
    other = factories.user(roles=["organiser"])
    event = factories.event(other, title_en="Theirs")
    slug = event.slug
    for path in ("edit", "agenda", "questions", "staff", "cancel"):
        assert client.get(f"/events/{slug}/{path}").status_code == 403
    assert client.post(f"/events/{slug}/edit", data=form(title_en="Mine")).status_code == 403
    assert client.post(f"/events/{slug}/cancel", data={"reason": "no"}).status_code == 403
    db.session.expire_all()
    event = db.session.get(Event, event.id)
    assert event.title_en == "Theirs" and event.state == EventState.PUBLISHED
    assert "Theirs" not in text(client.get("/events/manage"))


def test_staff_and_admins_can_edit(client, auth, organiser):
    other = factories.user(roles=["organiser"])
    event = factories.event(other)
    services.add_staff(other, event, organiser.email)
    auth.login("org@example.mn")
    assert event.title_en in text(client.get("/events/manage"))
    response = client.post(f"/events/{event.slug}/edit", data=form(title_en="Staffed"))
    assert response.status_code == 302
    factories.user("admin@example.mn", roles=["admin"])
    auth.logout()
    auth.login("admin@example.mn")
    assert client.get(f"/events/{event.slug}/edit").status_code == 200


# --- creating, editing, publishing -----------------------------------------------------------

def test_organiser_creates_a_draft_in_darkhan_time_and_publishes_it(client, signed_in):
    response = client.post("/events/new", data=form())
    assert response.status_code == 302
    event = db.session.scalar(select(Event))
    assert response.headers["Location"] == f"/events/{event.slug}/edit"
    assert event.slug == "air-pollution" and event.state == EventState.DRAFT
    assert event.starts_at == datetime(2030, 1, 15, 2, 0)  # 10:00 in Ulaanbaatar is 02:00 UTC
    assert event.registration_closes_at == datetime(2030, 1, 14, 10, 0)
    assert event.tags == ["sdg-11", "sdg-13"] and event.capacity == 120

    edit_page = text(client.get(f"/events/{event.slug}/edit"))
    assert 'value="2030-01-15T10:00"' in edit_page  # shown back in local time
    assert client.get(f"/events/{event.slug}/publish").status_code == 405
    response = client.post(f"/events/{event.slug}/publish", follow_redirects=True)
    assert "The event is published" in text(response)
    db.session.expire_all()
    assert db.session.get(Event, event.id).state == EventState.PUBLISHED


BAD_INPUT = [
    ({"ends_at": "2030-01-15T09:00"}, "The event must end after it starts."),
    ({"starts_at": ""}, "This field is required."),
    ({"starts_at": "15/01/2030 10am"}, "Not a valid datetime value."),
    ({"capacity": "-5"}, "Enter a whole number of 0 or more."),
    ({"capacity": "many"}, "Not a valid integer value."),
    ({"registration_closes_at": "2030-01-16T10:00"}, "Registration must close before"),
    ({"title_en": "x" * 10_240}, "Field cannot be longer than 300 characters."),
    ({"kind": "party"}, "Not a valid choice"),
    ({"tags": ["sdg-99"]}, "is not a valid choice"),
]


def test_bad_input_is_422_with_a_message_and_nothing_is_saved(client, signed_in):
    for overrides, message in BAD_INPUT:
        response = client.post("/events/new", data=form(**overrides))
        assert response.status_code == 422, overrides
        assert message in text(response), overrides
        assert '<p class="error"' in text(response)  # shown next to the field
    assert events_in_db() == 0


def test_bad_edit_changes_nothing(client, signed_in):
    event = factories.event(signed_in, title_en="Kept")
    response = client.post(f"/events/{event.slug}/edit",
                           data=form(title_en="Changed", ends_at="2029-01-01T10:00"))
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(Event, event.id).title_en == "Kept"


def test_publishing_without_a_title_is_refused_with_a_message(client, signed_in):
    client.post("/events/new", data=form(title_mn="", title_en=""))
    event = db.session.scalar(select(Event))
    response = client.post(f"/events/{event.slug}/publish", follow_redirects=True)
    assert "before publishing it" in text(response)
    db.session.expire_all()
    assert db.session.get(Event, event.id).state == EventState.DRAFT


# --- the public pages ------------------------------------------------------------------------

def test_drafts_are_hidden_from_the_public(client, auth, organiser):
    draft = factories.event(organiser, publish=False, title_en="Secret plan")
    english(client)
    assert "Secret plan" not in text(client.get("/events/"))
    assert client.get(f"/events/{draft.slug}").status_code == 404
    assert client.get(f"/events/{draft.slug}.ics").status_code == 404
    assert "Secret plan" not in text(client.get("/events/feed.ics"))
    auth.login("org@example.mn")
    page = text(client.get(f"/events/{draft.slug}"))
    assert "Secret plan" in page and "Draft: only the organisers" in page


def test_event_page_shows_agenda_venue_seats_and_register_button(client, organiser):
    event = factories.event(organiser, capacity=3, title_en="Zero waste Darkhan",
                            venue_name_en="Culture Palace", venue_address_en="Darkhan, 7th bag",
                            description_en="## Plan\n\n**Sort** waste <script>alert(1)</script>")
    services.add_session(organiser, event, {
        "title_en": "Opening speech", "starts_at": event.starts_at,
        "ends_at": event.starts_at + timedelta(minutes=20), "room": "Hall B",
        "speakers": "Governor of Darkhan-Uul"})
    registration.register(event, RegistrationInput(name="Болд", email="bold@example.mn",
                                                   consent=True))
    english(client)
    page = text(client.get(f"/events/{event.slug}"))
    for part in ("Zero waste Darkhan", "Culture Palace", "Darkhan, 7th bag", "Opening speech",
                 "Hall B", "Governor of Darkhan-Uul", "2 seats left", "<strong>Sort</strong>",
                 f'href="/events/{event.slug}/register"', f"/events/{event.slug}.ics"):
        assert part in page, part
    assert "<script>alert" not in page


def test_full_event_says_waitlist_open(client, organiser):
    event = factories.event(organiser, capacity=0)
    english(client)
    page = text(client.get(f"/events/{event.slug}"))
    assert "Full: waitlist open" in page and "Join the waiting list" in page


def test_registration_window_is_explained(client, organiser):
    now = utcnow()
    later = factories.event(organiser, registration_opens_at=now + timedelta(days=2))
    closed = factories.event(organiser, registration_opens_at=now - timedelta(days=3),
                             registration_closes_at=now - timedelta(days=1))
    english(client)
    page = text(client.get(f"/events/{later.slug}"))
    assert "Registration is not open yet" in page and "/register" not in page
    page = text(client.get(f"/events/{closed.slug}"))
    assert "Registration has closed." in page and "/register" not in page


def test_cancelled_event_stays_public_with_a_banner(client, organiser):
    event = factories.event(organiser, title_en="Spring forum")
    services.cancel_event(organiser, event, "The hall is being repaired.")
    english(client)
    page = text(client.get(f"/events/{event.slug}"))
    assert "Cancelled" in page and "The hall is being repaired." in page
    assert "/register" not in page
    assert "Spring forum" in text(client.get("/events/"))


def test_list_filters_by_kind_month_tag_and_past(client, organiser):
    start = datetime(2031, 3, 10, 2, 0)
    forum = factories.event(organiser, title_en="March forum", kind="city_forum",
                            starts_at=start, tags=["sdg-11"])
    factories.event(organiser, title_en="April training", kind="training",
                    starts_at=start + timedelta(days=30), tags=["pillar-innovation"])
    past = factories.event(organiser, title_en="Old exhibition", kind="exhibition",
                           starts_at=utcnow() - timedelta(days=40))
    english(client)

    def titles(query: str) -> set[str]:
        response = client.get("/events/" + query)
        return {t for t in ("March forum", "April training", "Old exhibition")
                if t in text(response)}

    assert titles("") == {"March forum", "April training"}
    assert titles("?when=past") == {"Old exhibition"}
    assert titles("?kind=training") == {"April training"}
    assert titles("?tag=sdg-11") == {"March forum"}
    assert titles("?month=2031-04") == {"April training"}
    assert titles("?month=2031-03&kind=city_forum&tag=sdg-11") == {"March forum"}
    assert titles(f"?when=past&month={past.starts_at:%Y-%m}") == {"Old exhibition"}
    response = client.get("/events/?month=March")
    assert response.status_code == 422 and "for example 2026-05" in text(response)
    assert forum.slug in text(response)  # an invalid filter is ignored, not a blank page


def test_list_is_paginated(client, organiser):
    for n in range(13):
        factories.event(organiser, title_en=f"Meeting number {n:02d}", days_ahead=10 + n)
    english(client)
    first = text(client.get("/events/"))
    assert "Meeting number 00" in first and "Meeting number 12" not in first
    assert "Page 1 of 2" in first
    assert "Meeting number 12" in text(client.get("/events/?page=2"))


def unfold(body: str) -> list[str]:
    return body.replace("\r\n ", "").split("\r\n")


def test_ics_download_parses(client, organiser):
    event = factories.event(organiser, title_en="Forum; winter, 2030",
                            summary_en="Bring warm clothes.\nTea is served. " + "ш" * 80)
    response = client.get(f"/events/{event.slug}.ics?lang=en")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert f'filename="{event.slug}.ics"' in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.endswith(b"\r\n") and b"\n" not in body.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    lines = unfold(body.decode())
    assert "SUMMARY:Forum\\; winter\\, 2030" in lines
    assert f"UID:event-{event.id}@forum.darkhan-uul.gov.mn" in lines
    assert f"DTSTART:{event.starts_at:%Y%m%dT%H%M%S}Z" in lines
    description = next(line for line in lines if line.startswith("DESCRIPTION:"))
    assert description.startswith("DESCRIPTION:Bring warm clothes.\\nTea is served. ш")


def test_feed_has_published_and_cancelled_events(client, organiser):
    published = factories.event(organiser, title_en="Published one")
    cancelled = factories.event(organiser, title_en="Cancelled one")
    factories.event(organiser, title_en="Draft one", publish=False)
    services.cancel_event(organiser, cancelled, "Postponed")
    body = text(client.get("/events/feed.ics?lang=en"))
    lines = unfold(body)
    assert lines.count("BEGIN:VEVENT") == 2
    assert f"UID:event-{published.id}@forum.darkhan-uul.gov.mn" in lines
    assert "Draft one" not in body and "STATUS:CANCELLED" in lines


# --- cancelling ------------------------------------------------------------------------------

def test_cancel_asks_for_a_reason_then_mails_every_registrant(client, signed_in, mail_inbox):
    event = factories.event(signed_in, capacity=1, title_en="Demo day")
    for n in (1, 2):
        registration.register(event, RegistrationInput(
            name=f"Guest {n}", email=f"guest{n}@example.mn", language="en", consent=True))
    mail_inbox.clear()
    page = text(client.get(f"/events/{event.slug}/cancel"))
    assert "Cancelling is final" in page
    response = client.post(f"/events/{event.slug}/cancel", data={"reason": ""})
    assert response.status_code == 422 and "This field is required." in text(response)
    db.session.expire_all()
    assert db.session.get(Event, event.id).state == EventState.PUBLISHED

    response = client.post(f"/events/{event.slug}/cancel",
                           data={"reason": "The Culture Palace is closed for repairs."})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Event, event.id).state == EventState.CANCELLED
    for address in ("guest1@example.mn", "guest2@example.mn"):
        bodies = [m.get_body(("plain",)).get_content() for m in mail_inbox.to(address)]
        assert sum("The Culture Palace is closed for repairs." in b for b in bodies) == 1
    assert client.post(f"/events/{event.slug}/edit", data=form()).status_code == 422


# --- agenda, questions, staff ----------------------------------------------------------------

def test_agenda_editor(client, signed_in):
    event = factories.event(signed_in, starts_at=datetime(2030, 2, 1, 1, 0), hours=8)
    local = "2030-02-01T"  # the event runs 09:00-17:00 in Darkhan
    response = client.post(f"/events/{event.slug}/agenda", data={
        "title_en": "Keynote", "starts_at": local + "09:30", "ends_at": local + "10:15",
        "room": "Main hall", "speakers": "Mayor"})
    assert response.status_code == 302
    response = client.post(f"/events/{event.slug}/agenda", data={
        "title_en": "Too late", "starts_at": local + "18:00", "ends_at": local + "19:00"})
    assert response.status_code == 422
    assert "while the event runs" in text(response)
    db.session.expire_all()
    [session] = db.session.get(Event, event.id).sessions
    assert session.starts_at == datetime(2030, 2, 1, 1, 30)
    edit_url = f"/events/{event.slug}/agenda/{session.id}"
    assert 'value="2030-02-01T09:30"' in text(client.get(edit_url))
    client.post(edit_url, data={"title_en": "Keynote: the city in 2050",
                                "starts_at": local + "09:30", "ends_at": local + "10:30"})
    assert "Keynote: the city in 2050" in text(client.get(f"/events/{event.slug}"))
    client.post(f"{edit_url}/delete")
    db.session.expire_all()
    assert db.session.get(Event, event.id).sessions == []


def test_questions_editor(client, signed_in):
    event = factories.event(signed_in)
    url = f"/events/{event.slug}/questions"
    response = client.post(url, data={"kind": "single", "label_en": "Which district?",
                                      "options_mn": "Дархан\nШарын гол",
                                      "options_en": "Darkhan\nSharyn Gol", "required": "y"})
    assert response.status_code == 302
    client.post(url, data={"kind": "yes_no", "label_en": "Need an interpreter?"})
    response = client.post(url, data={"kind": "single", "label_en": "Bad",
                                      "options_mn": "Нэг\nХоёр", "options_en": "One"})
    assert response.status_code == 422 and "same number of options" in text(response)
    response = client.post(url, data={"kind": "multiple", "label_en": "Only one option",
                                      "options_en": "Lonely"})
    assert response.status_code == 422 and "at least two options" in text(response)

    first, second = db.session.scalars(select(Question).order_by(Question.position)).all()
    assert first.options == [{"mn": "Дархан", "en": "Darkhan"},
                             {"mn": "Шарын гол", "en": "Sharyn Gol"}]
    assert first.required and not second.required
    client.post(f"{url}/{second.id}/move", data={"direction": "up"})
    db.session.expire_all()
    assert [q.label_en for q in db.session.get(Event, event.id).questions] == [
        "Need an interpreter?", "Which district?"]
    page = text(client.get(f"{url}/{first.id}"))
    assert "Sharyn Gol" in page and "Which district?" in page
    client.post(f"{url}/{first.id}", data={"kind": "single", "label_en": "Which soum?",
                                           "options_en": "Darkhan\nSharyn Gol\nOrkhon"})
    client.post(f"{url}/{second.id}/delete")
    db.session.expire_all()
    [left] = db.session.get(Event, event.id).questions
    assert left.label_en == "Which soum?" and len(left.options) == 3


def test_staff_editor(client, signed_in):
    event = factories.event(signed_in)
    colleague = factories.user("colleague@example.mn", roles=["organiser"], name="Сарнай")
    factories.user("citizen@example.mn")
    url = f"/events/{event.slug}/staff"
    response = client.post(url, data={"email": "citizen@example.mn"})
    assert response.status_code == 422 and "Only organisers can staff" in text(response)
    assert client.post(url, data={"email": "colleague@example.mn"}).status_code == 302
    assert "Сарнай" in text(client.get(url))
    db.session.expire_all()
    assert services.can_manage(colleague, db.session.get(Event, event.id))
    client.post(f"{url}/{colleague.id}/remove")
    db.session.expire_all()
    assert not services.can_manage(colleague, db.session.get(Event, event.id))
