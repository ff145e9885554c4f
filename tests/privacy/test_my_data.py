""""My data": the page says what is held, the download holds every section, built from what
the person did in the test; served private and as an attachment."""

import json

from forum_app.registration.services import RegistrationInput
from tests import factories

from .support import EMAIL, NAME, PHONE, does_everything, forum_day


def test_the_download_holds_every_section_of_what_the_person_did(client, auth, app):
    organiser, event, question, item, official = forum_day()
    citizen = factories.user(EMAIL, name=NAME, phone=PHONE)
    registration, _token, issue = does_everything(
        citizen, RegistrationInput, organiser=organiser, event=event, question=question,
        item=item, official=official)
    auth.login(EMAIL)

    response = client.get("/account/data.json")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Content-Disposition"].startswith("attachment")
    data = json.loads(response.get_data(as_text=True))

    assert data["account"]["email"] == EMAIL and data["account"]["phone"] == PHONE
    assert data["consents"][0]["version"] == data["privacy_notice"]
    [held] = data["registrations"]
    assert (held["name"], held["organisation"], held["gender"]) == (
        NAME, "Дархан Эко ТББ", "female")
    assert held["answers"] == [{"question": "Та ямар санал хэлэх вэ?",
                                "value": f"{NAME}: хогийн асуудал"}]
    assert held["ticket"]["code"] == registration.ticket.code
    assert held["consent_version"] == data["privacy_notice"]
    assert [c["result"] for c in data["checkins"]] == ["admitted"]
    assert [i["title"] for i in data["issues"]] == ["Гэрэлтүүлэг алга"]
    assert [c["body"] for c in data["comments"]] == ["Өчигдөр ч мөн адил байлаа."]
    assert len(data["supports"]) == len(data["follows"]) == len(data["flags"]) == 1
    assert data["flags"][0]["note"] == "Давхардсан"
    assert [q["body"] for q in data["forum"]["questions"]] == ["Хэзээ эхлэх вэ?"]
    assert [v["agenda_item_id"] for v in data["forum"]["voted_on"]] == [item.id]
    assert "secret" in data["forum"]["votes_note"]
    assert data["survey_answers"]["linked_to_you"] is False
    assert {n["kind"] for n in data["notifications"]["notices"]}
    assert {m["recipient"] for m in data["notifications"]["emails"]} == {EMAIL}
    assert "issue.submitted" in {a["action"] for a in data["actions_recorded"]}

    page = client.get("/account/data")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "private, no-store"
    text = page.get_data(as_text=True)
    assert "Таны дэвшүүлсэн асуудлууд" in text and "/account/data.json" in text


def test_my_data_needs_signing_in(client):
    assert client.get("/account/data.json").status_code == 302
    assert client.get("/account/data").status_code == 302


def test_the_last_administrator_cannot_delete_their_account(client, auth, app):
    factories.user("admin@example.mn", roles=["admin"])
    auth.login("admin@example.mn")
    response = client.post("/account/delete", data={"current_password": factories.PASSWORD,
                                                    "confirm": "y"})
    assert response.status_code == 422
    assert "цорын ганц администратор" in response.get_data(as_text=True)
    factories.user("second-admin@example.mn", roles=["admin"])
    assert client.post("/account/delete", data={"current_password": factories.PASSWORD,
                                                "confirm": "y"}).status_code == 302


def test_deleting_needs_the_confirmation_tick(client, auth, app):
    factories.user(EMAIL, name=NAME)
    auth.login(EMAIL)
    response = client.post("/account/delete", data={"current_password": factories.PASSWORD})
    assert response.status_code == 422
    assert NAME in client.get("/account/").get_data(as_text=True)
