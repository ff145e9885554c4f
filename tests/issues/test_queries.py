"""The list: filters, sorting, pages; and pages that do not run more queries as data grows."""

from sqlalchemy import select

from forum_app.database import PAGE_SIZE
from forum_app.extensions import db
from forum_app.i18n import utcnow
from forum_app.issues import services
from forum_app.issues.models import IssueStatus
from forum_app.issues.photos import prepare_photo
from forum_app.issues.queries import IssueFilters, list_issues
from tests import factories
from tests.issues.support import jpeg_with_gps
from tests.support import counted_queries


def titles(page) -> list[str]:
    return [issue.title for issue in page.items]


def test_filters_and_sorting(app):
    old = factories.issue(title="Хогийн цэг", sdgs=[12], district_id=factories.district().id)
    new = factories.issue(title="Дулаан хүрэлцэхгүй", category_slug="heating-energy")
    supported = factories.issue(title="Усны даралт", category_slug="water-sanitation")
    for person in (factories.user(), factories.user()):
        services.support_issue(person, supported)
    old.updated_at = utcnow()
    new.status = IssueStatus.UNDER_REVIEW.value
    db.session.commit()
    assert titles(list_issues(IssueFilters())) == ["Усны даралт", "Дулаан хүрэлцэхгүй",
                                                    "Хогийн цэг"]
    assert titles(list_issues(IssueFilters(sort="supported")))[0] == "Усны даралт"
    assert titles(list_issues(IssueFilters(sort="updated")))[0] == "Хогийн цэг"
    assert titles(list_issues(IssueFilters(status="under_review"))) == ["Дулаан хүрэлцэхгүй"]
    assert titles(list_issues(IssueFilters(category_id=factories.category(
        "water-sanitation").id))) == ["Усны даралт"]
    assert titles(list_issues(IssueFilters(district_id=factories.district().id))) == [
        "Хогийн цэг"]
    assert titles(list_issues(IssueFilters(sdg=12))) == ["Хогийн цэг"]


def test_hidden_issues_are_never_listed_and_merged_ones_only_when_asked(app):
    hidden, merged, kept = factories.issue(), factories.issue(title="Давхардсан"), \
        factories.issue(title="Үндсэн")
    hidden.hidden_at = utcnow()
    merged.status, merged.merged_into_id = IssueStatus.MERGED.value, kept.id
    db.session.commit()
    assert titles(list_issues(IssueFilters())) == ["Үндсэн"]
    assert titles(list_issues(IssueFilters(status="merged"))) == ["Давхардсан"]


def test_twenty_issues_a_page(app):
    author = factories.user()
    for n in range(PAGE_SIZE + 3):
        factories.issue(author, title=f"Асуудал дугаар {n}")
    first, second = list_issues(IssueFilters()), list_issues(IssueFilters(page=2))
    assert (len(first.items), len(second.items), first.total, first.pages) == (20, 3, 23, 2)
    assert list_issues(IssueFilters(page=99)).items == []


def _add_issues(count: int, start: int, authors: list, photo) -> None:
    districts = [factories.district(slug) for slug in ("darkhan-new", "orkhon", "khongor")]
    for n in range(start, start + count):
        issue = factories.issue(
            authors[n % len(authors)], title=f"Хогийн асуудал {n}",
            district_id=districts[n % 3].id, sdgs=[11, 12][: 1 + n % 2],
            anonymous=n % 4 == 0, photos=[photo] if n % 3 == 0 else [],
            category_slug=("waste-environment", "heating-energy")[n % 2])
        if n % 5 == 0:
            services.add_comment(authors[0], issue, "Санал нэг байна.")


LIST_URLS = ["/issues/", "/issues/?sort=supported", "/issues/?q=хогийн+асуудал",
             "/issues/?sdg=11&sort=updated", "/issues/?status=submitted&district_id={orkhon}"]


