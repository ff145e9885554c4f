"""A guest applies for a booth at phone size, an organiser approves it, the directory shows it."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import assert_accessible, sign_out
from tests.exhibitions.helpers import make_exhibition

pytestmark = pytest.mark.browser


def test_guest_applies_organiser_approves_directory_shows_it(page, live_server, mail_inbox):
    with live_server.app.app_context():
        organiser = factories.user("organiser@example.mn", roles=["organiser"], language="en")
        make_exhibition(organiser=organiser)

    page.goto("/exhibitions/made-in-darkhan/")
    page.get_by_role("button", name="English").click()  # the tests read the English msgids
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Exhibitors", exact=True)).to_be_visible()
    expect(page.get_by_text("No exhibitors have been approved yet.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Apply for a booth").click()
    page.wait_for_url(re.compile("/apply$"))
    assert_accessible(page)
    page.get_by_role("button", name="Send the application").click()
    sector_error = page.locator("p.error", has_text="Please choose a sector from the list.")
    expect(sector_error).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Company or organisation").fill('"Эсгий урлал" ХХК')
    page.get_by_label("Sector").select_option(label="Crafts and design")
    page.get_by_label("Products or services, in Mongolian").fill("Эсгий шаахай, тоглоом")
    page.get_by_label("Products or services, in English").fill("Felt slippers and toys")
    page.get_by_label("Contact person").fill("Сарантуяа Очир")
    page.get_by_label("Contact e-mail").fill("esgii@example.mn")
    page.get_by_label("Language of our e-mails to you").select_option("en")
    page.get_by_label("What your booth needs (optional)").fill("One table")
    page.get_by_role("button", name="Send the application").click()
    page.wait_for_url(re.compile("/exhibitions/made-in-darkhan/$"))
    expect(page.get_by_text("We have received the application")).to_be_visible()
    assert page.locator(".card").count() == 0  # pending: not in the directory yet
    [received] = mail_inbox.to("esgii@example.mn")
    assert received["Subject"] == "We have received your booth application"

    page.goto("/account/login")
    page.get_by_label("E-mail").fill("organiser@example.mn")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/")
    page.goto("/exhibitions/made-in-darkhan/applications")
    assert_accessible(page)
    page.get_by_role("link", name='"Эсгий урлал" ХХК').click()
    page.wait_for_url(re.compile(r"/applications/\d+$"))
    assert_accessible(page)
    page.get_by_role("button", name="Decline the application").click()
    reason_error = page.locator(
        "p.error", has_text="Please give a reason; the applicant will read it.")
    expect(reason_error).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Booth number (optional)").fill("B-12")
    page.get_by_role("button", name="Approve the application").click()
    page.wait_for_url(re.compile("/applications$"))
    expect(page.get_by_text("is approved and now appears in the directory")).to_be_visible()

    sign_out(page)
    page.goto("/exhibitions/made-in-darkhan/")
    card = page.locator(".card", has_text='"Эсгий урлал" ХХК')
    expect(card).to_be_visible()
    assert "Felt slippers and toys" in card.inner_text() and "B-12" in card.inner_text()
    page.get_by_label("Sector").select_option(label="Food and agriculture")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("No exhibitor matches your search.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Search companies and products").fill("slippers")
    page.get_by_label("Sector").select_option(label="All sectors")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".card", has_text="Эсгий урлал")).to_be_visible()
    assert [m["Subject"] for m in mail_inbox.to("esgii@example.mn")] == [
        "We have received your booth application", "Your booth application is approved"]
