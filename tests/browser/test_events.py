"""An organiser creates and publishes an event on a phone; the public then finds it."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from forum_app.events.forms import utc_to_local
from forum_app.i18n import utcnow
from tests import factories
from tests.browser.conftest import assert_accessible, open_site_menu, sign_in, sign_out

pytestmark = pytest.mark.browser


def test_organiser_creates_and_publishes_an_event_the_public_finds_it(page, live_server):
    with live_server.app.app_context():
        factories.user("org@example.mn", roles=["organiser"], language="en")
    day = (utc_to_local(utcnow()) + timedelta(days=30)).strftime("%Y-%m-%d")
    sign_in(page, "org@example.mn")

    open_site_menu(page)
    page.get_by_role("link", name="Manage events").click()
    expect(page.get_by_role("heading", name="Manage events")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="New event").click()
    expect(page.get_by_role("heading", name="New event")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Kind of event").select_option(label="Darkhan City Forum session")
    page.get_by_label("Title in Mongolian").fill("Агаарын бохирдлыг бууруулах нь")
    page.get_by_label("Title in English").fill("Reducing air pollution")
    page.get_by_label("Summary in English").fill("Citizens and the city look for solutions.")
    page.get_by_label("Description in English").fill("## Why\n\nWinter smog **hurts**.")
    page.get_by_label("Venue in English").fill("Darkhan Culture Palace")
    page.get_by_label("Starts", exact=True).fill(f"{day}T10:00")
    page.get_by_label("Ends", exact=True).fill(f"{day}T09:00")  # a mistake first
    page.get_by_label("Capacity (seats)").fill("150")
    page.get_by_label("SDG 11: Sustainable cities and communities").check()
    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator("p.error", has_text="The event must end after it starts.")).to_be_visible()
    expect(page.locator(".error-summary")).to_contain_text("The event must end after it starts.")
    assert_accessible(page)  # the form with its error message

    page.get_by_label("Ends", exact=True).fill(f"{day}T16:00")
    page.get_by_role("button", name="Save as draft").click()
    page.wait_for_url(re.compile(r"/events/reducing-air-pollution/edit$"))
    expect(page.get_by_text("saved as a draft")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Agenda").click()
    page.get_by_label("Title in Mongolian").fill("Нээлтийн үг")
    page.get_by_label("Title in English").fill("Opening remarks")
    page.get_by_label("Starts", exact=True).fill(f"{day}T10:00")
    page.get_by_label("Ends", exact=True).fill(f"{day}T10:30")
    page.get_by_label("Room (optional)").fill("Main hall")
    page.get_by_role("button", name="Save the session").click()
    expect(page.get_by_text("The session has been added to the agenda.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Registration questions").click()
    page.get_by_label("Kind of answer").select_option(label="One choice from a list")
    page.get_by_label("Question in English").fill("Which district do you live in?")
    page.get_by_label("Options in English, one per line").fill("Darkhan\nSharyn Gol\nKhongor")
    page.get_by_role("button", name="Save the question").click()
    expect(page.get_by_role("heading", name="Which district do you live in?")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Organisers").click()
    expect(page.get_by_role("heading", name="Add an organiser")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Cancel the event…").click()
    expect(page.get_by_label("Reason (sent to every registrant)")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Keep the event").click()
    page.wait_for_url(re.compile(r"/edit$"))

    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("The event is published: everyone can see it and register.")
           ).to_be_visible()
    sign_out(page)

    # A visitor, in Mongolian by default.
    page.goto("/events/")
    card = page.get_by_role("link", name="Агаарын бохирдлыг бууруулах нь")
    expect(card).to_be_visible()
    assert_accessible(page)
    card.click()
    expect(page.get_by_role("heading", level=1,
                            name="Агаарын бохирдлыг бууруулах нь")).to_be_visible()
    expect(page.get_by_role("heading", name="Нээлтийн үг")).to_be_visible()
    register = page.locator('a[href="/events/reducing-air-pollution/register"]')
    expect(register).to_be_visible()
    expect(page.locator('a[href="/events/reducing-air-pollution.ics"]')).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="English").click()
    expect(page.get_by_text("150 seats left")).to_be_visible()
    expect(page.get_by_text("Darkhan Culture Palace")).to_be_visible()
    assert_accessible(page)
