"""The privacy notice: versioned, every past text readable, consent recorded at sign-up,
and a signed-in person told once of a material change."""

from sqlalchemy import select

from forum_app.accounts.models import User
from forum_app.core.privacy import NOTICE_VERSIONS
from forum_app.core.reference import PRIVACY_NOTICE_VERSION
from forum_app.extensions import db
from tests import factories
from tests.accounts.test_routes import signup_data

CHANGED = "Таны сүүлд зөвшөөрснөөс хойш нууцлалын мэдэгдэл өөрчлөгдсөн."


def test_each_version_is_readable_and_the_current_one_names_the_controller(client, app):
    current = client.get("/privacy").get_data(as_text=True)
    assert "Дархан-Уул аймгийн Засаг даргын Тамгын газар" in current
    assert "12 сарын дараа автоматаар устгагдана" in current
    old = client.get(f"/privacy/{NOTICE_VERSIONS[0].version}").get_data(as_text=True)
    assert "Энэ бол өмнөх хувилбар" in old and "Засаг даргын Тамгын газар" not in old
    assert client.get("/privacy/1999-01").status_code == 404
    client.post("/language", data={"language": "en", "next": "/"})
    english = client.get("/privacy").get_data(as_text=True)
    assert "Governor's Office of Darkhan-Uul province" in english


def test_sign_up_records_the_notice_accepted(client, app):
    assert client.post("/account/signup", data=signup_data()).status_code == 302
    user = db.session.scalar(select(User))
    assert user.consent_version == PRIVACY_NOTICE_VERSION and user.consent_at is not None


def test_a_person_who_accepted_an_older_notice_is_told_once(client, auth, app):
    person = factories.user("old@example.mn", consent_version=NOTICE_VERSIONS[0].version)
    auth.login("old@example.mn")
    assert CHANGED in client.get("/events/").get_data(as_text=True)
    response = client.post("/account/privacy/acknowledge", data={"next": "/events/"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/events/")
    assert CHANGED not in client.get("/events/").get_data(as_text=True)
    db.session.refresh(person)
    assert person.consent_version == PRIVACY_NOTICE_VERSION


def test_a_person_with_the_current_notice_sees_no_notice_of_change(client, auth, app):
    factories.user("new@example.mn")
    auth.login("new@example.mn")
    assert CHANGED not in client.get("/events/").get_data(as_text=True)
