"""axe-core on every HTML page of the app, on the demo data, in Chromium at a phone's size: as a
visitor and as a person holding every staff role. The pages are found from the URL map, so a
new page is checked the day it is added."""

import pytest

from forum_app.extensions import db
from tests import factories
from tests.browser.conftest import assert_accessible, sign_in
from tests.routes import REAL, route_urls

pytestmark = pytest.mark.browser
SKIPPED = ("static", "accounts.logout", "checkin.scanner")  # the scanner: test_checkin.py


def _pages(live_server) -> list[str]:
    app = live_server.app
    with app.app_context():
        assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
        urls = [url for rule, variant, url in route_urls(app, SKIPPED)
                if variant in REAL and "GET" in rule.methods]
        factories.user("walker@example.mn", roles=["admin", "organiser", "moderator",
                                                    "official"])
        db.session.remove()
    return list(dict.fromkeys(urls))


@pytest.mark.parametrize("who", ["visitor", "every staff role"])
def test_every_page_passes_axe(page, live_server, who):
    urls = _pages(live_server)
    if who != "visitor":
        sign_in(page, "walker@example.mn")
    checked, failures = 0, []
    for url in urls:
        probe = page.request.get(url, max_redirects=0)  # with the page's cookies
        if probe.status != 200 or "text/html" not in probe.headers.get("content-type", ""):
            continue  # files (PDF, CSV, .ics...), redirects, refusals
        if not probe.text().lstrip().lower().startswith("<!doctype html"):
            continue  # a fragment for a script (issue suggestions), not a page
        page.goto(url)
        try:
            assert_accessible(page)
        except AssertionError as error:
            failures.append(str(error)[:600])
        checked += 1
    assert checked >= (75 if who != "visitor" else 15)  # the walk really saw the app
    assert not failures, "\n".join(failures)
