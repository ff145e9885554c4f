from sqlalchemy import select

from forum_app.accounts.models import User
from forum_app.extensions import db
from tests import factories


def signup_data(**overrides):
    data = {
        "name": "Энхжаргал Батаа", "email": "enkhjargal@example.mn", "phone": "99112233",
        "password": "khan-uul-spring-5", "password_confirm": "khan-uul-spring-5",
        "language": "mn", "stakeholder_kind": "citizen", "organisation": "",
        "district_id": str(factories.district().id), "accept_privacy": "y",
    }
    return data | overrides


def test_signup_sends_verification_mail_over_smtp_and_link_confirms(client, app, mail_inbox):
    response = client.post("/account/signup", data=signup_data())
    assert response.status_code == 302
    [message] = mail_inbox.to("enkhjargal@example.mn")
    assert message["Subject"] == "И-мэйл хаягаа баталгаажуулна уу"
    body = message.get_body(("plain",)).get_content()
    link = next(line for line in body.splitlines() if "/account/verify/" in line)
    response = client.get(link.strip().replace("http://localhost", ""))
    assert response.status_code == 302
    assert db.session.scalar(select(User)).is_verified


def test_signup_with_bad_input_shows_messages_and_creates_nothing(client):
    response = client.post("/account/signup", data=signup_data(
        email="not-an-email", password="abc", password_confirm="abd", name="x" * 10_000,
        accept_privacy=""))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Зөв и-мэйл хаяг оруулна уу" in page
    assert db.session.scalar(select(User)) is None


def test_signup_with_common_password_is_explained(client):
    response = client.post("/account/signup", data=signup_data(
        password="qwerty123", password_confirm="qwerty123"))
    assert response.status_code == 422
    assert db.session.scalar(select(User)) is None


def test_login_logout_and_copied_cookie_stops_working(client, auth, app):
    factories.user("citizen@example.mn")
    assert auth.login().headers["Location"] == "/"
    assert client.get("/account/").status_code == 200
    stolen = client.get_cookie("session").value
    auth.logout()
    assert client.get("/account/").status_code == 302
    client.set_cookie("session", stolen)
    assert client.get("/account/").status_code == 302


def test_login_rejects_wrong_password_with_a_clear_message(client, auth):
    factories.user("citizen@example.mn")
    response = auth.login(password="not-the-password")
    assert response.status_code == 401
    assert "И-мэйл эсвэл нууц үг буруу байна" in response.get_data(as_text=True)


def test_login_next_parameter_cannot_leave_the_site(client, app):
    factories.user("citizen@example.mn")
    response = client.post("/account/login?next=//evil.example/x",
                           data={"email": "citizen@example.mn", "password": factories.PASSWORD})
    assert response.headers["Location"] == "/"


def test_repeated_bad_logins_get_429(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, LOGIN_FAILURE_LIMIT="3 per minute")
    client = app.test_client()
    with app.app_context():
        factories.seed_reference()
        factories.user("citizen@example.mn")
    codes = [client.post("/account/login", data={"email": "citizen@example.mn",
                                                 "password": "wrong-password"}).status_code
             for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    assert "Хэт олон удаа оролдлоо" in client.post("/account/login", data={
        "email": "citizen@example.mn", "password": factories.PASSWORD}).get_data(as_text=True)


def test_password_reset_over_smtp(client, mail_inbox):
    factories.user("tsetseg@example.mn", language="en")
    client.post("/account/password/forgot", data={"email": "tsetseg@example.mn"})
    [message] = mail_inbox.to("tsetseg@example.mn")
    assert message["Subject"] == "Choose a new password"
    link = next(line for line in message.get_body(("plain",)).get_content().splitlines()
                if "/password/reset/" in line).strip().replace("http://localhost", "")
    response = client.post(link, data={"password": "blue-sky-darkhan-8",
                                       "password_confirm": "blue-sky-darkhan-8"})
    assert response.headers["Location"] == "/account/login"
    assert client.post(link, data={"password": "again-sky-darkhan-9",
                                   "password_confirm": "again-sky-darkhan-9"}
                       ).headers["Location"] == "/account/password/forgot"
    assert client.post("/account/login", data={"email": "tsetseg@example.mn",
                                               "password": "blue-sky-darkhan-8"}).status_code == 302


def test_profile_edit_saves_and_switches_language(client, auth):
    factories.user("citizen@example.mn")
    auth.login()
    response = client.post("/account/", data={
        "name": "Шинэ Нэр", "email": "citizen@example.mn", "phone": "", "language": "en",
        "stakeholder_kind": "business",
        "organisation": "Eco Wool LLC", "district_id": ""}, follow_redirects=True)
    assert "Your profile has been saved." in response.get_data(as_text=True)
    user = db.session.scalar(select(User))
    assert (user.name, user.language, user.stakeholder_kind, user.organisation) == (
        "Шинэ Нэр", "en", "business", "Eco Wool LLC")


def test_profile_rejects_unknown_choice_without_saving(client, auth):
    factories.user("citizen@example.mn")
    auth.login()
    response = client.post("/account/", data={
        "name": "Шинэ Нэр", "email": "citizen@example.mn", "language": "fr",
        "stakeholder_kind": "citizen", "district_id": ""})
    assert response.status_code == 200
    assert db.session.scalar(select(User)).language == "mn"


def test_csrf_is_required_on_forms(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        factories.seed_reference()
        data = signup_data()
    response = client.post("/account/signup", data=data)
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(User)) is None


def test_changing_the_email_needs_a_new_confirmation(client, auth, mail_inbox):
    factories.user("citizen@example.mn")
    factories.user("taken@example.mn")
    auth.login()
    form = {"name": "Иргэн", "phone": "", "language": "mn", "stakeholder_kind": "citizen",
            "organisation": "", "district_id": ""}
    form["current_password"] = factories.PASSWORD
    response = client.post("/account/", data=form | {"email": "taken@example.mn"})
    assert response.status_code == 302
    [notice] = mail_inbox.to("taken@example.mn")  # its owner is told, and gets no link to move it
    assert "/account/email/confirm/" not in notice.get_body(("plain",)).get_content()
    client.post("/account/", data=form | {"email": "new@example.mn"})
    user = db.session.scalar(select(User).where(User.email == "citizen@example.mn"))
    assert user.name == "Иргэн"  # the address waits for its confirmation (tests/security)
    assert len(mail_inbox.to("new@example.mn")) == 1
