"""The README's "Try it in five minutes", one test per bullet, on the demo data (`flask
seed-demo`) served by one live server per module, in Chromium at a phone's 360x740: each step
done as the README tells the role to do it, through the real pages, asserting what that
person sees. Every test stands on its own (the tests may run on different workers)."""

import csv
import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from forum_app.accounts.demo import DEMO_PASSWORD
from forum_app.extensions import db
from forum_app.i18n import local_date, utcnow
from forum_app.notifications.services import deliver_pending
from tests.browser.conftest import (
    LiveServer,
    assert_accessible,
    open_account_menu,
    open_site_menu,
    phone_page,
    sign_in,
)
from tests.conftest import _empty_tables, make_test_app
from tests.registration.support import CONFIRM_LINK

pytestmark = pytest.mark.browser

ORGANISER, CITIZEN = "organiser@demo.forum.mn", "citizen@demo.forum.mn"
OFFICIAL, MODERATOR, ADMIN = ("official@demo.forum.mn", "moderator@demo.forum.mn",
                              "admin@demo.forum.mn")
TODAY = "dcf-clean-water-today"


@pytest.fixture(scope="module")
def demo_server(_schema, smtp_server):
    """The demo as `flask seed-demo` makes it, served once for the whole tour."""
    app = make_test_app(_schema, smtp_server.port, WTF_CSRF_ENABLED=True)
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["seed-demo"])
        assert result.exit_code == 0, result.output
        # The demo's own mails go out now (as `flask send-mail` would), not one request at a
        # time ahead of the mails the tour waits for.
        while deliver_pending(limit=500)["sent"]:
            pass
        db.session.remove()
    server = LiveServer(app).start()
    yield server
    server.stop()
    _empty_tables(app)


@pytest.fixture
def page(browser, demo_server):
    page = phone_page(browser, demo_server, accept_downloads=True)
    yield page
    page.context.close()
    assert not page.problems, page.problems


def in_english(page) -> None:
    """The tour reads the English interface (the demo accounts are Mongolian)."""
    if page.locator("html").get_attribute("lang") != "en":
        page.get_by_role("button", name="English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")


def as_demo(page, email: str) -> None:
    sign_in(page, email, DEMO_PASSWORD)
    in_english(page)


def download(page, link) -> bytes:
    with page.expect_download() as info:
        link.click()
    return open(info.value.path(), "rb").read()  # noqa: PTH123, SIM115 - Playwright's file


def open_scanner(page) -> None:
    """Manage events → today's forum → Check-in → Open the scanner, as the README says."""
    open_site_menu(page)
    page.get_by_role("link", name="Manage events").click()
    page.get_by_role("link", name="DCF: Clean water for the ger districts").first.click()
    page.get_by_role("link", name="Check-in", exact=True).click()
    expect(page.get_by_role("link", name="Badges: A4 sheets of 8 (PDF)")).to_be_visible()
    page.get_by_role("button", name="Open the scanner").click()
    page.wait_for_url(re.compile(r"/scanner\?"))
    page.wait_for_function("() => location.hash === ''")


def type_code(page, code: str) -> None:
    box = page.get_by_label("Ticket code")
    box.fill(code)
    box.press("Enter")


