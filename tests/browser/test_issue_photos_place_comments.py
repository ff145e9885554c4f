"""On a 360 px phone, in Mongolian: a citizen sees the chosen photo before sending it, fills in
the issue's place with "Use my location", finds the issue in the list with its thumbnail, and
edits then deletes their own comment. Without JavaScript the same form still works."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import PHONE, assert_accessible, layout_problems, sign_in, watch
from tests.issues.support import jpeg_with_gps
from tests.support import mn

pytestmark = pytest.mark.browser
TITLE = "Худгийн ус шар өнгөтэй байна"
DARKHAN = {"latitude": 49.4867, "longitude": 105.9228}


def _texts(app, *messages, **values):
    with app.app_context():
        return [mn(message, **values) for message in messages]


def _fill_issue(page, app, title=TITLE):
    title_label, description, category = _texts(app, "Title", "Describe the problem",
                                                "Category")
    page.get_by_label(title_label, exact=True).fill(title)
    page.get_by_label(description).fill("Долоо хоног шар өнгөтэй ус гарч байна.")
    page.get_by_label(category, exact=True).select_option(label="Хог хаягдал, байгаль орчин")


def test_photo_preview_location_thumbnail_and_own_comment_on_a_phone(
        page, live_server, tmp_path):
    app = live_server.app
    with app.app_context():
        factories.user("citizen@example.mn", name="Сараа Бат")
    photo = tmp_path / "IMG_20261201_0930.jpg"
    photo.write_bytes(jpeg_with_gps(size=(120, 90)))
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation(DARKHAN)
    (photos, use_location, found, share, publish, position, maps_app, your_comment,
     publish_comment, edit, save, edited, delete, delete_it, deleted) = _texts(
        app, "Photos (optional, up to 3)", "Use my location",
        "Your location was filled in. Please check it before publishing.",
        "Show this position on the public issue page", "Publish the issue",
        "Position on the map", "Open in my maps app", "Your comment", "Publish the comment",
        "Edit", "Save the comment", "edited", "Delete", "Delete the comment",
        "Comment deleted by its author.")
    [chosen] = _texts(app, "Chosen photo: %(name)s", name=photo.name)

    sign_in(page, "citizen@example.mn")
    page.goto("/issues/new")
    _fill_issue(page, app)
    page.get_by_label(photos).set_input_files(str(photo))
    preview = page.get_by_role("img", name=chosen)
    expect(preview).to_be_visible()
    page.wait_for_function("() => document.querySelector('#photo-preview img')?.naturalWidth > 0")
    page.get_by_role("button", name=use_location).click()
    expect(page.locator("#use-my-location-status")).to_have_text(found)
    expect(page.locator("#latitude")).to_have_value("49.48670")
    expect(page.locator("#longitude")).to_have_value("105.92280")
    assert layout_problems(page) == []
    assert_accessible(page)
    page.get_by_label(share).check()
    page.get_by_role("button", name=publish).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    facts = page.locator(".issue-facts")
    expect(facts.get_by_text(position, exact=True)).to_be_visible()
    expect(facts.get_by_text("49.48670, 105.92280")).to_be_visible()
    expect(facts.get_by_role("link", name=maps_app)).to_have_attribute(
        "href", "geo:49.48670,105.92280")
    assert layout_problems(page) == []
    assert_accessible(page)
    issue_url = page.url

    page.goto("/issues/")
    thumbnail = page.locator(".issue-card__thumb")
    expect(thumbnail).to_have_count(1)
    page.wait_for_function("() => document.querySelector('.issue-card__thumb')?.naturalWidth > 0")
    box = thumbnail.bounding_box()
    assert (round(box["width"]), round(box["height"])) == (80, 80)
    assert layout_problems(page) == []
    assert_accessible(page)

    page.goto(issue_url)
    page.get_by_label(your_comment).fill("Өнөөдөр ч бас шар байна.")
    page.get_by_role("button", name=publish_comment).click()
    comment = page.locator(".comment").first
    comment.get_by_role("link", name=edit, exact=True).click()
    assert_accessible(page)
    page.get_by_label(your_comment).fill("Өнөөдөр ч бас шаргал байна.")
    page.get_by_role("button", name=save).click()
    comment = page.locator(".comment").first
    expect(comment.locator(".comment__body")).to_have_text("Өнөөдөр ч бас шаргал байна.")
    expect(comment.get_by_role("link", name=edited, exact=True)).to_be_visible()
    comment.get_by_role("link", name=delete, exact=True).click()
    assert layout_problems(page) == []
    assert_accessible(page)
    page.get_by_role("button", name=delete_it).click()
    expect(page.locator(".comment").first.locator(".comment__hidden")).to_have_text(deleted)
    assert_accessible(page)


def test_without_javascript_the_place_is_typed_and_the_form_still_works(browser, live_server):
    app = live_server.app
    with app.app_context():
        factories.user("citizen@example.mn", name="Сараа Бат")
    context = browser.new_context(viewport=PHONE, is_mobile=True, locale="mn-MN",
                                  base_url=live_server.url, java_script_enabled=False)
    page = watch(context.new_page(), live_server)
    use_location, latitude, longitude, publish = _texts(
        app, "Use my location", "Latitude", "Longitude", "Publish the issue")
    sign_in(page, "citizen@example.mn")
    page.goto("/issues/new")
    expect(page.get_by_role("button", name=use_location)).to_be_hidden()
    _fill_issue(page, app, title="Гэрэлгүй гудамж")
    page.get_by_label(latitude, exact=True).fill("49,4867")
    page.get_by_label(longitude, exact=True).fill("105,9228")
    page.get_by_role("button", name=publish).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Гэрэлгүй гудамж")
    expect(page.get_by_text("49.48670, 105.92280")).to_be_visible()  # the author sees it
    context.close()
    assert not page.problems, page.problems
