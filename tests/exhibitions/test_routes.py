import pytest
from sqlalchemy import func, select

from forum_app.exhibitions import services
from forum_app.exhibitions.models import Exhibitor
from forum_app.extensions import db
from forum_app.notifications.models import OutboxMessage
from tests import factories
from tests.exhibitions.helpers import application, make_exhibition

APPLY = "/exhibitions/made-in-darkhan/apply"
DIRECTORY = "/exhibitions/made-in-darkhan/"
APPLICATIONS = "/exhibitions/made-in-darkhan/applications"


@pytest.fixture
def english(client):
    """The visitor reads English, so the page speaks the msgids the tests look for."""
    client.set_cookie("lang", "en")
    return client


def exhibitors() -> list[Exhibitor]:
    return db.session.scalars(select(Exhibitor).order_by(Exhibitor.id)).all()


def login(auth, user):
    assert auth.login(user.email).status_code == 302


def test_guest_applies_and_gets_mail_over_smtp_in_the_chosen_language(client, mail_inbox):
    make_exhibition()
    page = client.get(APPLY)
    assert page.status_code == 200
    assert 'name="csrf_token"' in page.get_data(as_text=True)
    response = client.post(APPLY, data=application(language="en"))
    assert response.status_code == 302 and response.headers["Location"] == DIRECTORY
    [exhibitor] = exhibitors()
    assert (exhibitor.state, exhibitor.user_id, exhibitor.language) == ("pending", None, "en")
    [message] = mail_inbox.to("munkhzaya@example.mn")
    assert message["Subject"] == "We have received your booth application"
    body = message.get_body(("plain",)).get_content()
    assert "Эко Ноос ХХК" in body and "Made in Darkhan" in body
    assert "http://localhost/exhibitions/made-in-darkhan/" in body


def test_mongolian_applicant_gets_the_mongolian_title(client, mail_inbox):
    make_exhibition()
    client.post(APPLY, data=application(language="mn"))
    [message] = mail_inbox.to("munkhzaya@example.mn")
    assert "Дарханд үйлдвэрлэв" in message.get_body(("plain",)).get_content()
    assert db.session.scalar(select(OutboxMessage.language)) == "mn"


def test_signed_in_user_finds_the_contact_prefilled(client, auth):
    user = factories.user("bold@example.mn", name="Болд Батаа", phone="88112233",
                          organisation="Сэлэнгэ арьс ХХК", language="en")
    make_exhibition()
    login(auth, user)
    page = client.get(APPLY).get_data(as_text=True)
    for value in ("Болд Батаа", "bold@example.mn", "88112233", "Сэлэнгэ арьс ХХК"):
        assert f'value="{value}"' in page
    client.post(APPLY, data=application(contact_email="bold@example.mn"))
    assert exhibitors()[0].user_id == user.id