def attendee_csv(page, slug: str) -> list[dict]:
    page.goto(f"/manage/events/{slug}/attendees")
    data = download(page, page.get_by_role("link", name="Download CSV"))
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_register_as_a_guest(page, mail_inbox):
    page.goto("/")
    in_english(page)
    open_site_menu(page)
    page.get_by_role("link", name="Events", exact=True).click()
    heating = page.get_by_role("link", name="DCF: Heating and air quality")
    expect(page.locator("li, article", has=heating).get_by_text("Full: waitlist open")
           ).to_be_visible()
    heating.click()
    page.get_by_role("link", name="Join the waiting list").click()
    page.get_by_label("Full name", exact=True).fill("Батын Сараа")
    page.get_by_label("E-mail", exact=True).fill("saraa.tour@example.mn")
    page.get_by_label("I have read the privacy notice", exact=False).check()
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.locator(".ticket__state--wait")).to_contain_text("On the waiting list")
    assert page.locator(".ticket__qr").count() == 0

    page.goto("/events/")
    page.get_by_role("link", name='"Green Darkhan 2032" Forest Forum').click()
    page.get_by_role("link", name="Register", exact=True).click()
    page.get_by_label("Full name", exact=True).fill("Доржийн Бат")
    page.get_by_label("E-mail", exact=True).fill("bat.tour@example.mn")
    page.get_by_label("I have read the privacy notice", exact=False).check()
    page.get_by_role("button", name="Register", exact=True).click()
    page.wait_for_url(re.compile(r"/r/[\w-]+$"))
    ticket_url = page.url
    expect(page.get_by_text("A seat is held for you.")).to_be_visible()
    assert page.locator(".ticket__qr").count() == 0

    body = mail_inbox.to("bat.tour@example.mn")[-1].get_body(("plain",)).get_content()
    page.goto(CONFIRM_LINK.search(body)["path"])
    page.get_by_role("button", name="Confirm my registration").click()
    page.wait_for_url(ticket_url)
    expect(page.get_by_text("Valid ticket")).to_be_visible()
    expect(page.get_by_role("img", name="QR code of your ticket")).to_be_visible()
    assert len(page.locator(".ticket__code code").inner_text()) >= 20
    [ticket_mail] = [m for m in mail_inbox.to("bat.tour@example.mn")
                     if m["Subject"] == 'Your ticket: "Green Darkhan 2032" Forest Forum']
    assert ticket_url in ticket_mail.get_body(("plain",)).get_content()
    assert_accessible(page)

    # The same mails wait in the outbox, for the admin to read.
    page.context.clear_cookies()
    as_demo(page, ADMIN)
    page.goto("/admin/outbox")
    expect(page.get_by_text("bat.tour@example.mn").first).to_be_visible()


def test_check_people_in_at_the_door(page):
    as_demo(page, ORGANISER)
    rows = attendee_csv(page, TODAY)
    assert all(row["Registered at (Ulaanbaatar time)"] <= row["Confirmed at (Ulaanbaatar time)"]
               for row in rows if row["Confirmed at (Ulaanbaatar time)"])
    not_in_yet = [row for row in rows if row["Ticket code"]][-1]  # the demo lets the first in
    open_scanner(page)
    type_code(page, not_in_yet["Ticket code"])
    result = page.locator("#scan-result .scan-result")
    expect(result).to_have_attribute("data-result", "admitted")
    expect(result).to_contain_text(not_in_yet["Name"])
    assert_accessible(page)


def test_organise_an_event(page):
    as_demo(page, ORGANISER)
    day = (local_date(utcnow()) + timedelta(days=20)).isoformat()
    open_site_menu(page)
    page.get_by_role("link", name="Manage events").click()
    page.get_by_role("link", name="New event").click()
    page.get_by_label("Kind of event").select_option(label="Darkhan City Forum session")
    page.get_by_label("Title in Mongolian").fill("Хотын нийтийн тээвэр")
    page.get_by_label("Title in English").fill("City buses")
    page.get_by_label("Summary in English").fill("Routes and timetables of the city buses.")
    page.get_by_label("Venue in English").fill("Darkhan Culture Centre")
    page.get_by_label("Starts", exact=True).fill(f"{day}T10:00")
    page.get_by_label("Ends", exact=True).fill(f"{day}T13:00")
    page.get_by_label("Capacity (seats)").fill("80")
    page.get_by_role("button", name="Save as draft").click()
    page.wait_for_url(re.compile(r"/events/city-buses/edit$"))

    page.get_by_role("link", name="Agenda").click()
    page.get_by_label("Title in Mongolian").fill("Чиглэлүүдийн танилцуулга")
    page.get_by_label("Title in English").fill("The routes presented")
    page.get_by_label("Starts", exact=True).fill(f"{day}T10:00")
    page.get_by_label("Ends", exact=True).fill(f"{day}T11:00")
    page.get_by_role("button", name="Save the session").click()
    expect(page.get_by_text("The session has been added to the agenda.")).to_be_visible()

    page.get_by_role("link", name="Registration questions").click()
    page.get_by_label("Kind of answer").select_option(label="One choice from a list")
    page.get_by_label("Question in English").fill("Which bus do you take?")
    page.get_by_label("Options in English, one per line").fill("Route 1\nRoute 5")
    page.get_by_role("button", name="Save the question").click()
    expect(page.get_by_role("heading", name="Which bus do you take?")).to_be_visible()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("The event is published: everyone can see it and register.")
           ).to_be_visible()

    # Approving registrations: the start-up training approves each one.
    page.goto("/manage/events/eu-dieh-startup-training/attendees")
    expect(page.get_by_text(re.compile(r"Awaiting approval: [1-9]"))).to_be_visible()
    approve = page.get_by_role("button", name=re.compile(r"^Approve ")).first
    name = approve.inner_text().removeprefix("Approve").strip()
    approve.click()
    row = page.get_by_role("row", name=re.compile(re.escape(name)))
    expect(row.get_by_text("Confirmed")).to_be_visible()

    rows = attendee_csv(page, "eu-dieh-startup-training")
    mine = next(row for row in rows if row["Name"] == name)
    assert mine["State"] == "Confirmed" and mine["Ticket code"]
    for row in rows:  # registered, then confirmed: never the other way round
        if row["Confirmed at (Ulaanbaatar time)"]:
            assert row["Registered at (Ulaanbaatar time)"] \
                <= row["Confirmed at (Ulaanbaatar time)"], row
    page.goto("/manage/events/eu-dieh-startup-training/attendees")
    sheet = load_workbook(io.BytesIO(download(
        page, page.get_by_role("link", name="Download Excel")))).active
    assert name in [cell.value for cell in sheet["B"]]


