"""Finding 1 (High): links that leave the request (reset and ticket mails, the API's
manage_url) are built on PUBLIC_BASE_URL, never on the Host the request names; production
refuses requests for another host."""

import pytest

from config import ProductionConfig
from forum_app import create_app
from tests import factories

EVIL = "evil.example"


def links_in(message) -> str:
    return message.get_body(("plain",)).get_content()


def test_reset_mail_ignores_a_forged_host(client, mail_inbox):
    factories.user("tsetseg@example.mn")
    client.post("/account/password/forgot", data={"email": "tsetseg@example.mn"},
                headers={"Host": EVIL, "X-Forwarded-Host": EVIL})
    [mail] = mail_inbox.to("tsetseg@example.mn")
    body = links_in(mail)
    assert "http://localhost/account/password/reset/" in body
    assert EVIL not in body


def test_registration_mail_and_api_manage_url_ignore_a_forged_host(client, mail_inbox):
    event = factories.event(capacity=5)
    response = client.post(f"/api/v1/events/{event.id}/registrations",
                           json={"name": "Болд", "email": "bold@example.mn", "consent": True},
                           headers={"Host": EVIL, "X-Forwarded-Host": EVIL})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["manage_url"].startswith("http://localhost/")
    [mail] = mail_inbox.to("bold@example.mn")
    assert EVIL not in links_in(mail) and "http://localhost/" in links_in(mail)


@pytest.fixture
def production_app(_schema, monkeypatch):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "p" * 40)
    return create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI=_schema, TRUSTED_PROXIES=1,
                      PUBLIC_BASE_URL="https://forum.darkhan-uul.gov.mn")


def test_production_refuses_another_host_also_through_the_proxy(production_app):
    client = production_app.test_client()
    real = "forum.darkhan-uul.gov.mn"
    assert client.get("/healthz", headers={"Host": real}).status_code == 200
    assert client.get("/healthz", headers={"Host": EVIL}).status_code == 400
    forwarded = client.post("/account/password/forgot", data={"email": "a@example.mn"},
                            headers={"Host": real, "X-Forwarded-Host": EVIL})
    assert forwarded.status_code != 500
    with production_app.test_request_context("/", headers={"Host": real,
                                                           "X-Forwarded-Host": EVIL}):
        from forum_app.core.urls import external_url

        assert external_url("home.index") == f"https://{real}/"


def test_production_will_not_start_without_its_public_address(monkeypatch):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "p" * 40)
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL"):
        create_app(ProductionConfig, PUBLIC_BASE_URL="")
