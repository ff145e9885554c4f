"""At the door on a phone: the organiser opens the scanner, a (fake) camera shows a real
ticket's QR and the page says "admitted", then "already"; with the network cut two tickets are
admitted against the phone's offline list and reach the server when it returns. Every check-in
page passes axe-core."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from forum_app.checkin.models import CheckIn
from forum_app.extensions import db
from tests import factories
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, assert_accessible, sign_in, watch
from tests.browser.fake_camera import fake_camera_args, ticket_frame, write_y4m
from tests.checkin.support import event_on, person
from tests.support import mn

pytestmark = pytest.mark.browser

ORGANISER = "door@example.mn"


def _texts(app, *messages):
    with app.app_context():
        return [mn(message) for message in messages]


def _open_scanner(page, app, slug, gate=None):
    """Through the check-in home, as an organiser does: the scanner key lands in the URL
    fragment, and the page keeps it and takes it out of the address."""
    open_button, gate_label = _texts(app, "Open the scanner", "Gate")
    page.goto(f"/manage/events/{slug}/checkin")
    if gate:
        page.get_by_label(gate_label, exact=True).fill(gate)
    page.get_by_role("button", name=open_button).click()
    page.wait_for_url(re.compile(r"/scanner\?"))
    page.wait_for_function("() => location.hash === ''")
    expect(page.locator("#scanner-status")).to_be_visible()


def _door(app, *names, **event_values):
    with app.app_context():
        organiser = factories.user(ORGANISER, roles=["organiser"], name="Сарангэрэл")
        event = event_on(organiser, whole_day=True, title_mn="Цэвэр усны форум",
                         **event_values)
        people = [person(event, name, accessibility_needs="Тэргэнцэртэй" if n == 0 else None)
                  for n, name in enumerate(names)]
        return event.slug, event.id, [(p.ticket.code, p.ticket.id) for p in people]


def _checkins(app, event_id):
    with app.app_context():
        return [(row.ticket_id, row.result, row.offline) for row in db.session.scalars(
            select(CheckIn).where(CheckIn.event_id == event_id).order_by(CheckIn.id))]


@pytest.fixture
def camera_page(browser, live_server, tmp_path):
    """A phone whose camera shows whatever `camera_page.show(code)` put in the .y4m: a second
    Chromium, started with a fake camera playing that file."""
    video = tmp_path / "camera.y4m"
    launched = []

    def start(code: str):
        write_y4m(video, [ticket_frame(code)] * 5)
        chromium = browser.browser_type.launch(executable_path=CHROMIUM, headless=True,
                                               args=CHROMIUM_ARGS + fake_camera_args(video))
        launched.append(chromium)
        context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                       locale="mn-MN", base_url=live_server.url,
                                       permissions=["camera"])
        context.set_default_timeout(10_000)
        return watch(context.new_page(), live_server)

    yield start
    for chromium in launched:
        problems = [p for context in chromium.contexts for page in context.pages
                    for p in page.problems]
        chromium.close()
        assert not problems, problems


def test_the_camera_reads_a_real_ticket_admitted_then_already(camera_page, live_server):
    app = live_server.app
    slug, event_id, [(code, ticket_id)] = _door(app, "Батын Сараа")
    page = camera_page(code)
    sign_in(page, ORGANISER)
    _open_scanner(page, app, slug)
    assert_accessible(page)

    admitted, already, start = _texts(app, "Admitted", "Already checked in", "Start the camera")
    page.get_by_role("button", name=start).click()
    result = page.locator("#scan-result .scan-result")
    expect(result).to_have_attribute("data-result", "admitted")
    expect(result).to_contain_text(admitted)
    expect(result).to_contain_text("Батын Сараа")
    expect(result).to_contain_text("Тэргэнцэртэй")
    assert_accessible(page)

    # The QR stays in front of the camera: after the 3 s pause it is read again.
    expect(result).to_have_attribute("data-result", "already_checked_in", timeout=10_000)
    expect(result).to_contain_text(already)
    expect(result).to_contain_text("Сарангэрэл")
    rows = _checkins(app, event_id)
    assert rows[:2] == [(ticket_id, "admitted", False), (ticket_id, "already_checked_in", False)]
    assert [r for r in rows if r[1] == "admitted"] == [(ticket_id, "admitted", False)]


def test_offline_scans_are_admitted_locally_and_synced_when_the_network_returns(
        page, live_server):
    app = live_server.app
    slug, event_id, tickets = _door(app, "Батын Сараа", "Дорж")
    sign_in(page, ORGANISER)
    _open_scanner(page, app, slug, gate="Хойд хаалга")
    # The offline list is on the phone and the page is kept by the service worker.
    expect(page.locator("[data-status=pack]")).to_be_visible()
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")

    code_label, admitted, already = _texts(app, "Ticket code", "Admitted", "Already checked in")
    box = page.get_by_label(code_label)
    result = page.locator("#scan-result .scan-result")
    waiting = page.locator("[data-status=queue]")
    page.context.set_offline(True)
    for n, (code, _ticket) in enumerate(tickets, start=1):
        box.fill(f" {code.lower()} ")
        box.press("Enter")
        expect(waiting).to_have_attribute("data-count", str(n))
        expect(result).to_have_attribute("data-result", "admitted")
        expect(result).to_contain_text(admitted)
    expect(waiting).to_contain_text("2")
    expect(page.locator("#scanner-status")).to_have_class(re.compile("scanner-status--offline"))
    assert _checkins(app, event_id) == []
    assert_accessible(page)

    # The first ticket again, still offline: this phone remembers it let them in.
    box.fill(tickets[0][0])
    box.press("Enter")
    expect(result).to_have_attribute("data-result", "already_checked_in")
    expect(result).to_contain_text(already)
    expect(waiting).to_have_attribute("data-count", "3")

    # A reload without network: the service worker gives the page back, still working.
    page.reload()
    expect(page.get_by_label(code_label)).to_be_visible()
    expect(page.locator("[data-status=queue]")).to_have_attribute("data-count", "3")

    page.context.set_offline(False)
    expect(page.locator("[data-status=queue]")).to_have_attribute("data-count", "0",
                                                                   timeout=20_000)
    rows = _checkins(app, event_id)
    assert sorted(r for r in rows if r[1] == "admitted") == sorted(
        (ticket_id, "admitted", True) for _code, ticket_id in tickets)
    assert (tickets[0][1], "already_checked_in", True) in rows and len(rows) == 3


def test_an_online_scan_is_undone_inline_with_a_reason(page, live_server):
    app = live_server.app
    slug, event_id, [(code, ticket_id)] = _door(app, "Дорж")
    sign_in(page, ORGANISER)
    _open_scanner(page, app, slug)
    code_label, undo, reason_label, undo_button, undone = _texts(
        app, "Ticket code", "Undo this check-in", "Reason for the undo", "Undo the check-in",
        "The check-in has been undone.")
    box = page.get_by_label(code_label)
    box.fill(code)
    box.press("Enter")
    result = page.locator("#scan-result .scan-result")
    expect(result).to_have_attribute("data-result", "admitted")
    page.get_by_text(undo).click()
    expect(page.get_by_label(reason_label)).to_be_focused()
    page.get_by_label(reason_label).fill("Өөр хүний тасалбар")
    assert_accessible(page)
    page.get_by_role("button", name=undo_button).click()
    expect(result).to_contain_text(undone)
    with app.app_context():
        row = db.session.scalar(select(CheckIn).where(CheckIn.ticket_id == ticket_id))
        assert row.annulled_at is not None and row.annul_reason == "Өөр хүний тасалбар"
    # The person can be let in again (after the pause that keeps a ticket still held up to
    # the camera from being let in again at once).
    page.wait_for_timeout(3_100)
    box.fill(code)
    box.press("Enter")
    expect(result).to_have_attribute("data-result", "admitted")


def test_a_second_offline_device_finds_a_conflict_on_sync(page, live_server):
    app = live_server.app
    slug, event_id, [(code, ticket_id)] = _door(app, "Батын Сараа")
    sign_in(page, ORGANISER)
    _open_scanner(page, app, slug)
    expect(page.locator("[data-status=pack]")).to_be_visible()
    page.context.set_offline(True)
    box = page.get_by_label(_texts(app, "Ticket code")[0])
    box.fill(code)
    box.press("Enter")
    expect(page.locator("#scan-result .scan-result")).to_have_attribute("data-result",
                                                                        "admitted")
    # Meanwhile another phone, online, let the same person in.
    with app.app_context():
        from forum_app.checkin.services import check_in
        from forum_app.events.models import Event

        organiser = factories.user(roles=["admin", "organiser"])
        check_in(code, event=db.session.get(Event, event_id), device=None, staff=organiser,
                 nonce="other-phone-1", gate="Хойд хаалга")
    page.context.set_offline(False)
    conflicts = page.locator("#scanner-conflicts")
    expect(conflicts).to_be_visible(timeout=20_000)
    expect(conflicts).to_contain_text("Батын Сараа")
    assert [r[1] for r in _checkins(app, event_id)].count("admitted") == 1
    assert_accessible(page)


def test_the_desk_pages_work_and_are_accessible(page, live_server):
    app = live_server.app
    slug, event_id, [(code, _ticket)] = _door(app, "Батын Сараа", capacity=1)
    sign_in(page, ORGANISER)
    page.goto(f"/manage/events/{slug}/checkin")
    assert_accessible(page)

    # A key for a dedicated scanner: shown once.
    (name_label, create, back) = _texts(app, "Name of the scanner", "Create the key",
                                        "Back to check-in")
    page.get_by_label(name_label).fill("Киоск 1")
    page.get_by_role("button", name=create).click()
    token = page.locator("#device-token").input_value()
    assert len(token) >= 40
    assert_accessible(page)
    page.get_by_role("link", name=back).click()
    expect(page.get_by_role("rowheader", name="Киоск 1")).to_be_visible()
    assert token not in page.content()

    # Search, then check in from the result.
    page.goto(f"/manage/events/{slug}/checkin/search")
    assert_accessible(page)
    search_label, check_in_button = _texts(app, "Name, phone, e-mail or part of the code",
                                           "Check in")
    page.get_by_label(search_label).fill("сараа")
    page.get_by_label(search_label).press("Enter")
    expect(page.get_by_role("row", name=re.compile("Батын Сараа"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=f"{check_in_button} Батын Сараа").click()
    expect(page.locator(".scan-result")).to_have_attribute("data-result", "admitted")
    assert_accessible(page)

    # Undo, on the result, with a reason typed inline (no prompt).
    undo, reason_label, undo_button = _texts(app, "Undo this check-in", "Reason for the undo",
                                             "Undo the check-in")
    page.get_by_text(undo).click()
    page.get_by_label(reason_label).fill("Андуурсан")
    assert_accessible(page)
    page.get_by_role("button", name=undo_button).click()
    expect(page.locator(".flash--success")).to_have_text(
        _texts(app, "The check-in has been undone.")[0])
    assert_accessible(page)
    with app.app_context():
        annulled = db.session.scalar(select(CheckIn).where(CheckIn.event_id == event_id))
        assert annulled.annul_reason == "Андуурсан"
    page.goto(f"/manage/events/{slug}/checkins/{annulled.id}/annul")
    expect(page.get_by_text("Андуурсан")).to_be_visible()
    assert_accessible(page)

    # A walk-in at a full event: the reason field appears when the server says full.
    page.goto(f"/manage/events/{slug}/checkin/walk-in")
    assert_accessible(page)
    full_name, phone, consent, submit, reason = _texts(
        app, "Full name", "Phone", "The person has been told how their registration is stored "
        "(the privacy notice) and agrees.", "Register and check in",
        "Reason to admit over capacity")
    page.get_by_label(full_name).fill("Очир")
    page.get_by_label(phone, exact=True).fill("88112233")
    page.get_by_label(consent).check()
    page.get_by_role("button", name=submit).click()
    expect(page.get_by_label(reason)).to_be_visible()
    assert_accessible(page)
    page.get_by_label(reason).fill("Илтгэгч")
    page.get_by_label(consent).check()
    page.get_by_role("button", name=submit).click()
    expect(page.locator(".scan-result")).to_have_attribute("data-result", "admitted")
    expect(page.locator(".scan-result")).to_contain_text("Очир")

    # Live figures, refreshed without a reload when someone else checks a person in.
    page.goto(f"/manage/events/{slug}/checkin/figures")
    assert_accessible(page)
    checked_in = page.locator("[data-figure=checked_in]")
    expect(checked_in).to_have_text("1")
    with app.app_context():
        from forum_app.checkin.services import check_in
        from forum_app.events.models import Event

        check_in(code, event=db.session.get(Event, event_id), device=None,
                 staff=factories.user(roles=["admin", "organiser"]), nonce="desk-2")
    expect(checked_in).to_have_text("2", timeout=12_000)
    expect(page.locator("[data-figure=slots] .bar--w20")).to_be_visible()
    assert_accessible(page)


def test_at_the_door_the_result_the_camera_and_the_code_field_fit_one_phone_screen(
        camera_page, live_server):
    """360x740, after a scan by the camera: no scrolling to see who came in, to see what the
    camera sees or to type a code."""
    app = live_server.app
    slug, _event_id, [(code, _ticket_id)] = _door(app, "Батын Сараа")
    page = camera_page(code)
    sign_in(page, ORGANISER)
    _open_scanner(page, app, slug)
    page.get_by_role("button", name=_texts(app, "Start the camera")[0]).click()
    result = page.locator("#scan-result .scan-result")
    expect(result).to_have_attribute("data-result", "admitted")
    parts = {"result": result, "camera view": page.locator("#scanner-video"),
             "code field": page.get_by_label(_texts(app, "Ticket code")[0])}
    for part in parts.values():
        expect(part).to_be_visible()
    bottoms = {name: part.evaluate("el => el.getBoundingClientRect().bottom + window.scrollY")
               for name, part in parts.items()}
    assert page.viewport_size == PHONE
    assert all(bottom <= PHONE["height"] for bottom in bottoms.values()), bottoms
    # The other check-in pages are still one tap away, below the door's tools.
    assert page.locator("nav.subnav a").count() >= 5