def test_exhibition_apply_and_approve(page, mail_inbox):
    page.goto("/exhibitions/made-in-darkhan-next/apply")
    in_english(page)
    page.get_by_label("Company or organisation").fill('"Хөх тэнгэр" ХХК')
    page.get_by_label("Sector").select_option(label="Crafts and design")
    page.get_by_label("Products or services, in English").fill("Hand-painted ceramics")
    page.get_by_label("Contact person").fill("Отгон Д.")
    page.get_by_label("Contact e-mail").fill("khukh.tour@example.mn")
    page.get_by_role("button", name="Send the application").click()
    expect(page.get_by_text("We have received the application")).to_be_visible()

    page.context.clear_cookies()
    as_demo(page, ORGANISER)
    page.goto("/exhibitions/made-in-darkhan-next/applications")
    expect(page.get_by_role("link", name='"Дархан мах" ХХК (Darkhan Meat LLC)')).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name='"Хөх тэнгэр" ХХК').click()
    page.get_by_label("Booth number (optional)").fill("C-07")
    page.get_by_role("button", name="Approve the application").click()
    expect(page.get_by_text("is approved and now appears in the directory")).to_be_visible()
    page.goto("/exhibitions/made-in-darkhan-next/")
    expect(page.locator(".card", has_text='"Хөх тэнгэр" ХХК')).to_contain_text("C-07")
    assert [m["Subject"] for m in mail_inbox.to("khukh.tour@example.mn")] == [
        "We have received your booth application", "Your booth application is approved"]


def test_raise_a_problem_support_follow_comment(page):
    as_demo(page, CITIZEN)
    open_site_menu(page)
    page.get_by_role("link", name="Issues", exact=True).click()
    page.get_by_role("link", name="Raise an issue").first.click()
    page.get_by_label("Title", exact=True).press_sequentially("Хогийн", delay=30)
    suggestions = page.locator("#issue-suggestions")
    expect(suggestions.get_by_role("heading", name="Similar issues already raised")
           ).to_be_visible()
    expect(suggestions.get_by_role("link").first).to_be_visible()
    page.get_by_label("Title", exact=True).fill("Хогийн сав 5-р багт эвдэрсэн")
    page.get_by_label("Describe the problem").fill("5-р багийн хогийн савны таг эвдэрч, "
                                                   "нохой хог тарааж байна.")
    page.get_by_label("Category", exact=True).select_option(label="Waste and environment")
    page.get_by_role("button", name="Publish the issue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Хогийн сав 5-р багт эвдэрсэн")

    # Someone else's issue that the demo citizen has not supported yet.
    page.goto("/issues/")
    page.get_by_role("link", name="Гэр хорооллын утаа орой бүр өтгөн байна").click()
    page.get_by_role("button", name="Support this issue").click()
    expect(page.get_by_text("You support this issue.")).to_be_visible()
    page.get_by_role("button", name="Follow this issue").click()
    expect(page.get_by_role("button", name=re.compile("Stop following"))).to_be_visible()
    page.get_by_label("Your comment").fill("Манай гудамжинд ч бас утаа их байна.")
    page.get_by_role("button", name="Publish the comment").click()
    expect(page.locator(".comment__body", has_text="Манай гудамжинд ч бас")).to_be_visible()
    assert_accessible(page)


