"""Finding 9 (info), account enumeration: signing up with an address that has an account,
or moving one's account to such an address, answers exactly as for a free address; the
address's owner is told by mail instead. "Forgot password" and the sign-in error were
already neutral: these tests keep them so."""

import re

import pytest
from sqlalchemy import func, select

from forum_app.accounts.models import User
from forum_app.extensions import db
from tests import factories
from tests.accounts.test_routes import signup_data
from tests.support import mn

CSRF = re.compile(r'name="csrf_token" value="[^"]*"')


@pytest.fixture
def app(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)  # as in production: the tokens are set aside
    with app.app_context():
        factories.seed_reference()
        yield app


def submit(client, url: str, data: dict, form_page: str | None = None):
    """Posts `data` with the CSRF token of the form page, as a browser does."""
    page = client.get(form_page or url).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return client.post(url, data=data | {"csrf_token": token})


def answer(client, response, address: str) -> tuple:
    """What the person sees: the status, where it leads, that page's text; with the address
    they typed and the CSRF tokens set aside."""
    assert response.status_code in (302, 401, 422)
    body = response.get_data(as_text=True)
    location = response.headers.get("Location")
    followed = client.get(location).get_data(as_text=True) if location else ""
    return tuple(CSRF.sub("", text).replace(address, "ADDRESS")
                 for text in (str(response.status_code), location or "", body, followed))


def signed_up(app, address: str, **values) -> tuple:
    client = app.test_client()
    response = submit(client, "/account/signup",
                      signup_data(email=address, name="Хулгайч", **values))
    return answer(client, response, address)


def mail_text(message) -> str:
    return str(message["Subject"]) + "\n" + message.get_body(("plain",)).get_content()


def users() -> int:
    return db.session.scalar(select(func.count(User.id)))


def test_signing_up_with_a_taken_address_answers_as_a_new_sign_up(app, mail_inbox):
    factories.user("owner@example.mn", name="Оюун Эзэн")
    taken, free = signed_up(app, "owner@example.mn"), signed_up(app, "nomin@example.mn")
    assert taken == free
    assert taken[:2] == ("302", "/account/login")
    assert mn("We have sent a message to %(email)s. Open it to confirm your address, then "
              "sign in here.", email="ADDRESS") in taken[3]

    # The owner is told, with links on the public address; nothing was created or changed.
    [told] = mail_inbox.to("owner@example.mn")
    text = mail_text(told)
    assert mn("This e-mail address already has an account") in text
    assert "http://localhost/account/login" in text
    assert "http://localhost/account/password/forgot" in text
    assert users() == 2  # the owner and the new sign-up
    owner = db.session.scalar(select(User).where(User.email == "owner@example.mn"))
    assert owner.name == "Оюун Эзэн"
    [welcome] = mail_inbox.to("nomin@example.mn")
    assert "/account/verify/" in mail_text(welcome)


def test_a_weak_password_is_refused_the_same_for_a_taken_address(app, mail_inbox):
    factories.user("owner@example.mn")
    weak = {"password": "password123", "password_confirm": "password123"}
    taken = signed_up(app, "owner@example.mn", **weak)
    assert taken == signed_up(app, "nomin@example.mn", **weak)
    assert taken[0] == "422"
    assert not mail_inbox.to("owner@example.mn") and users() == 1


def test_moving_an_account_to_a_taken_address_answers_as_for_a_free_one(app, mail_inbox):
    factories.user("owner@example.mn")
    factories.user("citizen@example.mn")
    profile = {"name": "Иргэн", "phone": "", "language": "mn", "stakeholder_kind": "citizen",
               "organisation": "", "district_id": "",
               "current_password": factories.PASSWORD}
    answers = []
    for address in ("owner@example.mn", "free@example.mn"):
        client = app.test_client()
        submit(client, "/account/login", {"email": "citizen@example.mn",
                                          "password": factories.PASSWORD})
        response = submit(client, "/account/", profile | {"email": address})
        answers.append(answer(client, response, address))
    assert answers[0] == answers[1]

    [told] = mail_inbox.to("owner@example.mn")
    assert mn("This e-mail address already has an account") in mail_text(told)
    assert "/account/email/confirm/" not in mail_text(told)
    [confirm] = mail_inbox.to("free@example.mn")
    assert "/account/email/confirm/" in mail_text(confirm)
    assert db.session.scalar(select(func.count(User.id)).where(
        User.email == "owner@example.mn")) == 1


def test_forgot_password_and_sign_in_errors_are_neutral(app, mail_inbox):
    factories.user("owner@example.mn")
    forgot = [answer(client, submit(client, "/account/password/forgot", {"email": address}),
                     address)
              for address, client in (("owner@example.mn", app.test_client()),
                                      ("nobody@example.mn", app.test_client()))]
    assert forgot[0] == forgot[1]
    assert len(mail_inbox.to("owner@example.mn")) == 1 and not mail_inbox.to("nobody@example.mn")

    wrong = [answer(client, submit(client, "/account/login",
                                   {"email": address, "password": "not-the-password-1"}),
                    address)
             for address, client in (("owner@example.mn", app.test_client()),
                                     ("nobody@example.mn", app.test_client()))]
    assert wrong[0] == wrong[1] and wrong[0][0] == "401"
