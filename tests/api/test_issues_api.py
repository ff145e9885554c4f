"""Citizens' issues through the API: the list answers what the web page lists for the same
filters, pages by cursor without losing or repeating an issue, and one issue carries its
public record (timeline with bilingual reasons, answers, progress, comments, photos) and
nothing the public page keeps back: hidden issues are 404, anonymous authors stay anonymous,
no e-mail or phone appears."""

import re
from datetime import timedelta

import pytest

from forum_app.extensions import db
from forum_app.i18n import utcnow
from forum_app.issues import lifecycle, services
from forum_app.issues.models import IssueStatus
from forum_app.issues.photos import prepare_photo
from tests import factories
from tests.api.support import walk
from tests.issues.support import jpeg_with_gps

WEB_CARD = re.compile(r'class="issue-card__title"><a href="/issues/(\d+)"')


@pytest.fixture
def app(app_factory, tmp_path):
    app = app_factory(UPLOAD_FOLDER=str(tmp_path / "uploads"))
    with app.app_context():
        factories.seed_reference()
        yield app


@pytest.fixture
def official(app):
    return factories.user("official@example.mn", name="Сайхан Албан", roles=["official"],
                          department_slug="environment")


@pytest.fixture
def listed(app):
    """Issues of every kind the filters tell apart, supported and updated unevenly."""
    people = [factories.user(f"p{n}@example.mn", phone=f"+9769911000{n}") for n in range(3)]
    district = factories.district("orkhon")
    made = [factories.issue(people[n % 3], title=f"Хогийн асуудал {n}",
                            description=f"Усны шугам {n}" if n % 2 else "Хог ачигдахгүй",
                            district_id=district.id if n % 3 == 0 else None,
                            sdgs=[6] if n % 2 else [11, 12],
                            category_slug=("waste-environment", "water-sanitation")[n % 2])
            for n in range(9)]
    for n, issue in enumerate(made):
        for person in people[: n % 3]:
            services.support_issue(person, issue)
        issue.updated_at = utcnow() - timedelta(hours=n * 7 % 5)
    made[4].status = IssueStatus.UNDER_REVIEW.value
    made[5].hidden_at = utcnow()
    made[6].status, made[6].merged_into_id = IssueStatus.MERGED.value, made[0].id
    db.session.commit()
    return made


def api_ids(client, query: str, per_page: int = 2) -> list[int]:
    return walk(client, f"/api/v1/issues?{query}&per_page={per_page}", "issues")[0]


def web_ids(client, query: str) -> list[int]:
    page = client.get(f"/issues/?{query}")
    assert page.status_code == 200
    return [int(number) for number in WEB_CARD.findall(page.get_data(as_text=True))]


@pytest.mark.parametrize("query", [
    "", "sort=supported", "sort=updated", "status=under_review", "status=merged",
    "district_id={orkhon}", "sdg=6", "sdg=11&sort=supported", "category_id={water}",
    "q=хогийн", "q=усны+шугам", "q=асуудал&sort=newest", "q=асуудал&sort=updated"])
def test_the_list_answers_what_the_web_page_lists(client, listed, query):
    query = query.format(orkhon=factories.district("orkhon").id,
                         water=factories.category("water-sanitation").id)
    web = web_ids(client, query)
    assert web, "the filter must leave something to compare"
    assert api_ids(client, query) == web
    assert listed[5].id not in web  # hidden


def test_each_issue_shows_what_its_list_card_shows(client, listed):
    body = client.get("/api/v1/issues?lang=en&sdg=6&sort=supported").get_json()
    first = body["issues"][0]
    assert first["id"] == listed[7].id  # SDG 6, one support, the newest of the two with one
    assert first["title"] == "Хогийн асуудал 7" and first["language"] == "mn"
    assert first["category"]["slug"] == "water-sanitation"
    assert first["category"]["name"] == "Water and sanitation"
    assert first["status"] == "submitted" and first["status_label"] == "Submitted"
    assert first["sdgs"] == [6] and first["support_count"] == 1
    assert first["author"] == listed[7].author.name
    assert first["url"].endswith(f"/issues/{listed[7].id}")
    assert body["next"] is None


def test_walking_the_list_while_issues_arrive_shows_each_once(client, listed, official):
    before = {issue.id for issue in listed if issue.hidden_at is None
              and issue.status != IssueStatus.MERGED}
    for sort in ("newest", "updated", "supported"):
        seen, _links = walk(client, f"/api/v1/issues?sort={sort}&per_page=2", "issues",
                            between=lambda: factories.issue(title="Шинэ асуудал"))
        assert len(seen) == len(set(seen)), sort
        assert before <= set(seen), sort


@pytest.mark.parametrize("query", ["status=lost", "sort=oldest", "sdg=18", "district_id=abc",
                                   "category_id=999999", "q=" + "ё" * 201, "cursor=bm90IG91cnM",
                                   "per_page=500"])
def test_bad_filters_are_a_422_naming_them_in_both_languages(client, listed, query):
    field = query.partition("=")[0]
    english = client.get(f"/api/v1/issues?{query}&lang=en")
    mongolian = client.get(f"/api/v1/issues?{query}", headers={"Accept-Language": "mn"})
    for answer in (english, mongolian):
        assert answer.status_code == 422 and answer.get_json()["code"] == "invalid"
        assert list(answer.get_json()["fields"]) == [field]
    assert english.get_json()["error"] != mongolian.get_json()["error"]


def test_a_cursor_from_another_order_is_refused(client, listed):
    following = client.get("/api/v1/issues?per_page=2").get_json()["next"]
    cursor = re.search(r"cursor=([^&]+)", following).group(1)
    assert client.get(f"/api/v1/issues?sort=newest&cursor={cursor}").status_code == 200
    refused = client.get(f"/api/v1/issues?sort=supported&cursor={cursor}")
    assert refused.status_code == 422 and set(refused.get_json()["fields"]) == {"cursor"}


