"""Personal API tokens on the account pages: made with a name, permissions and an expiry,
shown once on a page no cache keeps, stored only as a hash, listed with when they were last
used, revoked; covered by "My data" and by deleting the account."""

import hashlib
import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from forum_app.accounts.models import ApiToken
from forum_app.audit.models import AuditEvent
from forum_app.extensions import db
from forum_app.i18n import utcnow
from tests import factories
from tests.api.personal_support import bearer, token

SECRET = re.compile(r"fa_[A-Za-z0-9_-]{43}")


@pytest.fixture
def person(app):
    return factories.user("citizen@example.mn")


@pytest.fixture
def signed_in(client, auth, person):
    assert auth.login().status_code == 302
    return client


def make(client, **values):
    data = {"name": "Миний утасны апп", "scopes": ["read", "issues:write"], "days": "30",
            "current_password": factories.PASSWORD} | values
    return client.post("/account/api-tokens/", data=data)


def test_a_person_makes_a_token_and_sees_it_once(signed_in, person):
    page = signed_in.get("/account/api-tokens/")
    assert page.status_code == 200
    assert "API түлхүүр" in page.get_data(as_text=True)
    assert "/account/api-tokens/" in signed_in.get("/account/").get_data(as_text=True)

    response = make(signed_in)
    assert response.status_code == 201
    assert "no-store" in response.headers["Cache-Control"]
    [secret] = SECRET.findall(response.get_data(as_text=True))
    row = db.session.scalar(select(ApiToken))
    assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in json.dumps({c.name: str(getattr(row, c.key, ""))
                                     for c in ApiToken.__table__.columns})
    assert row.prefix == secret[:8] and row.scope_list == ["read", "issues:write"]
    assert timedelta(days=29) < row.expires_at - row.created_at <= timedelta(days=30)

    listed = signed_in.get("/account/api-tokens/").get_data(as_text=True)
    assert "Миний утасны апп" in listed and f"{secret[:8]}…" in listed
    assert secret not in listed and secret[:12] not in listed  # never shown again
    assert signed_in.get("/api/v1/me", headers=bearer(secret)).get_json()["email"] == \
        "citizen@example.mn"
    assert db.session.scalar(select(AuditEvent.action).where(
        AuditEvent.object_type == "ApiToken")) == "api_token.created"


@pytest.mark.parametrize(("values", "field_message"), [
    ({"name": "  "}, "Түлхүүрт нэр өгнө үү"),
    ({"name": "x" * 81}, "80"),
    ({"scopes": []}, "дор хаяж нэг зөвшөөрөл сонгоно уу"),
    ({"scopes": ["read", "admin"]}, None),
    ({"days": "3650"}, None),
    ({"days": "abc"}, None),
    ({"current_password": "not-my-password"}, "Таны одоогийн нууц үг буруу байна"),
    ({"current_password": ""}, "Нууц үгээ оруулна уу"),
])
def test_bad_input_is_explained_and_makes_no_token(signed_in, values, field_message):
    response = make(signed_in, **values)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert not SECRET.search(page)
    assert db.session.scalar(select(ApiToken)) is None
    assert 'class="error"' in page
    if field_message:
        assert field_message in page


def test_a_revoked_token_stops_working_at_once(signed_in, person):
    secret = token(person)
    row = db.session.scalar(select(ApiToken))
    assert signed_in.get("/api/v1/me", headers=bearer(secret)).status_code == 200
    response = signed_in.post(f"/account/api-tokens/{row.id}/revoke", data={})
    assert response.status_code == 302
    refused = signed_in.get("/api/v1/me", headers=bearer(secret))
    assert refused.status_code == 401 and refused.get_json()["code"] == "token_invalid"
    page = signed_in.get("/account/api-tokens/").get_data(as_text=True)
    assert "Хүчингүй болгосон" in page
    assert [e.action for e in db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "ApiToken").order_by(AuditEvent.id))] == [
        "api_token.created", "api_token.revoked"]


def test_nobody_sees_or_revokes_another_persons_token(signed_in, person):
    other = factories.user("other@example.mn")
    secret = token(other, name="Бусдын скрипт")
    row = db.session.scalar(select(ApiToken))
    assert "Бусдын скрипт" not in signed_in.get("/account/api-tokens/").get_data(as_text=True)
    assert signed_in.post(f"/account/api-tokens/{row.id}/revoke", data={}).status_code == 404
    assert signed_in.get("/api/v1/me", headers=bearer(secret)).status_code == 200


def test_last_used_is_noted_at_most_every_few_minutes(signed_in, person):
    secret = token(person)
    assert "хэзээ ч" in signed_in.get("/account/api-tokens/").get_data(as_text=True)
    signed_in.get("/api/v1/me", headers=bearer(secret))
    row = db.session.scalar(select(ApiToken))
    first = row.last_used_at
    assert first is not None
    signed_in.get("/api/v1/me", headers=bearer(secret))
    db.session.refresh(row)
    assert row.last_used_at == first  # a second call a moment later writes nothing
    earlier = utcnow() - timedelta(minutes=6)
    db.session.execute(update(ApiToken).values(last_used_at=earlier))
    db.session.commit()
    signed_in.get("/api/v1/me", headers=bearer(secret))
    db.session.refresh(row)
    assert row.last_used_at > earlier + timedelta(minutes=5)
    assert "хэзээ ч" not in signed_in.get("/account/api-tokens/").get_data(as_text=True)


def test_an_expired_token_is_listed_as_expired_and_refused(signed_in, person):
    secret = token(person, days=7)
    db.session.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    assert "Хугацаа нь дууссан" in signed_in.get("/account/api-tokens/").get_data(as_text=True)
    assert signed_in.get("/api/v1/me", headers=bearer(secret)).get_json()["code"] == \
        "token_expired"


def test_my_data_lists_tokens_without_secrets_and_erasing_deletes_them(signed_in, person):
    secret = token(person, name="Судалгааны скрипт")
    row = db.session.scalar(select(ApiToken))
    exported = signed_in.get("/account/data.json").get_data(as_text=True)
    [listed] = json.loads(exported)["account"]["api_tokens"]
    assert listed["name"] == "Судалгааны скрипт" and listed["prefix"] == secret[:8]
    assert secret not in exported and row.token_hash not in exported
    response = signed_in.post("/account/delete", data={"current_password": factories.PASSWORD,
                                                       "confirm": "y"})
    assert response.status_code == 302
    assert db.session.scalar(select(ApiToken)) is None
    assert signed_in.get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_a_person_has_at_most_twenty_valid_tokens(signed_in, person):
    for n in range(20):
        token(person, name=f"Апп {n}")
    response = make(signed_in)
    assert response.status_code == 422
    assert "20" in response.get_data(as_text=True)
    assert len(db.session.scalars(select(ApiToken)).all()) == 20
