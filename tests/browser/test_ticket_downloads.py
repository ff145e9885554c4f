"""The ticket page, kept for offline use, is downloaded once per visit with its stylesheet and
script: storing it for offline use fetches nothing again (issue 13)."""

import re
from collections import Counter

import pytest

from forum_app.registration.services import RegistrationInput
from tests import factories
from tests.registration.support import register_confirmed

pytestmark = pytest.mark.browser


def _count_requests(app) -> Counter:
    seen = Counter()
    inner = app.wsgi_app

    def counting(environ, start_response):
        if environ["REQUEST_METHOD"] == "GET":
            seen[environ["PATH_INFO"]] += 1
        return inner(environ, start_response)

    app.wsgi_app = counting
    return seen


def _stored(page) -> None:
    page.wait_for_selector("#ticket-offline[data-stored]", state="attached")
    page.wait_for_function("""async () => {
        const cache = await caches.open('forum-tickets-v1');
        return Boolean(await cache.match(location.pathname));
    }""")


def test_the_ticket_page_and_its_assets_are_downloaded_once(page, live_server):
    app = live_server.app
    with app.app_context():
        event = factories.event()
        _registration, token = register_confirmed(event, RegistrationInput(
            name="Батын Сараа", email="saraa@example.mn", consent=True))
        ticket = f"/r/{token}"
    seen = _count_requests(app)

    page.goto(ticket)
    _stored(page)
    stylesheet = page.locator('link[rel="stylesheet"]').get_attribute("href")
    script = page.locator("#ticket-offline").get_attribute("src")
    assert re.fullmatch(r"/static/css/app\.[0-9a-f]{10}\.css", stylesheet)
    assert seen[ticket] == 1 and seen[stylesheet] == 1 and seen[script] == 1, seen

    seen.clear()
    page.reload()
    _stored(page)
    assert seen[ticket] == 1, seen  # through the service worker, which keeps the copy fresh
    assert seen[stylesheet] <= 1 and seen[script] <= 1, seen

    page.context.set_offline(True)
    page.reload()
    assert page.locator(".ticket__code code").is_visible()
    page.context.set_offline(False)
