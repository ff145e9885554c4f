"""The public issue pages, as a citizen, a guest and the staff use them."""

import io

import pytest
from PIL import ExifTags, Image
from sqlalchemy import select

from forum_app.extensions import db
from forum_app.i18n import utcnow
from forum_app.issues.models import Category, Comment, Issue, IssueStatus, Support
from forum_app.issues.photos import MAX_PHOTO_BYTES, MAX_PHOTOS
from tests import factories
from tests.issues.support import PHP_AS_JPEG, big_png, jpeg_with_gps, stored_files, upload
from tests.issues.support import issue_form as form
from tests.support import mn, text_of


def only_issue() -> Issue | None:
    return db.session.scalar(select(Issue))


def test_a_citizen_submits_an_issue_with_a_photo_and_the_gps_is_gone(
        client, auth, citizen, upload_folder):
    auth.login()
    original = jpeg_with_gps(orientation=6)
    response = client.post("/issues/new", data=form(
        sdgs=["11", "12"], anonymous="y", photos=[upload(original, "IMG_20240301.jpg")]))
    issue = only_issue()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/issues/{issue.id}"
    page = text_of(client.get(f"/issues/{issue.id}"))
    assert "Хогийн цэг дүүрсэн байна" in page
    [photo] = issue.photos
    assert f"/issues/{issue.id}/photos/{photo.filename}" in page
    served = client.get(f"/issues/{issue.id}/photos/{photo.filename}")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert served.headers["Cache-Control"] == "private, max-age=3600"
    image = Image.open(io.BytesIO(served.data))
    assert image.size == (48, 64)  # turned upright
    assert len(image.getexif()) == 0 and b"PhonePhone" not in served.data
    assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert [p.name for p in stored_files(upload_folder)] == sorted(
        [photo.filename, photo.filename.rpartition(".")[0] + ".thumb.jpg"])
    assert issue.anonymous and issue.sdgs == [11, 12] and issue.language == "mn"


@pytest.mark.parametrize(("data", "name", "message"), [
    (PHP_AS_JPEG, "photo.jpg",
     "The file %(name)s is not a JPEG, PNG or WebP photo. Nothing was saved."),
    (b"", "empty.jpg", "The file %(name)s is empty. Nothing was saved."),
])
def test_a_bad_file_is_refused_with_a_clear_message_and_nothing_is_saved(
        client, auth, citizen, upload_folder, data, name, message):
    auth.login()
    response = client.post("/issues/new", data=form(photos=[
        upload(jpeg_with_gps(), "good.jpg"), upload(data, name)]))
    assert response.status_code == 422
    assert mn(message, name=name) in text_of(response)
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert only_issue() is None and stored_files(upload_folder) == []
    # What was typed is kept.
    assert "Хогийн цэг дүүрсэн байна" in text_of(response)


def test_a_photo_over_5_mb_gets_413_with_a_message_in_the_readers_language(
        client, auth, citizen, upload_folder):
    auth.login()
    response = client.post("/issues/new", data=form(photos=[upload(big_png(), "big.png",
                                                                   "image/png")]))
    assert response.status_code == 413
    assert mn("The photo %(name)s is larger than 5 MB. Please choose a smaller photo.",
              name="big.png") in text_of(response)
    assert only_issue() is None and stored_files(upload_folder) == []


def test_english_readers_get_the_413_message_in_english(client, auth, app):
    factories.user("english@example.mn", language="en")
    auth.login("english@example.mn")
    response = client.post("/issues/new", data=form(photos=[upload(big_png(), "big.png")]))
    assert response.status_code == 413
    assert "The photo big.png is larger than 5 MB." in text_of(response)


def test_a_request_bigger_than_three_photos_is_refused_unread(client, auth, citizen):
    auth.login()
    chunk = b"x" * (MAX_PHOTO_BYTES + 300_000)
    response = client.post("/issues/new", data=form(photos=[
        upload(chunk, f"{n}.jpg") for n in range(3)]))
    assert response.status_code == 413
    assert mn("Each photo may be at most 5 MB, and an issue may have at most %(n)d photos.",
              n=3) in text_of(response)
    assert only_issue() is None
    # Beyond the app-wide limit (16 MB) the generic page says the same, never a 500.
    response = client.post("/issues/new", data=form(photos=[upload(b"y" * (17 << 20), "h.jpg")]))
    assert response.status_code == 413