def test_answer_it_and_the_citizen_is_notified(browser, page, demo_server, mail_inbox):
    as_demo(page, OFFICIAL)
    page.goto("/issues/staff/queue")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto("/issues/")
    page.get_by_role("link", name="14-р хорооллын хогийн савыг долоо хоног ачихгүй байна").click()
    issue_url = page.url
    page.locator("input[name=move-to_status][value=resolved]").check()
    page.locator("textarea[name=move-reason]").fill("Хуваарь мөрдөгдөж, хог тогтмол ачигдаж "
                                                    "байна.")
    page.locator("form[action$='/status'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/issues/\d+#timeline$"))
    page.locator(".staff-action--answer summary").click()
    page.locator("textarea[name=answer-body_mn]").fill("Ачилт долоо хоногт хоёр удаа хийгдэж "
                                                       "байна.")
    page.locator("textarea[name=answer-body_en]").fill("Rubbish is now collected twice a week.")
    page.locator("form[action$='/answer'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/issues/\d+#timeline$"))
    expect(page.locator("#timeline")).to_contain_text("Хуваарь мөрдөгдөж")

    citizen = phone_page(browser, demo_server)
    as_demo(citizen, CITIZEN)
    expect(citizen.locator(".account-menu summary .nav-count")).to_be_visible()
    open_account_menu(citizen)
    citizen.locator("a[href='/notifications/']").click()
    expect(citizen.locator(".notice-item").first).to_contain_text(
        "14-р хорооллын хогийн савыг")
    citizen.goto(issue_url)
    expect(citizen.locator(".official-answer__body").last).to_contain_text(
        "Rubbish is now collected twice a week.")
    expect(citizen.locator("#timeline")).to_contain_text("Хуваарь мөрдөгдөж")
    citizen.context.close()
    assert not citizen.problems, citizen.problems
    mails = [m.get_body(("plain",)).get_content() for m in mail_inbox.to(CITIZEN)]
    assert any("Ачилт долоо хоногт хоёр удаа" in body or "collected twice a week" in body
               for body in mails), mails


def test_moderate_a_report(page):
    as_demo(page, MODERATOR)
    page.goto("/moderation/")
    expect(page.get_by_text("Hidden until reviewed").first).to_be_visible()
    reviews = page.get_by_role("link", name="Review")
    assert reviews.count() >= 2  # the advert posted as an issue and the rude comment
    assert_accessible(page)
    reviews.first.click()
    page.get_by_label("Reason (recorded and sent to the author)").fill("Зар сурталчилгаа.")
    page.get_by_role("button", name="Hide it").click()
    expect(page.get_by_text("It is hidden, and the author has been told why.")).to_be_visible()


