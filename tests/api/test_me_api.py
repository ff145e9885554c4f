"""The person's own API with a personal token: who they are, their registrations with the
ticket, cancelling one, and the issues they raised, hidden ones included. Nobody reaches
another person's registration, ticket or hidden issue by changing an id: it is 404, as for an
id that does not exist, and nothing of it is in the answer."""

import pytest
from sqlalchemy import select

from forum_app.extensions import db
from forum_app.moderation.services import hide_content
from forum_app.registration.models import Registration, Ticket
from tests import factories
from tests.api.personal_support import bearer, registration_of, token

UNKNOWN_ID = 2_000_000_000


@pytest.fixture
def people(app):
    owner = factories.user("owner@example.mn", name="Батбаяр Дорж")
    other = factories.user("other@example.mn", name="Сараа Мөнх")
    return owner, other


@pytest.fixture
def headers(people):
    return bearer(token(people[0]))


def test_me_says_who_and_what_the_token_may_do(client, people):
    secret = token(people[0], ["read"], name="Хуанли")
    response = client.get("/api/v1/me?lang=en", headers=bearer(secret))
    assert response.headers["Cache-Control"] == "private, no-store"  # no shared cache keeps it
    answer = response.get_json()
    assert answer["email"] == "owner@example.mn" and answer["name"] == "Батбаяр Дорж"
    assert answer["scopes"] == ["read"]
    assert answer["token"]["name"] == "Хуанли" and answer["token"]["prefix"] == secret[:8]


def test_my_registrations_with_the_ticket_of_a_confirmed_one(client, people, headers):
    owner, other = people
    full = factories.event(capacity=1, title_en="Water forum")
    registration_of(other, full)
    mine = registration_of(owner)
    waiting = registration_of(owner, full)
    theirs = registration_of(other)
    answer = client.get("/api/v1/me/registrations?lang=en", headers=headers).get_json()
    assert answer["next"] is None
    by_id = {r["id"]: r for r in answer["registrations"]}
    assert set(by_id) == {mine.id, waiting.id}
    assert theirs.id not in by_id
    confirmed = by_id[mine.id]
    assert confirmed["status"] == "confirmed" and confirmed["can_cancel"] is True
    assert confirmed["ticket"]["code"] == mine.ticket.code
    ticket_page = client.get(confirmed["ticket"]["url"].replace("http://localhost", ""))
    assert ticket_page.status_code == 200 and mine.ticket.code in ticket_page.get_data(
        as_text=True)
    assert by_id[waiting.id]["status"] == "waitlisted"
    assert by_id[waiting.id]["waitlist_position"] == 1 and by_id[waiting.id]["ticket"] is None
    assert by_id[waiting.id]["event"]["title"] == "Water forum"


def test_another_persons_registration_is_not_found_and_not_shown(client, people, headers):
    _owner, other = people
    theirs = registration_of(other)
    unknown = client.get(f"/api/v1/me/registrations/{UNKNOWN_ID}", headers=headers)
    response = client.get(f"/api/v1/me/registrations/{theirs.id}", headers=headers)
    assert response.status_code == unknown.status_code == 404
    assert response.get_json() == unknown.get_json()
    text = response.get_data(as_text=True)
    assert theirs.ticket.code not in text and "Сараа" not in text


def test_cancelling_my_registration_ends_its_ticket(client, people, headers):
    mine = registration_of(people[0])
    code = mine.ticket.code
    response = client.post(f"/api/v1/me/registrations/{mine.id}/cancel", headers=headers)
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["status"] == "cancelled" and answer["ticket"] is None
    assert answer["can_cancel"] is False
    ticket = db.session.scalar(select(Ticket).where(Ticket.code == code))
    assert ticket.revoked_at is not None
    again = client.post(f"/api/v1/me/registrations/{mine.id}/cancel", headers=headers)
    assert again.status_code == 409 and again.get_json()["code"] == "not_active"


def test_nobody_cancels_another_persons_registration(client, people, headers):
    theirs = registration_of(people[1])
    response = client.post(f"/api/v1/me/registrations/{theirs.id}/cancel", headers=headers)
    assert response.status_code == 404
    assert theirs.ticket.code not in response.get_data(as_text=True)
    assert db.session.get(Registration, theirs.id).state == "confirmed"
    assert db.session.get(Ticket, theirs.ticket.id).revoked_at is None


def test_my_issues_include_the_ones_moderation_hides(client, people, headers):
    owner, other = people
    moderator = factories.user(roles=["moderator"])
    public = factories.issue(owner, title="Цэцэрлэгийн тоглоомын талбай эвдэрсэн")
    hidden = factories.issue(owner, title="Зогсоолын асуудал олон байна")
    hide_content(moderator, hidden, "Хувийн мэдээлэл агуулсан")
    theirs_hidden = factories.issue(other, title="Бусдын нуусан асуудал")
    hide_content(moderator, theirs_hidden, "Зар сурталчилгаа")
    factories.issue(other, title="Бусдын нийтэд харагдах асуудал")
    answer = client.get("/api/v1/me/issues", headers=headers).get_json()
    assert answer["next"] is None
    by_id = {issue["id"]: issue for issue in answer["issues"]}
    assert set(by_id) == {public.id, hidden.id}
    assert by_id[public.id]["public"] is True and by_id[public.id]["hidden_reason"] is None
    assert by_id[hidden.id]["public"] is False
    assert by_id[hidden.id]["hidden_reason"] == "Хувийн мэдээлэл агуулсан"
    text = client.get("/api/v1/me/issues", headers=headers).get_data(as_text=True)
    assert "Бусдын" not in text and "Зар сурталчилгаа" not in text