def test_four_photos_are_too_many(client, auth, citizen):
    auth.login()
    response = client.post("/issues/new", data=form(photos=[
        upload(jpeg_with_gps(), f"{n}.jpg") for n in range(4)]))
    assert response.status_code == 422
    assert mn("You can add at most %(n)d photos.", n=3) in text_of(response)


def test_missing_fields_are_marked(client, auth, citizen):
    auth.login()
    response = client.post("/issues/new", data=form(title="", category_id=""))
    assert response.status_code == 422
    page = text_of(response)
    assert mn("Please give the issue a title.") in page
    assert mn("Please choose a category.") in page
    assert only_issue() is None


def test_submitting_needs_an_account(client):
    assert client.get("/issues/new").headers["Location"].startswith("/account/login")
    assert client.post("/issues/new", data={}).status_code == 302
    assert only_issue() is None


def test_check_for_similar_issues_works_without_javascript(client, auth, citizen):
    factories.issue(title="Хогийн цэг дүүрч, ачилт хийгдэхгүй байна")
    auth.login()
    response = client.post("/issues/new", data=form(title="хогийн цэ", action="check"))
    assert response.status_code == 200
    page = text_of(response)
    assert mn("Similar issues already raised") in page
    assert "Хогийн цэг дүүрч, ачилт хийгдэхгүй байна" in page
    assert 'value="хогийн цэ"' in page  # the form is kept, nothing is submitted
    assert db.session.query(Issue).count() == 1
    response = client.post("/issues/new", data=form(title="Цахилгаан тасарсан", action="check"))
    assert mn("No similar issues found. Please go on.") in text_of(response)


def test_suggestions_as_an_html_fragment_and_as_json(client):
    issue = factories.issue(title="Усны даралт орой сул байна")
    fragment = client.get("/issues/suggest?q=усны дар")
    assert fragment.status_code == 200 and "<html" not in fragment.get_data(as_text=True)
    assert f'href="/issues/{issue.id}"' in fragment.get_data(as_text=True)
    data = client.get("/issues/suggest?q=УСНЫ", headers={"Accept": "application/json"}).json
    assert data["results"][0]["title"] == "Усны даралт орой сул байна"
    assert data["results"][0]["url"] == f"/issues/{issue.id}"
    assert client.get("/issues/suggest?q=\"*(", headers={
        "Accept": "application/json"}).json["results"] == []


def test_the_list_page_with_search_and_filters(client):
    factories.issue(title="Хогийн цэг дүүрсэн", sdgs=[12])
    factories.issue(title="Дулаан хүрэлцэхгүй", category_slug="heating-energy",
                    description="Өрөөний хэм 14 градус.")
    page = text_of(client.get("/issues/"))
    assert "Хогийн цэг дүүрсэн" in page and "Дулаан хүрэлцэхгүй" in page
    page = text_of(client.get("/issues/?q=хог"))
    assert "Хогийн цэг дүүрсэн" in page and "Дулаан хүрэлцэхгүй" not in page
    heating = factories.category("heating-energy").id
    page = text_of(client.get(f"/issues/?category_id={heating}&sort=supported"))
    assert "Хогийн цэг дүүрсэн" not in page and "Дулаан хүрэлцэхгүй" in page
    assert "Дулаан хүрэлцэхгүй" not in text_of(client.get("/issues/?sdg=12"))


def test_bad_filters_are_explained_not_an_error(client):
    factories.issue(title="Хогийн цэг")
    response = client.get("/issues/?status=nonsense&category_id=abc&sort=drop&page=x")
    assert response.status_code == 422
    assert "Хогийн цэг" in text_of(response)


def test_anonymous_in_public_but_named_for_moderators_and_officials(client, auth, citizen):
    issue = factories.issue(citizen, title="Сургуулийн дээрэлхэлт", anonymous=True)
    anonymous = mn("Anonymous citizen")
    for url in ("/issues/", f"/issues/{issue.id}"):
        page = text_of(client.get(url))
        assert anonymous in page and "Болд Дорж" not in page
    factories.user("moderator@example.mn", roles=["moderator"])
    factories.user("official@example.mn", roles=["official"], department_slug="education")
    for email in ("moderator@example.mn", "official@example.mn"):
        auth.login(email)
        assert "Болд Дорж" in text_of(client.get(f"/issues/{issue.id}"))
        auth.logout()


