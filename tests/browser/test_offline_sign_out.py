"""Finding 9 (info): ticket pages kept on the phone for offline use outlived signing out. Now
the first page after signing out removes them from Cache Storage, and only them: the door
scanner's queue of scans made offline (IndexedDB) survives a sign-out and is still sent."""

import re

import pytest
from playwright.sync_api import Error as BrowserError
from playwright.sync_api import expect

from forum_app.registration.services.registering import register
from forum_app.registration.validation import RegistrationInput
from tests import factories
from tests.browser.conftest import sign_in, sign_out, watch
from tests.browser.test_checkin import ORGANISER, _checkins, _door, _open_scanner, _texts

pytestmark = pytest.mark.browser

NO_TICKETS_KEPT = """async () => (await caches.keys()).every(
    name => !name.startsWith('forum-tickets-'))"""


def _stored_offline(page) -> None:
    """Waits (in the page, as ticket.js works) until the ticket page is in Cache Storage."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    assert page.evaluate("""async () => {
        const cache = await caches.open('forum-tickets-v1');
        for (let tries = 0; tries < 200; tries++) {
            if (await cache.match(location.pathname)) return true;
            await new Promise(resolve => setTimeout(resolve, 50));
        }
        return false;
    }""")


def _tickets_removed(page) -> None:
    """The page after signing out has run signed-out.js, and no ticket cache is left."""
    expect(page.locator("html")).to_have_attribute("data-offline-tickets", "removed")
    assert page.evaluate(NO_TICKETS_KEPT)


def _ticket_of(app, email: str) -> tuple[int, str]:
    with app.app_context():
        citizen = factories.user(email, name="Батын Сараа")
        event = factories.event(title_mn="Дарханы хотын форум")
        registration, _token = register(event, RegistrationInput(
            name=citizen.name, email=email, consent=True), user=citizen)
        return registration.id, registration.ticket.code


def test_signing_out_removes_the_tickets_kept_for_offline_use(page, live_server):
    registration_id, code = _ticket_of(live_server.app, "saraa@example.mn")
    sign_in(page, "saraa@example.mn")
    ticket_url = f"/account/registrations/{registration_id}"
    page.goto(ticket_url)
    _stored_offline(page)
    assert not page.evaluate(NO_TICKETS_KEPT)

    # Kept: without a network the ticket opens from the phone.
    page.context.set_offline(True)
    page.reload()
    assert page.locator(".ticket__code code").inner_text() == code
    page.context.set_offline(False)

    sign_out(page)
    _tickets_removed(page)
    page.context.set_offline(True)
    with pytest.raises(BrowserError, match="net::ERR_"):
        page.goto(ticket_url)  # nothing stored: the browser's own "no network" error
    # The browser shows its own error page (it may still be drawing it): never the ticket.
    expect(page.locator("html")).not_to_contain_text(code)


def test_a_scan_queued_offline_survives_a_sign_out_and_is_sent(page, live_server):
    app = live_server.app
    slug, event_id, [(code, ticket_id)] = _door(app, "Дорж")
    sign_in(page, ORGANISER)
    _open_scanner(page, app, slug)
    expect(page.locator("[data-status=pack]")).to_be_visible()
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    scanner_url = page.url

    [code_label] = _texts(app, "Ticket code")
    page.context.set_offline(True)
    page.get_by_label(code_label).fill(code)
    page.get_by_label(code_label).press("Enter")
    expect(page.locator("[data-status=queue]")).to_have_attribute("data-count", "1")
    page.close()  # the scan waits on the phone, unsent

    context = page.context
    context.set_offline(False)
    other = watch(context.new_page(), live_server)
    other.goto("/")
    sign_out(other)
    _tickets_removed(other)
    assert _checkins(app, event_id) == []

    # Still offline-capable after the sign-out: the scanner opens and its scan still waits...
    context.set_offline(True)
    scanner = watch(context.new_page(), live_server)
    scanner.goto(scanner_url)
    expect(scanner.locator("[data-status=queue]")).to_have_attribute("data-count", "1")
    # ...and reaches the server when the network returns.
    context.set_offline(False)
    expect(scanner.locator("[data-status=queue]")).to_have_attribute("data-count", "0",
                                                                     timeout=20_000)
    assert _checkins(app, event_id) == [(ticket_id, "admitted", True)]
    assert not other.problems and not scanner.problems, other.problems + scanner.problems
    assert re.search(r"/scanner\?", scanner_url)
