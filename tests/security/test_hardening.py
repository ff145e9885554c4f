"""Finding 9 (Info): seed-demo ran in production with the demo admin's public password; the
`lang` cookie was not Secure in production; guesses of check-in codes, device tokens and
manage links had no rate limit, and every bad scan stored a row forever."""

from datetime import timedelta

from sqlalchemy import func, select

from config import ProductionConfig
from forum_app import create_app
from forum_app.accounts.models import User
from forum_app.checkin.models import CheckIn
from forum_app.extensions import db
from forum_app.i18n import utcnow
from tests import factories
from tests.checkin.support import device_token


def test_seed_demo_refuses_under_production(_schema, monkeypatch):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "p" * 40)
    app = create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI=_schema,
                     PUBLIC_BASE_URL="https://forum.darkhan-uul.gov.mn")
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0 and "production" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0


def test_language_cookie_is_secure_when_the_session_cookie_is(app_factory):
    app = app_factory(SESSION_COOKIE_SECURE=True)
    response = app.test_client().post("/language", data={"language": "en", "next": "/"})
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("lang=en") and "Secure" in cookie and "HttpOnly" in cookie


def test_manage_link_guesses_are_slowed_down(app_factory):
    client = app_factory(RATELIMIT_ENABLED=True).test_client()
    codes = [client.get(f"/r/guess{n:040d}").status_code for n in range(31)]
    assert codes[:30] == [404] * 30 and codes[30] == 429


def test_device_token_guesses_are_slowed_down(app_factory):
    client = app_factory(RATELIMIT_ENABLED=True).test_client()
    codes = [client.post("/api/v1/checkin", json={"code": "X", "nonce": f"n{n}"},
                         headers={"Authorization": f"Bearer guess-{n}"}).status_code
             for n in range(31)]
    assert codes[:30] == [401] * 30 and codes[30] == 429


def test_one_device_cannot_flood_the_scan_table(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, SCAN_RATE_LIMIT="5 per minute")
    client = app.test_client()
    with app.app_context():
        factories.seed_reference()
        organiser = factories.user("organiser@example.mn", roles=("organiser",))
        token = device_token(organiser, factories.event(organiser))
    codes = [client.post("/api/v1/checkin", json={"code": f"NOT-A-TICKET-{n}", "nonce": f"n{n}"},
                         headers={"Authorization": f"Bearer {token}"}).status_code
             for n in range(6)]
    assert codes == [200] * 5 + [429]


def test_purge_expired_deletes_old_scans_of_unknown_codes(app, client):
    organiser = factories.user("organiser@example.mn", roles=("organiser",))
    token = device_token(organiser, factories.event(organiser))
    for n in range(3):
        client.post("/api/v1/checkin", json={"code": f"NOT-A-TICKET-{n}", "nonce": f"n{n}"},
                    headers={"Authorization": f"Bearer {token}"})
    db.session.execute(CheckIn.__table__.update().values(created_at=utcnow() - timedelta(days=40)))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["purge-expired"])
    assert "purged 3 scans of unknown codes" in result.output, result.output
    assert db.session.scalar(select(func.count(CheckIn.id))) == 0
