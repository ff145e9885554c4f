"""An organiser manages attendees on a phone: opens the list, filters it, approves a pending
registration, and looks at the decline and message forms; every page passes axe-core."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from forum_app.events.services import save_question
from forum_app.extensions import db
from forum_app.registration.models import Registration
from forum_app.registration.services import RegistrationInput
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.registration.support import register_confirmed

pytestmark = pytest.mark.browser


def _setup(app):
    with app.app_context():
        organiser = factories.user("org@example.mn", roles=["organiser"], language="en")
        event = factories.event(organiser, registration_mode="approval", capacity=10,
                                title_en="Zero Waste Darkhan")
        meal = save_question(organiser, event, {
            "kind": "single", "label_en": "Meal", "label_mn": "Хоол",
            "options": [{"mn": "Цагаан хоол", "en": "Vegetarian"},
                        {"mn": "Ердийн", "en": "Regular"}]})
        for name, email in (("Батбаяр Номин", "nomin@example.mn"),
                            ("Ганбат Сүх", "sukh@example.mn"),
                            ("Оюунаа Дорж", "oyuna@example.mn")):
            register_confirmed(event, RegistrationInput(name=name, email=email, consent=True,
                                                        answers={meal.id: 0}))
        return event.slug


def _state(app, name):
    with app.app_context():
        return db.session.scalar(select(Registration.state).where(Registration.name == name))


def test_organiser_filters_and_approves_on_a_phone(page, live_server, mail_inbox):
    slug = _setup(live_server.app)
    page.goto("/account/login")
    page.get_by_label("И-мэйл").fill("org@example.mn")
    page.get_by_label("Нууц үг").fill(factories.PASSWORD)
    page.get_by_role("button", name="Нэвтрэх").click()
    page.wait_for_url(live_server.url + "/")

    page.goto(f"/manage/events/{slug}/attendees")
    expect(page.get_by_role("heading", name="Attendees: Zero Waste Darkhan")).to_be_visible()
    expect(page.get_by_text("Awaiting approval: 3")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Name, e-mail, phone or organisation").fill("номин")
    page.get_by_label("State").select_option(label="Awaiting approval")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"q=%D0%BD"))
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    assert "Батбаяр Номин" in rows.first.inner_text()
    assert "Vegetarian" in rows.first.inner_text()
    assert_accessible(page)

    page.get_by_role("button", name="Approve Батбаяр Номин").click()
    approved = page.get_by_text("Батбаяр Номин is confirmed and has been sent a ticket.")
    expect(approved).to_be_visible()
    assert "q=" in page.url  # back to the filtered list
    assert _state(live_server.app, "Батбаяр Номин") == "confirmed"
    assert len(mail_inbox.to("nomin@example.mn")) == 2  # "we received it", then the ticket
    assert_accessible(page)

    page.goto(f"/manage/events/{slug}/attendees")
    page.get_by_role("link", name="Decline Ганбат Сүх").click()
    expect(page.get_by_role("heading", name="Decline the registration")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Decline").click()
    expect(page.get_by_text("Please give a reason.").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Reason (the person will read it)").fill("The hall is full of farmers.")
    page.get_by_role("button", name="Decline").click()
    page.wait_for_url(re.compile(r"/attendees"))
    assert _state(live_server.app, "Ганбат Сүх") == "declined"

    page.get_by_role("link", name="Message all registrants").click()
    expect(page.get_by_role("heading", name="Message all registrants")).to_be_visible()
    assert_accessible(page)
