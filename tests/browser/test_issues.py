"""A citizen on a phone, in Mongolian, raises an issue with a photo from the phone's camera
(EXIF with a GPS position), is shown a similar existing issue while typing, and sees the
issue published with the photo, its location data gone."""

import io

import pytest
from PIL import ExifTags, Image
from playwright.sync_api import expect
from sqlalchemy import select

from forum_app.extensions import db
from forum_app.issues.models import Issue
from tests import factories
from tests.browser.conftest import assert_accessible, sign_in
from tests.issues.support import jpeg_with_gps
from tests.support import mn

pytestmark = pytest.mark.browser
EXISTING = "Хогийн цэг долоо хоног ачигдаагүй"
NEW_TITLE = "Хогийн сав 14-р хороололд дүүрсэн"


def _texts(app, *messages):
    with app.app_context():
        return [mn(message) for message in messages]


def _prepare(app):
    with app.app_context():
        factories.user("citizen@example.mn", name="Сараа Бат")
        factories.issue(title=EXISTING, description="Шинэ Дарханы 3-р байрны хогийн цэг.")


def test_a_citizen_raises_an_issue_with_a_photo_on_a_phone(page, live_server, tmp_path):
    app = live_server.app
    _prepare(app)
    photo = tmp_path / "IMG_20261127_101500.jpg"
    photo.write_bytes(jpeg_with_gps(size=(120, 90), orientation=6))
    (title, description, category, photos, publish, similar, raise_issue, photos_heading,
     support_button, you_support, your_comment, publish_comment, reply) = _texts(
        app, "Title", "Describe the problem", "Category", "Photos (optional, up to 3)",
        "Publish the issue", "Similar issues already raised", "Raise an issue", "Photos",
        "Support this issue", "You support this issue.", "Your comment",
        "Publish the comment", "Reply")

    sign_in(page, "citizen@example.mn")
    page.goto("/issues/")
    assert page.locator("html").get_attribute("lang") == "mn"
    expect(page.get_by_role("link", name=EXISTING)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=raise_issue).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(raise_issue)
    assert_accessible(page)
    # Sent empty: every missing field is marked, and the page stays accessible.
    page.get_by_role("button", name=publish).click()
    expect(page.get_by_label(title, exact=True)).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    # Typing the title shows the similar existing issue (debounced fetch).
    page.get_by_label(title, exact=True).press_sequentially("Хогийн сав", delay=30)
    suggestions = page.locator("#issue-suggestions")
    expect(suggestions.get_by_role("heading", name=similar)).to_be_visible()
    expect(suggestions.get_by_role("link", name=EXISTING)).to_be_visible()
    assert_accessible(page)

    page.get_by_label(title, exact=True).fill(NEW_TITLE)
    page.get_by_label(description).fill("Хогийн савнууд дүүрч, хог зам руу асгарч байна.")
    page.get_by_label(category, exact=True).select_option(label="Хог хаягдал, байгаль орчин")
    page.get_by_label(photos).set_input_files(str(photo))
    page.get_by_role("button", name=publish).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(NEW_TITLE)
    expect(page.get_by_role("heading", name=photos_heading)).to_be_visible()
    image = page.locator(".issue-photos img")
    expect(image).to_have_count(1)
    image.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('.issue-photos img')?.naturalWidth > 0")
    # Upright (the camera was held sideways) and without any EXIF / GPS.
    assert image.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [90, 120]
    served = page.request.get(image.get_attribute("src"))
    stored = Image.open(io.BytesIO(served.body()))
    assert len(stored.getexif()) == 0
    assert not stored.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert b"PhonePhone" not in served.body()
    expect(page.get_by_role("button", name=support_button)).to_be_visible()
    assert_accessible(page)

    # Support it, and comment on it; the page with a conversation is accessible too.
    page.get_by_role("button", name=support_button).click()
    expect(page.get_by_text(you_support)).to_be_visible()
    page.get_by_label(your_comment).fill("Өнөөдөр ч ачаагүй байна.")
    page.get_by_role("button", name=publish_comment).click()
    expect(page.locator(".comment__body")).to_have_text("Өнөөдөр ч ачаагүй байна.")
    page.get_by_text(reply, exact=True).click()
    assert_accessible(page)

    with app.app_context():
        issue = db.session.scalar(select(Issue).where(Issue.title == NEW_TITLE))
        assert issue.author.email == "citizen@example.mn" and len(issue.photos) == 1

    page.goto("/issues/")
    expect(page.get_by_role("link", name=NEW_TITLE)).to_be_visible()
    # Searching, with the filters open: still accessible.
    page.goto("/issues/?q=хогийн+сав&sort=supported")
    expect(page.get_by_role("link", name=NEW_TITLE)).to_be_visible()
    expect(page.get_by_role("link", name=EXISTING)).to_have_count(0)
    assert_accessible(page)


def test_without_javascript_the_button_checks_for_similar_issues(browser, live_server):
    from tests.browser.conftest import PHONE

    app = live_server.app
    _prepare(app)
    context = browser.new_context(viewport=PHONE, is_mobile=True, locale="mn-MN",
                                  base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, "citizen@example.mn")
        title, check, similar = _texts(app, "Title", "Check for similar issues",
                                       "Similar issues already raised")
        page.goto("/issues/new")
        page.get_by_label(title, exact=True).fill("хогийн цэг")
        page.get_by_role("button", name=check).click()
        expect(page.get_by_role("heading", name=similar)).to_be_visible()
        expect(page.get_by_role("link", name=EXISTING)).to_be_visible()
        expect(page.get_by_label(title, exact=True)).to_have_value("хогийн цэг")
        with app.app_context():
            assert db.session.query(Issue).count() == 1
    finally:
        context.close()
