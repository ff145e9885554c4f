"""A first-time visitor on a phone gets the event page from the page cache (answered before
Flask's request machinery, Brotli as Chromium asks), and its forms work: the language switch
takes the token the cache filled in, and the registration that follows goes through."""

import re
import urllib.request

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = pytest.mark.browser


def test_a_visitor_switches_language_and_registers_from_a_kept_event_page(page, live_server):
    app = live_server.app
    with app.app_context():
        event = factories.event(capacity=50, title_mn="Ногоон Дархан форум",
                                title_en="Green Darkhan Forum")
        slug = event.slug
    with urllib.request.urlopen(f"{live_server.url}/events/{slug}") as first:  # noqa: S310
        assert first.headers["X-Page-Cache"] == "miss"  # the page is kept from now on

    answer = page.goto(f"/events/{slug}")
    assert answer.headers["x-page-cache"] == "hit"
    assert answer.headers["content-encoding"] == "br"
    expect(page.get_by_role("heading", name="Ногоон Дархан форум")).to_be_visible()

    page.get_by_role("button", name="English").click()
    page.wait_for_url(f"**/events/{slug}")
    expect(page.get_by_role("heading", name="Green Darkhan Forum")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "en"

    page.get_by_role("link", name="Register", exact=True).click()
    page.get_by_label("Full name", exact=True).fill("Батын Сараа")
    page.get_by_label("E-mail", exact=True).fill("saraa@example.mn")
    page.get_by_label("I have read the privacy notice", exact=False).check()
    page.get_by_role("button", name="Register", exact=True).click()
    page.wait_for_url(re.compile(r"/r/[\w-]+$"))
    expect(page.get_by_text("Green Darkhan Forum").first).to_be_visible()
