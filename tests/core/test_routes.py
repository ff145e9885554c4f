import pytest
from sqlalchemy import select

from forum_app.accounts.models import User
from forum_app.extensions import db
from forum_app.registration.models import Registration
from tests import factories


def test_home_is_mongolian_by_default_and_english_one_click_away(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="mn">' in page and "Дархан хотын форум" in page
    response = client.post("/language", data={"language": "en", "next": "/"})
    assert response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in page and "Darkhan City Forum" in page


def test_language_choice_is_remembered_on_the_profile(client, auth):
    factories.user("citizen@example.mn")
    auth.login()
    client.post("/language", data={"language": "en", "next": "/account/"})
    assert db.session.scalar(select(User)).language == "en"
    client.delete_cookie("lang")
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_unknown_language_changes_nothing(client):
    client.post("/language", data={"language": "fr", "next": "/"})
    assert '<html lang="mn">' in client.get("/").get_data(as_text=True)


def test_language_switch_is_not_a_get(client):
    assert client.get("/language?language=en").status_code == 405


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_is_unreachable(app_factory, tmp_path):
    app = app_factory(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_security_headers_on_every_page(client):
    headers = client.get("/").headers
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in headers


def test_hsts_in_production(app_factory, monkeypatch):
    app = app_factory(HSTS=True)
    assert "max-age" in app.test_client().get("/").headers["Strict-Transport-Security"]


def test_production_refuses_default_secret_key(monkeypatch):
    from config import ProductionConfig
    from forum_app import create_app

    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "change-me")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)


@pytest.mark.parametrize("language, text", [("mn", "Хуудас олдсонгүй"), ("en", "Page not found")])
def test_404_page_in_both_languages(client, language, text):
    client.set_cookie("lang", language)
    response = client.get("/no-such-page")
    assert response.status_code == 404 and text in response.get_data(as_text=True)


def test_500_page_is_friendly(app_factory):
    app = app_factory()

    @app.route("/boom")
    def boom():
        raise ZeroDivisionError

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Алдаа" in response.get_data(as_text=True) or "алдаа" in response.get_data(as_text=True)


def test_413_for_an_oversized_request(app_factory):
    app = app_factory(MAX_CONTENT_LENGTH=1024)
    response = app.test_client().post("/account/login", data={"email": "x" * 5000})
    assert response.status_code == 413


def test_pages_reference_no_external_resources(client):
    for url in ["/", "/account/login", "/account/signup", "/privacy"]:
        page = client.get(url).get_data(as_text=True)
        assert "http://" not in page.replace("http://localhost", "")
        assert "https://" not in page


def test_text_no_database_can_store_is_refused_with_a_message(client):
    """NUL (PostgreSQL text cannot hold it) in a form, a lone surrogate in JSON: a clear
    message in the person's language (for the API, on the field), and nothing saved."""
    from tests.accounts.test_routes import signup_data

    response = client.post("/account/signup", data=signup_data(name="Энхжаргал\x00 Батаа"))
    assert response.status_code == 400
    assert "үл харагдах удирдлагын тэмдэгт" in response.get_data(as_text=True)
    event = factories.event()
    api = client.post(f"/api/v1/events/{event.id}/registrations", json={
        "name": "Бат\ud800", "email": "bat@example.mn", "consent": True})
    assert api.status_code == 422 and "name" in api.get_json()["fields"]
    assert db.session.scalar(select(User).where(User.email == "enkhjargal@example.mn")) is None
    assert db.session.scalar(select(Registration)) is None