def test_feedback_survey_and_results(page):
    as_demo(page, ORGANISER)
    page.goto(f"/events/{TODAY}/edit")
    page.get_by_role("link", name="Feedback survey").click()
    page.get_by_role("button", name=re.compile("^Save|^Create")).first.click()
    page.goto(f"/feedback/{TODAY}/room")
    expect(page.locator("img.survey-room__qr")).to_be_visible()

    page.goto("/feedback/events")
    page.get_by_role("row", name=re.compile("Zero Waste Darkhan")).get_by_role(
        "link", name="Results").click()
    expect(page.get_by_role("heading", name="Survey results")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Average: \d\.\d of 5")).first).to_be_visible()
    expect(page.get_by_text("More time for questions from the floor, please.")).to_be_visible()
    assert_accessible(page)


def test_run_a_forum_session_and_vote_after_the_door(browser, page, demo_server):
    # The citizen's ticket (on their ticket page) is checked in at the door.
    citizen = phone_page(browser, demo_server)
    as_demo(citizen, CITIZEN)
    citizen.goto("/account/registrations")
    citizen.get_by_role("link", name="DCF: Clean water for the ger districts").click()
    code = citizen.locator(".ticket__code code").inner_text()
    as_demo(page, ORGANISER)
    open_scanner(page)
    type_code(page, code)
    expect(page.locator("#scan-result .scan-result")).to_have_attribute(
        "data-result", re.compile("admitted|already_checked_in"))

    # Today's item is open for voting: the citizen asks a question and votes.
    citizen.goto(f"/events/{TODAY}/forum")
    expect(citizen.get_by_role("heading", name="Weak water pressure in the evening").first
           ).to_be_visible()
    citizen.locator("textarea[name=body]").first.fill("Насос хэзээ солигдох вэ?")
    citizen.get_by_role("button", name="Send the question").click()
    expect(citizen.locator(".question--pending")).to_contain_text("Насос хэзээ")
    citizen.get_by_role("radio", name="Replace the booster pump").check()
    citizen.get_by_role("button", name="Vote", exact=True).click()
    expect(citizen.get_by_role("status")).to_contain_text("Your vote is counted. Thank you.")
    assert_accessible(citizen)
    citizen.context.close()
    assert not citizen.problems, citizen.problems

    # The facilitator puts the next problem on the agenda and moves it on from its live screen.
    page.goto(f"/events/{TODAY}/edit")
    page.get_by_role("link", name="Forum record").click()
    page.locator("#title_mn").fill("Усны түгээх байрны цагийн хуваарь")
    page.locator("#problem_mn").fill("Түгээх байр орой 18 цагт хаагддаг.")
    page.locator(f"form[action$='/manage/events/{TODAY}/forum'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/forum/items/\d+"))
    page.locator("form[action$='/stage'] select[name=to_stage]").select_option("discussion")
    page.locator("form[action$='/stage'] button[type=submit]").click()
    expect(page.locator(".stage-track__step--now")).to_contain_text("Discussion")
    page.goto(f"/events/{TODAY}/forum/screen")
    expect(page.locator("[data-part=title]")).to_contain_text("Усны түгээх байрны")
    minutes = page.request.get(f"/events/{TODAY}/minutes.pdf")
    assert minutes.ok and minutes.body().startswith(b"%PDF")


def test_follow_what_became_of_a_problem(page):
    page.goto("/forum/outcomes")
    in_english(page)
    page.get_by_label("Stage").select_option(label="Done")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("Bullying at school and too few psychologists").first
           ).to_be_visible()
    expect(page.get_by_text("Household waste is not sorted")).to_have_count(0)
    page.goto("/forum/outcomes?overdue=1")
    expect(page.locator("main")).to_contain_text("Overdue")
    assert_accessible(page)

    as_demo(page, OFFICIAL)
    page.goto("/forum/my-actions")
    expect(page.get_by_text(re.compile(r"Overdue: [1-9]"))).to_be_visible()
    page.get_by_label("Install drip irrigation on 3 ha").check()
    page.get_by_label("Status").select_option("in_progress")
    page.get_by_label("Percent done").fill("70")
    page.get_by_label("Note in English").fill("2.1 ha installed; the last pipes arrive in May.")
    page.get_by_role("button", name="Post progress").click()
    expect(page.get_by_text("Progress is posted.")).to_be_visible()
    # The journey runs from the citizens' words to this latest progress.
    page.get_by_role("link", name="Watering newly planted trees").first.click()
    journey = page.locator("main")
    expect(journey).to_contain_text("Ногоон Дархан 2032: шинээр тарьсан модыг услах")
    expect(journey).to_contain_text("2.1 ha installed; the last pipes arrive in May.")


def test_review_the_figures(page):
    as_demo(page, OFFICIAL)
    page.goto("/reports/")
    expect(page.locator("table").first).to_be_visible()
    assert_accessible(page)
    page.goto("/reports/waiting")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
