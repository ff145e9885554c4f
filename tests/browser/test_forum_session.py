"""A forum session end to end in three browsers: the facilitator on a tablet runs an agenda
item from problem to actions, a participant on a 360 px phone posts a question and votes, and
the projector shows both without a reload. axe-core on every forum page on the way."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from forum_app.checkin.services import check_in
from tests import factories
from tests.browser.conftest import assert_accessible, sign_in, watch
from tests.checkin.support import event_on, nonce, person

pytestmark = pytest.mark.browser

TABLET = {"width": 820, "height": 1180}
PHONE_360 = {"width": 360, "height": 740}
SCREEN = {"width": 1920, "height": 1080}


def _session(app):
    with app.app_context():
        organiser = factories.user("facilitator@example.mn", roles=["organiser"],
                                   name="Оюунчимэг")
        event = event_on(organiser, whole_day=True, title_mn="Тэг хог хаягдалтай Дархан")
        guest = person(event, "Сарнай", stakeholder_kind="citizen")
        assert check_in(guest.ticket.code, event=event, device=None, staff=organiser,
                        nonce=nonce()).admitted
        official = factories.user("official@example.mn", roles=["official"],
                                  department_slug="environment", name="Ганбат")
        return event.slug, guest.ticket.code, official.department_id, \
            (event.starts_at + timedelta(days=60)).date().isoformat()


def _context(browser, live_server, viewport, **extra):
    context = browser.new_context(viewport=viewport, locale="mn-MN", base_url=live_server.url,
                                  **extra)
    context.set_default_timeout(10_000)
    return context, watch(context.new_page(), live_server)


def _submit(page, action_suffix: str):
    page.locator(f"form[action$='{action_suffix}'] button[type=submit]").first.click()
    page.wait_for_load_state()


def _move(page, stage: str):
    page.locator("form[action$='/stage'] select[name=to_stage]").select_option(stage)
    _submit(page, "/stage")
    expect(page.locator(".stage-track__step--now")).to_have_count(1)


def test_a_session_from_the_tablet_the_phone_and_the_projector(browser, live_server, page):
    slug, ticket, department_id, due = _session(live_server.app)
    tablet_context, tablet = _context(browser, live_server, TABLET, has_touch=True)
    sign_in(tablet, "facilitator@example.mn")

    tablet.goto(f"/manage/events/{slug}/forum")
    assert_accessible(tablet)
    tablet.locator("#title_mn").fill("Хогийн цэг дүүрсэн")
    tablet.locator("#problem_mn").fill("Дархан хотын хогийн цэг 2027 онд дүүрнэ.")
    _submit(tablet, f"/manage/events/{slug}/forum")
    tablet.wait_for_url(re.compile(r"/forum/items/\d+"))
    live_url = tablet.url.split("#")[0]
    assert_accessible(tablet)
    _move(tablet, "discussion")
    tablet.locator("#discussion textarea[name=body]").fill("Ангилах сав хүрэлцэхгүй байна")
    _submit(tablet, "/contributions")
    _move(tablet, "options")
    for title in ("Эх үүсвэр дээр ангилах", "Шинэ хогийн цэг"):
        tablet.locator("#options summary").click()
        tablet.locator("#options input[name=title_mn]").fill(title)
        _submit(tablet, "/options")
    _move(tablet, "voting")
    expect(tablet.locator(".results tbody tr")).to_have_count(2)

    screen_context, screen = _context(browser, live_server, SCREEN)
    screen.goto(f"/events/{slug}/forum/screen")
    expect(screen.locator("[data-part=title]")).to_have_text("Хогийн цэг дүүрсэн")
    assert_accessible(screen)

    # The participant on a 360 px phone: ticket code, a question, a vote.
    page.set_viewport_size(PHONE_360)
    page.goto(f"/events/{slug}/forum")
    assert_accessible(page)
    page.locator("input[name=ticket]").fill(ticket)
    _submit(page, "/forum/join")
    page.locator("textarea[name=body]").fill("Ангилсан хогийг хэн ачих вэ?")
    _submit(page, "/questions")
    expect(page.locator(".question--pending")).to_contain_text("хэн ачих")
    page.locator("input[name=option_id]").first.check()
    _submit(page, "/vote")
    expect(page.locator(".notice--ok, .flash, [role=status], .notice").first).to_be_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.goto("/")  # off the room page: it reloads itself when the room changes

    # The facilitator approves the question; the projector shows it and the vote by itself.
    tablet.goto(live_url)
    tablet.locator("#questions form[action$='/state']:has(input[value=visible]) button").click()
    tablet.wait_for_load_state()
    expect(screen.locator("[data-part=questions]")).to_contain_text("хэн ачих", timeout=5000)
    expect(screen.locator("[data-part=options] li").first.locator("strong")) \
        .to_have_text("1", timeout=5000)
    screen.set_viewport_size({"width": 1280, "height": 720})
    assert_accessible(screen)

    # Decision and action, then the public pages.
    tablet.goto(live_url)
    tablet.locator("#decision textarea[name=text_mn]").fill("Хогийг эх үүсвэр дээр нь ангилна")
    tablet.locator("#decision input[name=method][value=vote]").check()
    tablet.locator("#decision input[name=option_ids]").first.check()
    _submit(tablet, "/decision")
    tablet.locator("#actions input[name=title_mn]").fill("Хороо бүрт ангилах сав")
    tablet.locator("#actions select[name=department_id]").select_option(str(department_id))
    tablet.locator("#actions input[name=due_on]").fill(due)
    _submit(tablet, "/actions")
    expect(tablet.locator(".action-list")).to_contain_text("Хороо бүрт ангилах сав")
    assert_accessible(tablet)
    tablet.goto(f"/manage/events/{slug}/forum/room-qr")
    assert_accessible(tablet)

    item_id = live_url.rsplit("/", 1)[1]
    for url in (f"/forum/items/{item_id}", "/forum/outcomes", f"/events/{slug}/forum"):
        page.goto(url)
        expect(page.locator("main")).to_contain_text("Хог")
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, url
    sign_in(page, "official@example.mn")
    page.goto("/forum/my-actions")
    expect(page.locator("main")).to_contain_text("Хороо бүрт ангилах сав")
    assert_accessible(page)
    for context, one in ((tablet_context, tablet), (screen_context, screen)):
        context.close()
        assert not one.problems, one.problems