@pytest.mark.parametrize(("overrides", "message"), [
    ({"company_name": "Х" * 10_240}, "Please use at most 200 characters."),
    ({"contact_name": "Б" * 10_240}, "Please use at most 120 characters."),
    ({"company_name": ""}, "Please enter the name of the company or organisation."),
    ({"sector": "mining"}, "Please choose a sector from the list."),
    ({"sector": ""}, "Please choose a sector from the list."),
    ({"contact_name": "", "contact_email": ""}, "Please enter the name of the contact person."),
    ({"contact_email": "no-at-sign"}, "Please enter a valid e-mail address."),
    ({"products_mn": "", "products_en": "  "},
     "Please describe your products or services in at least one language."),
    ({"contact_phone": "call me maybe"}, "Please enter a phone number of digits"),
])
def test_bad_input_gets_a_clear_message_and_saves_nothing(english, overrides, message):
    make_exhibition()
    response = english.post(APPLY, data=application(**overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert exhibitors() == []
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_second_application_of_a_company_is_explained(english):
    make_exhibition()
    english.post(APPLY, data=application())
    response = english.post(APPLY, data=application(company_name="ЭКО НООС ххк",
                                                    contact_email="other@example.mn"))
    assert response.status_code == 422
    assert "This company has already applied for this exhibition." in response.get_data(
        as_text=True)
    assert len(exhibitors()) == 1


def test_closed_and_unknown_exhibitions(english):
    make_exhibition("old-fair", days_ahead=-10)
    make_exhibition("draft-fair", state="draft")
    make_exhibition("a-training", kind="training")
    page = english.get("/exhibitions/old-fair/apply")
    assert page.status_code == 200
    assert "This exhibition does not accept applications." in page.get_data(as_text=True)
    response = english.post("/exhibitions/old-fair/apply", data=application())
    assert response.status_code == 422 and exhibitors() == []
    assert english.get("/exhibitions/draft-fair/").status_code == 404
    assert english.get("/exhibitions/a-training/apply").status_code == 404
    assert english.get("/exhibitions/no-such-fair/").status_code == 404


def test_directory_shows_approved_only_with_sector_filter_and_search(client):
    organiser = factories.user(roles=["organiser"])
    event = make_exhibition(organiser=organiser)
    wool = services.apply_for_booth(event, application())
    bakery = services.apply_for_booth(event, application(
        company_name="Дархан талх ХХК", sector="food", products_mn="Талх, боов",
        products_en="Bread and pastries"))
    services.apply_for_booth(event, application(company_name="Хүлээгдэж буй ХХК"))
    declined = services.apply_for_booth(event, application(company_name="Татгалзсан ХХК"))
    services.approve_exhibitor(organiser, wool, "A-01")
    services.approve_exhibitor(organiser, bakery)
    services.decline_exhibitor(organiser, declined, "Талбай дүүрсэн")

    page = client.get(DIRECTORY).get_data(as_text=True)
    assert "Эко Ноос ХХК" in page and "Дархан талх ХХК" in page and "A-01" in page
    assert "Хүлээгдэж буй ХХК" not in page and "Татгалзсан ХХК" not in page
    food = client.get(DIRECTORY, query_string={"sector": "food"}).get_data(as_text=True)
    assert "Дархан талх ХХК" in food and "Эко Ноос ХХК" not in food
    found = client.get(DIRECTORY, query_string={"q": "эсгий"}).get_data(as_text=True)
    assert "Эко Ноос ХХК" in found and "Дархан талх ХХК" not in found
    weird = client.get(DIRECTORY, query_string={"q": "x" * 10_000, "sector": "<script>"})
    assert weird.status_code == 200


def test_directory_is_paginated(client):
    event = make_exhibition()
    for n in range(25):
        db.session.add(Exhibitor(event_id=event.id, company_name=f"Компани {n:02d}",
                                 sector="other", products_mn="Бүтээгдэхүүн",
                                 contact_name="Нэр", contact_email=f"c{n}@example.mn",
                                 state="approved"))
    db.session.commit()
    first = client.get(DIRECTORY).get_data(as_text=True)
    assert "Компани 00" in first and "Компани 24" not in first and 'rel="next"' in first
    second = client.get(DIRECTORY, query_string={"page": 2}).get_data(as_text=True)
    assert "Компани 24" in second and "Компани 00" not in second


def test_citizens_cannot_review_or_decide(client, auth):
    event = make_exhibition(organiser=factories.user(roles=["organiser"]))
    exhibitor = services.apply_for_booth(event, application())
    approve = f"{APPLICATIONS}/{exhibitor.id}/approve"
    assert client.get(APPLICATIONS).status_code == 302  # guests are sent to sign in
    assert client.post(approve).status_code == 302
    login(auth, factories.user("citizen@example.mn"))
    assert client.get(APPLICATIONS).status_code == 403
    assert client.get(f"{APPLICATIONS}/{exhibitor.id}").status_code == 403
    assert client.post(approve, data={"booth_number": "A-1"}).status_code == 403
    assert client.post(f"{APPLICATIONS}/{exhibitor.id}/decline",
                       data={"reason": "no"}).status_code == 403
    auth.logout()
    login(auth, factories.user("other-organiser@example.mn", roles=["organiser"]))
    assert client.post(approve).status_code == 403
    assert exhibitors()[0].state == "pending"


def test_organiser_reviews_and_approves_then_the_applicant_is_mailed(english, auth, mail_inbox):
    organiser = factories.user("organiser@example.mn", roles=["organiser"], language="en")
    event = make_exhibition(organiser=organiser)
    exhibitor = services.apply_for_booth(event, application(language="en"))
    login(auth, organiser)
    listing = english.get(APPLICATIONS, query_string={"state": "pending"}).get_data(as_text=True)
    assert "Эко Ноос ХХК" in listing and "Waiting for a decision" in listing
    detail = english.get(f"{APPLICATIONS}/{exhibitor.id}").get_data(as_text=True)
    assert "Нэг ширээ, цахилгаан" in detail and "Approve the application" in detail
    response = english.post(f"{APPLICATIONS}/{exhibitor.id}/approve", data={"booth_number": "C-3"})
    assert response.headers["Location"] == APPLICATIONS
    assert (exhibitors()[0].state, exhibitors()[0].booth_number) == ("approved", "C-3")
    received, message = mail_inbox.to("munkhzaya@example.mn")
    assert received["Subject"] == "We have received your booth application"
    assert message["Subject"] == "Your booth application is approved"
    assert "C-3" in message.get_body(("plain",)).get_content()
    assert "<h3>Эко Ноос ХХК</h3>" in english.get(DIRECTORY).get_data(as_text=True)
    assert english.get(APPLICATIONS, query_string={"state": "pending"}).status_code == 200
    again = english.post(f"{APPLICATIONS}/{exhibitor.id}/decline", data={"reason": "late"})
    assert again.status_code == 422
    assert "This application has already been decided." in again.get_data(as_text=True)


def test_decline_needs_a_reason(english, auth, mail_inbox):
    organiser = factories.user("organiser@example.mn", roles=["organiser"], language="en")
    event = make_exhibition(organiser=organiser)
    exhibitor = services.apply_for_booth(event, application())
    login(auth, organiser)
    decline = f"{APPLICATIONS}/{exhibitor.id}/decline"
    response = english.post(decline, data={"reason": "   "})
    assert response.status_code == 422
    assert "Please give a reason; the applicant will read it." in response.get_data(as_text=True)
    assert exhibitors()[0].state == "pending"
    assert english.post(decline, data={"reason": "Талбай дүүрсэн"}).status_code == 302
    assert exhibitors()[0].state == "declined"
    _received, message = mail_inbox.to("munkhzaya@example.mn")
    assert "Талбай дүүрсэн" in message.get_body(("plain",)).get_content()
    directory = english.get(DIRECTORY).get_data(as_text=True)
    assert "is declined" in directory  # the flash of the decision
    assert "<h3>Эко Ноос ХХК</h3>" not in directory
    assert "No exhibitors have been approved yet." in directory


def test_foreign_application_id_is_404(client, auth):
    organiser = factories.user(roles=["organiser"])
    make_exhibition(organiser=organiser)
    other = make_exhibition("other-fair")
    exhibitor = services.apply_for_booth(other, application())
    login(auth, organiser)
    assert client.get(f"{APPLICATIONS}/{exhibitor.id}").status_code == 404
    assert client.post(f"{APPLICATIONS}/{exhibitor.id}/approve").status_code == 404


def test_apply_is_rate_limited(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        factories.seed_reference()
        make_exhibition()
    codes = [client.post(APPLY, data=application(company_name="")).status_code
             for _ in range(11)]
    assert codes == [422] * 10 + [429]
    assert client.get(APPLY).status_code == 200


def test_csrf_is_required_to_apply(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        factories.seed_reference()
        make_exhibition()
    assert client.post(APPLY, data=application()).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(Exhibitor.id))) == 0