def test_a_hidden_issue_and_its_photos_are_only_for_its_author_and_staff(
        client, auth, citizen):
    issue = factories.issue(citizen, title="Нуугдсан асуудал",
                            photos=[_prepared_photo()])
    filename = issue.photos[0].filename
    issue.hidden_at, issue.hidden_reason = utcnow(), "flagged"
    db.session.commit()
    urls = [f"/issues/{issue.id}", f"/issues/{issue.id}/photos/{filename}"]
    assert [client.get(url).status_code for url in urls] == [404, 404]
    assert "Нуугдсан асуудал" not in text_of(client.get("/issues/"))
    factories.user("someone@example.mn")
    auth.login("someone@example.mn")
    assert [client.get(url).status_code for url in urls] == [404, 404]
    for email, roles in (("citizen@example.mn", ()), ("mod@example.mn", ["moderator"]),
                         ("off@example.mn", ["official"])):
        if roles:
            factories.user(email, roles=roles)
        auth.logout()
        auth.login(email)
        assert [client.get(url).status_code for url in urls] == [200, 200]
        assert client.get(urls[1]).headers["Cache-Control"] == "private, no-store"


def _prepared_photo():
    from forum_app.issues.photos import prepare_photo

    return prepare_photo(jpeg_with_gps(), "a.jpg")


def test_photo_urls_cannot_reach_other_files(client):
    issue = factories.issue(photos=[_prepared_photo()])
    other = factories.issue(photos=[_prepared_photo()])
    assert client.get(f"/issues/{issue.id}/photos/{other.photos[0].filename}").status_code == 404
    assert client.get(f"/issues/{issue.id}/photos/..%2F..%2Fconfig.py").status_code == 404


def test_support_once_and_withdraw(client, auth, citizen):
    issue = factories.issue(title="Усны даралт")
    auth.login()
    assert client.get(f"/issues/{issue.id}/support").status_code == 405  # no change on GET
    for _ in range(2):
        response = client.post(f"/issues/{issue.id}/support")
        assert response.status_code == 302
    assert db.session.get(Issue, issue.id).support_count == 1
    page = text_of(client.get(f"/issues/{issue.id}"))
    assert mn("You support this issue.") in page
    client.post(f"/issues/{issue.id}/support/withdraw")
    assert db.session.get(Issue, issue.id).support_count == 0
    assert db.session.scalar(select(Support.id)) is None


def test_guests_are_asked_to_sign_in_to_support(client):
    issue = factories.issue()
    page = text_of(client.get(f"/issues/{issue.id}"))
    assert mn("Sign in to support or follow this issue") in page
    response = client.post(f"/issues/{issue.id}/support")
    assert response.headers["Location"] == f"/account/login?next=/issues/{issue.id}"
    assert db.session.get(Issue, issue.id).support_count == 0


def test_follow_and_stop_following(client, auth, citizen):
    issue = factories.issue()
    auth.login()
    client.post(f"/issues/{issue.id}/follow")
    assert mn("Stop following") in text_of(client.get(f"/issues/{issue.id}"))
    client.post(f"/issues/{issue.id}/unfollow")
    assert mn("Follow this issue") in text_of(client.get(f"/issues/{issue.id}"))


def test_comments_and_replies_one_level_deep(client, auth, citizen):
    issue = factories.issue()
    auth.login()
    response = client.post(f"/issues/{issue.id}/comments", data={"body": "Манайд ч адилхан."})
    top = db.session.scalar(select(Comment))
    assert response.headers["Location"] == f"/issues/{issue.id}#comment-{top.id}"
    client.post(f"/issues/{issue.id}/comments", data={"body": "Хэзээнээс?",
                                                      "parent_id": str(top.id)})
    reply = db.session.scalar(select(Comment).where(Comment.parent_id == top.id))
    client.post(f"/issues/{issue.id}/comments", data={"body": "Өчигдрөөс.",
                                                      "parent_id": str(reply.id)})
    assert db.session.query(Comment).filter(Comment.parent_id == top.id).count() == 2
    page = text_of(client.get(f"/issues/{issue.id}"))
    assert page.index("Манайд ч адилхан.") < page.index("Хэзээнээс?") < page.index("Өчигдрөөс.")


