"""Finding 2 (Medium): the e-mail of an account changed without the password and at once, so
"forgot password" then mailed the new, unconfirmed address; the old address was never told.
Finding 4 (Low-medium): sessions outlived a password change; every session was permanent."""

from sqlalchemy import select

from forum_app.accounts.models import User
from forum_app.extensions import db
from tests import factories

PROFILE = {"name": "Иргэн", "phone": "", "language": "mn", "stakeholder_kind": "citizen",
           "organisation": "", "district_id": ""}


def link_in(message, part: str) -> str:
    body = message.get_body(("plain",)).get_content()
    return next(line for line in body.splitlines() if part in line).strip().replace(
        "http://localhost", "")


def user(email="citizen@example.mn") -> User:
    return db.session.scalar(select(User).where(User.email == email))


def test_email_change_without_the_password_is_refused(client, auth, mail_inbox):
    factories.user("citizen@example.mn")
    auth.login()
    response = client.post("/account/", data=PROFILE | {"email": "thief@evil.example"})
    assert response.status_code == 200  # the form again, with the message
    assert "одоогийн нууц үг буруу" in response.get_data(as_text=True)
    wrong = client.post("/account/", data=PROFILE | {"email": "thief@evil.example",
                                                     "current_password": "guess-guess-1"})
    assert "одоогийн нууц үг буруу" in wrong.get_data(as_text=True)
    assert user() is not None and not mail_inbox.to("thief@evil.example")


def test_new_address_takes_effect_only_once_confirmed_and_the_old_one_can_undo(
        client, auth, mail_inbox):
    factories.user("citizen@example.mn")
    auth.login()
    response = client.post("/account/", data=PROFILE | {
        "email": "thief@evil.example", "current_password": factories.PASSWORD})
    assert response.status_code == 302
    # Not yet: the account keeps its address, and "forgot password" mails the old one.
    assert user().email == "citizen@example.mn"
    client.post("/account/password/forgot", data={"email": "thief@evil.example"})
    assert not [m for m in mail_inbox.to("thief@evil.example") if "reset" in str(m.get_body())]
    [confirm] = mail_inbox.to("thief@evil.example")
    link = link_in(confirm, "/account/email/confirm/")
    assert client.get(link).status_code == 200  # a page with a button: GET changes nothing
    assert user().email == "citizen@example.mn"
    assert client.post(link).status_code == 302
    assert user("thief@evil.example") is not None
    # The old address is told, with a link that undoes the change and ends every session.
    [notice] = mail_inbox.to("citizen@example.mn")
    undo = link_in(notice, "/account/email/undo/")
    other = client.application.test_client()
    assert other.post(undo).status_code == 302
    restored = user("citizen@example.mn")
    assert restored is not None and restored.is_verified
    assert client.get("/account/").status_code == 302  # the thief's session has ended
    assert auth.login(password=factories.PASSWORD).status_code == 401  # the password too
    assert any("/account/password/reset/" in str(m.get_body(("plain",)).get_content())
               for m in mail_inbox.to("citizen@example.mn"))


def test_confirming_an_address_already_in_use_is_refused_without_telling_in_advance(
        client, auth, mail_inbox):
    factories.user("citizen@example.mn")
    factories.user("taken@example.mn")
    auth.login()
    response = client.post("/account/", data=PROFILE | {
        "email": "taken@example.mn", "current_password": factories.PASSWORD})
    assert response.status_code == 302  # the same answer as for a free address
    [notice] = mail_inbox.to("taken@example.mn")  # tests/security/test_enumeration.py
    assert "/account/email/confirm/" not in notice.get_body(("plain",)).get_content()
    assert user().email == "citizen@example.mn"


def signed_in_twice(app, auth):
    """The citizen signed in here and in another browser."""
    factories.user("citizen@example.mn")
    auth.login()
    other = app.test_client()
    other.post("/account/login", data={"email": "citizen@example.mn",
                                       "password": factories.PASSWORD})
    assert other.get("/account/").status_code == 200
    return other


def test_password_change_ends_every_other_session(app, client, auth):
    other = signed_in_twice(app, auth)
    response = client.post("/account/password", data={
        "current_password": factories.PASSWORD, "password": "new-steppe-wind-7",
        "password_confirm": "new-steppe-wind-7"})
    assert response.status_code == 302
    assert client.get("/account/").status_code == 200  # this one stays
    assert other.get("/account/").status_code == 302  # the other one has ended


def test_sign_out_everywhere(app, client, auth):
    other = signed_in_twice(app, auth)
    assert client.post("/account/sessions/end").status_code == 302
    assert client.get("/account/").status_code == 302
    assert other.get("/account/").status_code == 302


def test_session_is_permanent_only_when_remembered(app, client):
    factories.user("citizen@example.mn")
    response = client.post("/account/login", data={"email": "citizen@example.mn",
                                                    "password": factories.PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "Expires" not in cookie  # ends with the browser
    remembered = app.test_client().post("/account/login", data={
        "email": "citizen@example.mn", "password": factories.PASSWORD, "remember": "y"})
    assert "Expires" in remembered.headers["Set-Cookie"]
