"""Sharing an event or an issue from a phone: the phone's share sheet where the browser has
one, else the link copied with a visible confirmation, and the link to copy by hand without
JavaScript. At 360 px, axe-clean."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import PHONE, assert_accessible, layout_problems, watch
from tests.issues import lifecycle_support as make
from tests.support import mn

pytestmark = pytest.mark.browser

NO_SHARE_SHEET = "Object.defineProperty(Navigator.prototype, 'share', {value: undefined});"
SHARE_SHEET = """Object.defineProperty(Navigator.prototype, 'share', {value: function (data) {
    window.sharedWith = data; return Promise.resolve(); }});"""


def test_without_a_share_sheet_the_button_copies_the_event_link(page, live_server):
    with live_server.app.app_context():
        event = factories.event(title_mn="Дархан хотын форум: агаарын бохирдол")
        link = f"{live_server.url}/events/{event.slug}"
        copy, copied = mn("Copy link"), mn("Link copied. Paste it in a message or a post.")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"],
                                   origin=live_server.url)
    page.add_init_script(NO_SHARE_SHEET)
    page.goto(f"/events/{event.slug}?utm_source=test")

    button = page.get_by_role("button", name=copy)
    expect(button).to_be_visible()
    button.click()
    expect(page.get_by_role("status").filter(has_text=copied)).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == link
    assert layout_problems(page) == []
    assert_accessible(page)


def test_with_a_share_sheet_the_issue_link_goes_to_it(page, live_server):
    with live_server.app.app_context():
        issue_id = make.issue(title="Гудамжны гэрэлтүүлэг асахгүй байна").id
        share = mn("Share")
    link = f"{live_server.url}/issues/{issue_id}"
    page.add_init_script(SHARE_SHEET)
    page.goto(f"/issues/{issue_id}")

    page.get_by_role("button", name=share, exact=True).click()
    page.wait_for_function("() => window.sharedWith !== undefined")
    assert page.evaluate("window.sharedWith") == {
        "title": "Гудамжны гэрэлтүүлэг асахгүй байна", "url": link}
    assert layout_problems(page) == []
    assert_accessible(page)


def test_without_javascript_the_link_is_there_to_copy(browser, live_server):
    with live_server.app.app_context():
        slug = factories.event().slug
        label = mn("Link to this page")
    context = browser.new_context(viewport=PHONE, is_mobile=True, locale="mn-MN",
                                  java_script_enabled=False, base_url=live_server.url)
    page = watch(context.new_page(), live_server)
    page.goto(f"/events/{slug}")
    field = page.get_by_label(label)
    expect(field).to_have_value(f"{live_server.url}/events/{slug}")
    expect(field).not_to_be_editable()
    expect(page.locator(".share__button")).to_be_hidden()
    assert layout_problems(page) == []
    context.close()
    assert not page.problems, page.problems