# --- one issue -------------------------------------------------------------------------------

def test_one_issue_carries_its_public_record(client, official, app):
    author = factories.user("author@example.mn", name="Нямаа Бат", phone="+97699112233")
    issue = factories.issue(author, title="Усны даралт сул",
                            photos=[prepare_photo(jpeg_with_gps(), "a.jpg")],
                            place_description="15-р хороолол", latitude=49.48,
                            longitude=105.96, location_public=False)
    lifecycle.move_issue(official, issue, "under_review", "Судалж байна",
                         reason_en="We are looking into it")
    lifecycle.assign_department(official, issue, factories.department("environment"),
                                "Хариуцах газар")
    lifecycle.post_answer(official, issue, "Засвар хийнэ", "We will repair it")
    lifecycle.move_issue(official, issue, "answered", "Хариулсан")
    commenter = factories.user(name="Сарнай")
    kept = services.add_comment(commenter, issue, "Манайд ч мөн адил.")
    hidden = services.add_comment(commenter, issue, "Бүдүүлэг үг")
    hidden.hidden_at = utcnow()
    services.add_comment(author, issue, "Баярлалаа", kept)
    db.session.commit()

    answer = client.get(f"/api/v1/issues/{issue.id}?lang=en")
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["title"] == "Усны даралт сул" and body["status"] == "answered"
    assert body["author"] == "Нямаа Бат" and body["channel"] == "web"
    assert body["place_description"] == "15-р хороолол" and body["location"] is None
    photo = body["photos"][0]
    assert photo["url"].startswith("http") and photo["width"] > 0
    assert client.get(photo["url"].partition("localhost")[2]).status_code == 200

    kinds = [entry["kind"] for entry in body["timeline"]]
    assert kinds == ["submitted", "status", "department", "answer", "status"]
    moved = body["timeline"][1]
    assert (moved["from_status"], moved["to_status"]) == ("submitted", "under_review")
    assert moved["by"] == "official" and moved["official"] == "Сайхан Албан"
    assert moved["reason"] == "We are looking into it"
    assert (moved["reason_mn"], moved["reason_en"]) == ("Судалж байна",
                                                        "We are looking into it")
    assert body["timeline"][2]["forwarded_to"]["slug"] == "environment"
    assert body["timeline"][3]["answer_id"] == body["answers"][0]["id"]
    assert body["answers"][0]["body"] == "We will repair it"
    assert body["answers"][0]["body_mn"] == "Засвар хийнэ"
    answered = body["timeline"][4]  # written in Mongolian only: given as it is
    assert (answered["reason"], answered["reason_mn"], answered["reason_en"]) == (
        "Хариулсан", "Хариулсан", None)
    assert client.get(f"/api/v1/issues/{issue.id}?lang=mn").get_json()["timeline"][1][
        "reason"] == "Судалж байна"

    stages = body["progress"]
    assert [s["stage"] for s in stages if s["done"]] == ["submitted", "under_review"]
    assert [s["stage"] for s in stages if s["current"]] == ["answered"]

    comments = body["comments"]
    assert [c["state"] for c in comments] == ["visible", "hidden"]
    assert comments[0]["body"] == "Манайд ч мөн адил." and comments[0]["author"] == "Сарнай"
    assert comments[1]["body"] is None  # hidden by moderation: its place, not its text
    assert comments[0]["replies"][0]["body"] == "Баярлалаа"

    text = answer.get_data(as_text=True)
    for private in ("author@example.mn", "+97699112233", "49.48", "official@example.mn",
                    "Бүдүүлэг"):
        assert private not in text


def test_an_anonymous_author_and_a_public_position(client, app):
    author = factories.user(name="Нууц Хүн")
    issue = factories.issue(author, anonymous=True, latitude=49.48, longitude=105.96,
                            location_public=True)
    services.add_comment(author, issue, "Би нэмж хэлье")
    body = client.get(f"/api/v1/issues/{issue.id}?lang=en").get_json()
    assert body["author"] == "Anonymous citizen"
    assert body["comments"][0]["author"] == "Anonymous citizen"
    assert body["location"] == {"latitude": 49.48, "longitude": 105.96}
    listed = client.get("/api/v1/issues").get_json()["issues"]
    assert "Нууц Хүн" not in str(listed) and "Нууц Хүн" not in str(body)


def test_hidden_and_unknown_issues_are_404_for_everyone(client, listed):
    for url in (f"/api/v1/issues/{listed[5].id}", "/api/v1/issues/424242",
                "/api/v1/issues/0", "/api/v1/issues/abc"):
        answer = client.get(url)
        assert answer.status_code == 404 and answer.is_json, url
        assert answer.get_json()["error"]
    assert client.get(f"/api/v1/issues/{listed[5].id}").get_json()["code"] == "not_found"
    merged = client.get(f"/api/v1/issues/{listed[6].id}").get_json()
    assert merged["status"] == "merged" and merged["merged_into_id"] == listed[0].id


def test_an_unchanged_issue_answers_304(client, listed, official):
    url = f"/api/v1/issues/{listed[0].id}"
    tag = client.get(url).headers["ETag"]
    assert client.get(url, headers={"If-None-Match": tag}).status_code == 304
    assert client.get("/api/v1/issues", headers={
        "If-None-Match": client.get("/api/v1/issues").headers["ETag"]}).status_code == 304
    lifecycle.move_issue(official, listed[0], "under_review", "Шалгаж байна")
    changed = client.get(url, headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.get_json()["status"] == "under_review"