def test_an_empty_comment_is_shown_again_with_a_message(client, auth, citizen):
    issue = factories.issue()
    auth.login()
    response = client.post(f"/issues/{issue.id}/comments", data={"body": "  "})
    assert response.status_code == 422
    assert mn("Please write a comment.") in text_of(response)
    top = factories.user()
    from forum_app.issues.services import add_comment

    parent = add_comment(top, issue, "Эхний")
    response = client.post(f"/issues/{issue.id}/comments", data={"body": "",
                                                                 "parent_id": str(parent.id)})
    assert response.status_code == 422
    assert f'id="reply-{parent.id}-error"' in response.get_data(as_text=True)
    assert client.post(f"/issues/{issue.id}/comments", data={
        "body": "x", "parent_id": "999999"}).status_code == 404


def test_a_hidden_comment_shows_a_placeholder_to_the_public(client, auth, citizen):
    issue = factories.issue()
    from forum_app.issues.services import add_comment

    comment = add_comment(factories.user(), issue, "Хувийн утасны дугаар 99119911")
    comment.hidden_at = utcnow()
    db.session.commit()
    page = text_of(client.get(f"/issues/{issue.id}"))
    assert mn("This comment was hidden by moderation.") in page
    assert "99119911" not in page
    factories.user("mod@example.mn", roles=["moderator"])
    auth.login("mod@example.mn")
    assert "99119911" in text_of(client.get(f"/issues/{issue.id}"))


def test_a_merged_issue_points_to_the_one_it_joined(client, auth, citizen):
    kept = factories.issue(title="Үндсэн асуудал")
    merged = factories.issue(title="Давхардсан асуудал")
    merged.status, merged.merged_into_id = IssueStatus.MERGED.value, kept.id
    db.session.commit()
    auth.login()
    page = text_of(client.get(f"/issues/{merged.id}"))
    assert f'href="/issues/{kept.id}"' in page
    assert mn("Support this issue") not in page
    client.post(f"/issues/{merged.id}/support")
    assert db.session.get(Issue, merged.id).support_count == 0


def test_submitting_and_commenting_are_rate_limited(app_factory, upload_folder):
    app = app_factory(RATELIMIT_ENABLED=True, UPLOAD_FOLDER=str(upload_folder))
    client = app.test_client()
    with app.app_context():
        factories.seed_reference()
        factories.user("citizen@example.mn")
        client.post("/account/login", data={"email": "citizen@example.mn",
                                            "password": factories.PASSWORD})
        # Checking for similar issues and forms with errors do not count.
        for _ in range(3):
            client.post("/issues/new", data=form(action="check"))
            client.post("/issues/new", data=form(title=""))
        codes = [client.post("/issues/new", data=form(title=f"Асуудал дугаар {n}")).status_code
                 for n in range(6)]
        assert codes == [302] * 5 + [429]
        issue_id = db.session.scalar(select(Issue.id))
        codes = [client.post(f"/issues/{issue_id}/comments", data={"body": f"Сэтгэгдэл {n}"})
                 .status_code for n in range(11)]
        assert codes == [302] * 10 + [429]


def test_admins_manage_the_categories(client, auth):
    factories.user("admin@example.mn", roles=["admin"])
    auth.login("admin@example.mn")
    page = text_of(client.get("/admin/categories"))
    assert "Хог хаягдал, байгаль орчин" in page
    response = client.post("/admin/categories/new", data={
        "slug": "Culture", "name_mn": "Соёл", "name_en": "Culture", "position": "20",
        "active": "y"})
    assert response.status_code == 302
    culture = db.session.scalar(select(Category).where(Category.slug == "culture"))
    assert (culture.position, culture.active) == (20, True)
    client.post(f"/admin/categories/{culture.id}", data={
        "slug": "culture", "name_mn": "Соёл урлаг", "name_en": "Culture", "position": "20"})
    culture = db.session.get(Category, culture.id)
    assert (culture.name_mn, culture.active) == ("Соёл урлаг", False)
    auth.login("admin@example.mn")
    assert "Соёл урлаг" not in text_of(client.get("/issues/new"))


def test_an_upload_past_every_limit_still_gets_the_issue_forms_own_message(client, auth, app):
    """Over the app's 16 MB ceiling the body is not read at all; the page still says why."""
    factories.user("citizen@example.mn")
    auth.login()
    body = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/issues/new", data=body,
                           content_type="multipart/form-data; boundary=zzz")
    assert response.status_code == 413
    assert mn("Each photo may be at most 5 MB, and an issue may have at most %(n)d photos.",
              n=MAX_PHOTOS) in response.get_data(as_text=True)
