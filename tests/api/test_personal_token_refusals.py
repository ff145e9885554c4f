"""Every API route that needs a personal token refuses a missing, malformed, unknown,
revoked, expired or wrong-scope token, a blocked account's, a device's, and a signed-in
browser's session cookie, and changes nothing when it refuses. The table of those routes is
checked against the URL map, so a new one cannot be left out."""

import secrets

import pytest
from sqlalchemy import func, select

from forum_app.accounts.api_tokens import revoke_api_token
from forum_app.accounts.models import ApiToken, User
from forum_app.checkin.devices import create_device
from forum_app.extensions import db
from forum_app.i18n import utcnow
from forum_app.issues.models import Follow, Issue, Support
from forum_app.registration.models import Registration
from tests import factories
from tests.api.personal_support import ALL_SCOPES, bearer, expire, registration_of, token

# endpoint -> (method, URL with {registration_id} and {issue_id}, the scope it needs)
ROUTES = {
    "api.me": ("GET", "/api/v1/me", "read"),
    "api.my_registrations": ("GET", "/api/v1/me/registrations", "read"),
    "api.my_registration": ("GET", "/api/v1/me/registrations/{registration_id}", "read"),
    "api.cancel_my_registration": (
        "POST", "/api/v1/me/registrations/{registration_id}/cancel", "registrations:write"),
    "api.my_issues": ("GET", "/api/v1/me/issues", "read"),
    "api.create_issue": ("POST", "/api/v1/issues", "issues:write"),
    "api.support_issue": ("POST", "/api/v1/issues/{issue_id}/support", "issues:write"),
    "api.withdraw_support": ("DELETE", "/api/v1/issues/{issue_id}/support", "issues:write"),
    "api.follow_issue": ("POST", "/api/v1/issues/{issue_id}/follow", "issues:write"),
    "api.unfollow_issue": ("DELETE", "/api/v1/issues/{issue_id}/follow", "issues:write"),
}
NEW_ISSUE = {"title": "Гудамжны гэрэл асахгүй байна",
             "description": "Манай гудамжны гэрэл гурван долоо хоног асахгүй байна."}


def test_the_table_names_every_route_that_needs_a_personal_token(app):
    marked = {endpoint: view.personal_token_scope.value
              for endpoint, view in app.view_functions.items()
              if hasattr(view, "personal_token_scope")}
    assert marked == {endpoint: scope for endpoint, (_m, _u, scope) in ROUTES.items()}
    for endpoint, (method, url, _scope) in ROUTES.items():
        rules = list(app.url_map.iter_rules(endpoint))
        assert [rule.rule for rule in rules] == [url.replace("{", "<int:").replace("}", ">")
                                                 if "{" in url else url]
        assert method in rules[0].methods
    # Everything under /api/v1/me is the person's own: none of it without a personal token.
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/me"):
            assert rule.endpoint in ROUTES, rule.rule


@pytest.fixture
def world(app):
    owner = factories.user("owner@example.mn")
    registration = registration_of(owner)
    issue = factories.issue(factories.user("author@example.mn"))
    category = factories.category().id
    return {"owner": owner, "registration_id": registration.id, "issue_id": issue.id,
            "category_id": category, "event": registration.event}


def _state() -> tuple:
    """What any of the routes could change."""
    return (db.session.scalar(select(func.count(Issue.id))),
            db.session.scalar(select(func.count(Support.id))),
            db.session.scalar(select(func.count(Follow.id))),
            tuple(db.session.scalars(select(Registration.state).order_by(Registration.id))))


def _call(client, endpoint: str, world: dict, headers: dict | None = None):
    method, url, _scope = ROUTES[endpoint]
    body = NEW_ISSUE | {"category_id": world["category_id"]} \
        if endpoint == "api.create_issue" else None
    return client.open(url.format(**world), method=method, headers=headers or {}, json=body)


