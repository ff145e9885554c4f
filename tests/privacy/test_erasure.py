"""Deleting an account, a guest deleting a registration's data, and retention leave none of
the person's name, e-mail or phone in any text column of any table; their public words stay,
signed "former participant"; the figures do not move."""

from datetime import timedelta

import pytest

from forum_app.extensions import db
from forum_app.registration.models import Registration, RegistrationState
from forum_app.registration.services import RegistrationInput
from tests import factories
from tests.checkin.support import person
from tests.registration.support import register_confirmed

from .support import EMAIL, NAME, PHONE, does_everything, figures, forum_day, mentions

TRACES = (NAME, EMAIL, PHONE)


@pytest.fixture
def day(app):
    organiser, event, question, item, official = forum_day()
    return dict(organiser=organiser, event=event, question=question, item=item,
                official=official)


def _found_before(*tables):
    """The person's traces are where they should be before erasure (no vacuous pass)."""
    found = {table for table, _column, _needle in mentions(*TRACES)}
    assert set(tables) <= found, found


def test_deleting_an_account_leaves_no_trace_and_keeps_figures_and_public_words(
        client, auth, day):
    citizen = factories.user(EMAIL, name=NAME, phone=PHONE)
    _registration, _token, issue = does_everything(citizen, RegistrationInput, **day)
    _found_before("users", "registrations", "answers", "outbox_messages", "live_questions")
    before = figures()
    auth.login(EMAIL)

    refused = client.post("/account/delete", data={"current_password": "wrong", "confirm": "y"})
    assert refused.status_code == 422 and mentions(EMAIL)
    response = client.post("/account/delete", data={"current_password": factories.PASSWORD,
                                                    "confirm": "y"})
    assert response.status_code == 302

    assert mentions(*TRACES) == set()
    assert figures() == before and before[2] >= 1
    page = client.get(f"/issues/{issue.id}").get_data(as_text=True)
    assert "хуучин оролцогч" in page and "Гэрэлтүүлэг алга" in page
    assert "Өчигдөр ч мөн адил байлаа." in page
    client.post("/language", data={"language": "en", "next": "/"})
    assert "former participant" in client.get(f"/issues/{issue.id}").get_data(as_text=True)
    assert auth.login(EMAIL).status_code != 302  # the account no longer signs in


def test_a_guest_deletes_a_registration_through_its_link(client, day):
    registration, token, _issue = does_everything(None, RegistrationInput, **day)
    _found_before("registrations", "answers", "outbox_messages", "live_questions")
    before = figures()

    unconfirmed = client.post(f"/r/{token}/delete", data={})
    assert unconfirmed.status_code == 422 and mentions(EMAIL)
    assert client.post(f"/r/{token}/delete", data={"confirm": "y"}).status_code == 302

    assert mentions(*TRACES) == set()
    assert figures() == before and before[2] >= 1
    assert client.get(f"/r/{token}").status_code == 404
    kept = db.session.get(Registration, registration.id)
    assert (kept.state, kept.gender, kept.age_band, kept.stakeholder_kind) == (
        RegistrationState.CONFIRMED, "female", "25-34", "citizen")


def test_a_guest_deleting_an_active_registration_frees_the_seat_for_the_waiting_list(
        client, app):
    organiser = factories.user(roles=["organiser"])
    event = factories.event(organiser, capacity=1)
    data = RegistrationInput(name=NAME, email=EMAIL, phone=PHONE, consent=True)
    _seated, token = register_confirmed(event, data)
    waiting = person(event, "Дараагийн Хүн")
    assert waiting.state == RegistrationState.WAITLISTED

    assert client.post(f"/r/{token}/delete", data={"confirm": "y"}).status_code == 302

    db.session.expire_all()
    assert db.session.get(Registration, waiting.id).state == RegistrationState.CONFIRMED
    assert mentions(*TRACES) == set()


def test_purge_erases_registrations_a_year_after_the_event_and_says_how_many(app, day):
    registration, _token, _issue = does_everything(None, RegistrationInput, **day)
    event = day["event"]
    runner = app.test_cli_runner()

    kept = runner.invoke(args=["purge-expired"])
    assert "erased the personal answers of 0 registrations" in kept.output
    assert mentions(EMAIL)

    event.starts_at -= timedelta(days=400)
    event.ends_at -= timedelta(days=400)
    db.session.commit()
    before = figures(-timedelta(days=400))
    result = runner.invoke(args=["purge-expired"])
    assert "erased the personal answers of 1 registrations" in result.output, result.output
    assert mentions(*TRACES) == set()
    again = runner.invoke(args=["purge-expired"])
    assert "erased the personal answers of 0 registrations" in again.output
    row = db.session.get(Registration, registration.id)
    assert row.erased_at is not None and row.gender == "female"
    assert figures(-timedelta(days=400)) == before and before[2] == 1


def test_a_deleted_officials_answers_stay_signed_by_the_department(client, auth, app):
    from forum_app.issues.lifecycle import post_answer

    official = factories.user(EMAIL, name=NAME, phone=PHONE, roles=["official"],
                              department_slug="environment")
    issue = factories.issue()
    post_answer(official, issue, "Ирэх долоо хоногт засна.", None)
    auth.login(EMAIL)
    assert client.post("/account/delete", data={"current_password": factories.PASSWORD,
                                                "confirm": "y"}).status_code == 302

    page = client.get(f"/issues/{issue.id}").get_data(as_text=True)
    assert "Ирэх долоо хоногт засна." in page and NAME not in page
    assert official.department.name_mn in page
    assert mentions(*TRACES) == set()


def test_purge_erases_many_registrations_in_batches(app):
    organiser = factories.user(roles=["organiser"])
    event = factories.event(organiser, capacity=100)
    people = [person(event) for _ in range(60)]
    traces = [p.email for p in people[::7]] + [p.stored_name for p in people[::9]]
    event.starts_at -= timedelta(days=500)
    event.ends_at -= timedelta(days=500)
    db.session.commit()
    assert mentions(*traces)

    result = app.test_cli_runner().invoke(args=["purge-expired"])

    assert "erased the personal answers of 60 registrations" in result.output, result.output
    assert mentions(*traces) == set()