def test_the_list_page_runs_as_many_queries_for_200_issues_as_for_10(app, client, auth):
    authors = [factories.user() for _ in range(6)]
    factories.user("citizen@example.mn")
    photo = prepare_photo(jpeg_with_gps(), "a.jpg")
    _add_issues(10, 0, authors, photo)
    auth.login()
    client.get("/issues/")  # warm up
    urls = [url.format(orkhon=factories.district("orkhon").id) for url in LIST_URLS]
    small = {}
    for url in urls:
        with counted_queries() as statements:
            assert client.get(url).status_code == 200
        small[url] = len(statements)

    _add_issues(190, 10, authors, photo)
    for url in urls:
        with counted_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200
        assert len(statements) == small[url], url + "\n----\n".join(q[:160] for q in statements)
    assert "Хогийн асуудал 199" in client.get("/issues/").get_data(as_text=True)
    assert small["/issues/"] <= 15


def test_the_issue_page_runs_as_many_queries_for_46_comments_as_for_2(app, client, auth):
    people = [factories.user() for _ in range(4)]
    factories.user("citizen@example.mn")
    issue = factories.issue(people[0], photos=[prepare_photo(jpeg_with_gps(), "a.jpg")])
    first = services.add_comment(people[1], issue, "Эхний сэтгэгдэл")
    services.add_comment(people[2], issue, "Эхний хариу", parent=first)
    auth.login()
    client.get(f"/issues/{issue.id}")
    with counted_queries() as few:
        client.get(f"/issues/{issue.id}")
    for n in range(30):
        comment = services.add_comment(people[n % 4], issue, f"Сэтгэгдэл {n}")
        if n % 2:
            services.add_comment(people[(n + 1) % 4], issue, f"Хариу {n}", parent=comment)
    services.add_comment(people[3], issue, "Хоёр дахь хариу", parent=first)
    with counted_queries() as many:
        text = client.get(f"/issues/{issue.id}").get_data(as_text=True)
    assert "Хариу 29" in text and "Сэтгэгдэл 29" in text
    assert len(many) == len(few), "\n----\n".join(q[:160] for q in many)


def test_the_issue_page_shows_each_photo_goal_and_answer_once_and_in_order(
        app, client, auth, upload_folder):
    """Photos, goals and answers come joined to the issue's row (one query): each shows once,
    in its order, and three of each cost no more queries than none."""
    from forum_app.issues.lifecycle import post_answer
    from forum_app.issues.models import IssuePhoto
    from tests.issues.lifecycle_support import official

    factories.user("citizen@example.mn")
    bare = factories.issue(title="Зураггүй асуудал")
    full = factories.issue(title="Зурагтай асуудал", sdgs=[6, 11, 3], photos=[
        prepare_photo(jpeg_with_gps(), f"{n}.jpg") for n in range(3)])
    answerer = official()
    for n in range(3):
        post_answer(answerer, full, f"Хариулт дугаар {n}", None)
    auth.login()
    client.get(f"/issues/{bare.id}")
    with counted_queries() as without:
        client.get(f"/issues/{bare.id}")
    with counted_queries() as with_all:
        text = client.get(f"/issues/{full.id}").get_data(as_text=True)
    assert len(with_all) == len(without), "\n----\n".join(q[:160] for q in with_all)
    answers = [text.index(f"Хариулт дугаар {n}") for n in range(3)]
    assert answers == sorted(answers) and all(
        text.count(f"Хариулт дугаар {n}") == 1 for n in range(3))
    photos = db.session.scalars(select(IssuePhoto.filename).where(IssuePhoto.issue_id == full.id)
                                .order_by(IssuePhoto.id)).all()
    shown = [text.index(f"/photos/{name}\"") for name in photos]
    assert len(photos) == 3 and shown == sorted(shown)
    assert all(text.count(f"/photos/{name}\"") == 2 for name in photos)  # link and image
    goals = [text.index(f"ТХЗ {n}:") for n in (3, 6, 11)]
    assert goals == sorted(goals) and all(text.count(f"ТХЗ {n}:") == 1 for n in (3, 6, 11))