def _refusals(world: dict, scope: str) -> dict[str, tuple[dict, int, str]]:
    """kind of refusal -> (headers, status, code)."""
    owner = world["owner"]
    revoked = token(owner)
    revoke_api_token(owner, db.session.scalar(select(ApiToken).order_by(ApiToken.id.desc())))
    expired = token(owner)
    expire(db.session.scalar(select(func.max(ApiToken.id))))
    wrong_scope = token(owner, [other for other in ALL_SCOPES if other != scope])
    unknown = "fa_" + secrets.token_urlsafe(32)
    refusals = {
        "no header": ({}, 401, "token_missing"),
        "empty header": ({"Authorization": ""}, 401, "token_missing"),
        "another scheme": ({"Authorization": f"Token {revoked}"}, 401, "token_malformed"),
        "basic": ({"Authorization": "Basic b3duZXI6cGFzcw=="}, 401, "token_malformed"),
        "bearer alone": ({"Authorization": "Bearer"}, 401, "token_malformed"),
        "no prefix": (bearer(secrets.token_urlsafe(32)), 401, "token_malformed"),
        "cut short": (bearer(unknown[:20]), 401, "token_malformed"),
        "too long": (bearer(unknown + "x" * 5000), 401, "token_malformed"),
        "unknown": (bearer(unknown), 401, "token_invalid"),
        "revoked": (bearer(revoked), 401, "token_invalid"),
        "expired": (bearer(expired), 401, "token_expired"),
        "wrong scope": (bearer(wrong_scope), 403, "insufficient_scope"),
    }
    return refusals


@pytest.mark.parametrize("endpoint", sorted(ROUTES))
def test_each_route_refuses_every_bad_token_and_changes_nothing(client, world, endpoint):
    scope = ROUTES[endpoint][2]
    refusals = _refusals(world, scope)
    before = _state()
    for kind, (headers, status, code) in refusals.items():
        response = _call(client, endpoint, world, headers)
        assert (response.status_code, response.get_json()["code"]) == (status, code), kind
        assert response.headers["WWW-Authenticate"].startswith("Bearer"), kind
        assert response.get_json()["error"], kind
        assert _state() == before, kind
    # The same request with a token of the right scope gets through.
    response = _call(client, endpoint, world, bearer(token(world["owner"], [scope])))
    assert response.status_code in (200, 201), response.get_json()


@pytest.mark.parametrize("endpoint", sorted(ROUTES))
def test_a_signed_in_browser_session_is_not_an_api_token(client, auth, world, endpoint):
    assert auth.login("owner@example.mn").status_code == 302
    assert client.get("/account/").status_code == 200  # the session works on the web
    before = _state()
    response = _call(client, endpoint, world)
    assert response.status_code == 401
    assert response.get_json()["code"] == "token_missing"
    assert _state() == before


@pytest.mark.parametrize("endpoint", sorted(ROUTES))
def test_a_check_in_device_token_is_not_a_personal_token(client, world, endpoint):
    organiser = db.session.get(User, world["event"].created_by_id)
    device_token = create_device(organiser, world["event"], "Гол хаалга")[1]
    response = _call(client, endpoint, world, bearer(device_token))
    assert response.status_code == 401
    assert response.get_json()["code"] == "token_malformed"


def test_a_blocked_persons_tokens_stop_working_and_an_erased_persons_are_gone(client, world):
    owner = world["owner"]
    secret = token(owner)
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200
    owner.blocked_at = utcnow()
    db.session.commit()
    response = client.get("/api/v1/me", headers=bearer(secret))
    assert response.status_code == 403
    assert response.get_json()["code"] == "account_blocked"
    owner.blocked_at = None
    db.session.commit()
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200


@pytest.mark.parametrize("endpoint", sorted(ROUTES))
def test_each_route_is_documented_with_its_token_and_scope(client, endpoint):
    method, url, scope = ROUTES[endpoint]
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"][url.removeprefix("/api/v1")][method.lower()]
    assert operation["security"] == [{"personalToken": []}]
    assert f"`{scope}`" in operation["description"]
    assert {"401", "403", "429"} <= set(operation["responses"])
    if "{" in url:
        assert "404" in operation["responses"]
