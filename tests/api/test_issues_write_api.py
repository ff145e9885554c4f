"""Raising, supporting and following issues with a personal token: the web form's rules and
limits through the same services, every bad input answered with the field at fault and
nothing saved, and no reach into issues the person may not see."""

import json

import pytest
from sqlalchemy import func, select

from forum_app.audit.models import AuditEvent
from forum_app.extensions import db
from forum_app.issues.models import Follow, Issue, Support
from forum_app.moderation.services import hide_content
from tests import factories
from tests.api.personal_support import bearer, token

NEW = {"title": "Гудамжны гэрэл асахгүй байна",
       "description": "Манай гудамжны гэрэл гурван долоо хоног асахгүй байгаа тул орой аюултай."}


@pytest.fixture
def person(app):
    return factories.user("citizen@example.mn")


@pytest.fixture
def headers(person):
    return bearer(token(person, ["read", "issues:write"]))


def body(**values) -> dict:
    return NEW | {"category_id": factories.category().id} | values


def issue_count() -> int:
    return db.session.scalar(select(func.count(Issue.id)))


def test_a_person_raises_an_issue_through_the_api(client, person, headers):
    district = factories.district()
    response = client.post("/api/v1/issues?lang=en", headers=headers, json=body(
        district_id=district.id, sdgs=[6, 11], latitude=49.4867, longitude=105.9228,
        anonymous=True))
    assert response.status_code == 201
    answer = response.get_json()
    issue = db.session.get(Issue, answer["id"])
    assert (issue.author_id, issue.channel, issue.title) == (person.id, "web", NEW["title"])
    assert issue.sdgs == [6, 11] and issue.anonymous and issue.language == "en"
    assert issue.location_public is False  # a position is public only when asked
    assert answer["public"] is True and answer["status"] == "submitted"
    assert answer["url"].endswith(f"/issues/{issue.id}")
    assert db.session.scalar(select(AuditEvent.action).where(
        AuditEvent.object_type == "Issue", AuditEvent.object_id == issue.id)) == \
        "issue.submitted"
    mine = client.get("/api/v1/me/issues", headers=headers).get_json()["issues"]
    assert [i["id"] for i in mine] == [issue.id]


@pytest.mark.parametrize(("values", "field"), [
    ({"title": "Гэр"}, "title"),
    ({"title": 5}, "title"),
    ({"description": "   "}, "description"),
    ({"category_id": "1"}, "category_id"),
    ({"category_id": 2**63}, "category_id"),
    ({"category_id": 999_999}, "category_id"),
    ({"district_id": -3}, "district_id"),
    ({"sdgs": [0, 18]}, "sdgs"),
    ({"sdgs": "6"}, "sdgs"),
    ({"latitude": 49.5}, "longitude"),
    ({"latitude": 91, "longitude": 105.9}, "latitude"),
    ({"latitude": True, "longitude": 105.9}, "latitude"),
    ({"anonymous": "yes"}, "anonymous"),
    ({"language": "fr"}, "language"),
    ({"author_id": 1}, "author_id"),
    ({"title": "Хогийн\x00 сав дүүрсэн"}, "title"),
])
def test_bad_input_names_the_field_and_saves_nothing(client, person, headers, values, field):
    response = client.post("/api/v1/issues", headers=headers, json=body(**values))
    assert response.status_code == 422, response.get_json()
    answer = response.get_json()
    assert answer["code"] == "invalid" and field in answer["fields"]
    assert answer["fields"][field]
    assert issue_count() == 0


def test_a_body_that_is_not_a_json_object_is_refused(client, person, headers):
    for data, status in (("{title", 400), ("[]", 422), (json.dumps(body()) + " " * 200_000,
                                                        413)):
        response = client.post("/api/v1/issues", headers=headers, data=data,
                               content_type="application/json")
        assert response.status_code == status
        assert response.get_json()["error"]
    assert issue_count() == 0


def test_issues_raised_on_the_web_and_the_api_share_one_limit(app_factory, auth):
    app = app_factory(RATELIMIT_ENABLED=True)
    with app.app_context():
        factories.seed_reference()
        person = factories.user("citizen@example.mn")
        client = app.test_client()
        headers = bearer(token(person, ["issues:write"]))
        assert client.post("/api/v1/issues", headers=headers, json=body(title="Ш")).status_code \
            == 422  # refused input does not count
        for n in range(3):
            assert client.post("/api/v1/issues", headers=headers,
                               json=body(title=f"Асуудлын гарчиг {n}")).status_code == 201
        web = type(auth)(client)
        assert web.login().status_code == 302
        for n in range(2):
            response = client.post("/issues/new", data={
                "title": f"Вэбээс ирсэн асуудал {n}", "description": NEW["description"],
                "category_id": str(factories.category().id)})
            assert response.status_code == 302
        refused = client.post("/api/v1/issues", headers=headers, json=body())
        assert refused.status_code == 429
        assert refused.get_json()["error"]
        assert issue_count() == 5


def test_support_and_follow_and_take_them_back(client, person, headers):
    issue = factories.issue(factories.user())
    url = f"/api/v1/issues/{issue.id}"
    first = client.post(f"{url}/support", headers=headers).get_json()
    assert first == {"issue_id": issue.id, "supported": True, "changed": True,
                     "support_count": 1}
    assert client.post(f"{url}/support", headers=headers).get_json()["changed"] is False
    assert client.post(f"{url}/follow", headers=headers).get_json() == {
        "issue_id": issue.id, "following": True, "changed": True}
    assert db.session.scalar(select(Follow.user_id)) == person.id
    withdrawn = client.delete(f"{url}/support", headers=headers).get_json()
    assert withdrawn == {"issue_id": issue.id, "supported": False, "changed": True,
                         "support_count": 0}
    assert client.delete(f"{url}/follow", headers=headers).get_json()["changed"] is True
    assert db.session.scalar(select(func.count(Support.id))) == 0
    assert db.session.scalar(select(func.count(Follow.id))) == 0


def test_a_hidden_issue_of_someone_else_is_not_found(client, person, headers):
    moderator = factories.user(roles=["moderator"])
    theirs = factories.issue(factories.user(), title="Нуусан асуудлын гарчиг")
    hide_content(moderator, theirs, "Зар сурталчилгаа")
    for method, action in (("POST", "support"), ("POST", "follow"), ("DELETE", "support"),
                           ("DELETE", "follow")):
        response = client.open(f"/api/v1/issues/{theirs.id}/{action}", method=method,
                               headers=headers)
        assert response.status_code == 404
        assert "Нуусан" not in response.get_data(as_text=True)
    mine = factories.issue(person, title="Өөрийн нуугдсан асуудал")
    hide_content(moderator, mine, "Хувийн мэдээлэл")
    refused = client.post(f"/api/v1/issues/{mine.id}/support", headers=headers)
    assert refused.status_code == 409 and refused.get_json()["code"] == "issue_hidden"
    assert db.session.scalar(select(func.count(Support.id))) == 0


def test_each_token_has_its_own_rate_limit(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, API_TOKEN_RATE_LIMIT="3 per minute")
    with app.app_context():
        factories.seed_reference()
        person = factories.user("citizen@example.mn")
        first, second = token(person, ["read"]), token(person, ["read"])
        client = app.test_client()
        for _ in range(3):
            assert client.get("/api/v1/me", headers=bearer(first)).status_code == 200
        refused = client.get("/api/v1/me", headers=bearer(first))
        assert refused.status_code == 429 and "Retry-After" in refused.headers
        assert client.get("/api/v1/me", headers=bearer(second)).status_code == 200
