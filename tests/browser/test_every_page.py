"""axe-core on every HTML page of the app, on the demo data, in Chromium at a phone's size
(360x740): as a visitor and as a person holding every staff role. The same page load checks the
layout: no page wider than the phone's screen, no table cell that cuts its text off. The pages
are found from the URL map, so a new page is checked the day it is added."""

import pytest

from forum_app.extensions import db
from tests import factories
from tests.browser.conftest import PHONE, assert_accessible, layout_problems, sign_in
from tests.routes import REAL, route_urls

pytestmark = pytest.mark.browser
SKIPPED = ("static", "accounts.logout", "checkin.scanner")  # the scanner: test_checkin.py
# Pages that show most with a query: the door's search with results.
WITH_QUERY = ("/manage/events/dcf-clean-water-today/checkin/search?gate=Main&q=a",)


def _pages(live_server) -> list[str]:
    app = live_server.app
    with app.app_context():
        assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
        urls = [url for rule, variant, url in route_urls(app, SKIPPED)
                if variant in REAL and "GET" in rule.methods]
        factories.user("walker@example.mn", roles=["admin", "organiser", "moderator",
                                                    "official"])
        db.session.remove()
    return list(dict.fromkeys(urls + list(WITH_QUERY)))


@pytest.mark.parametrize("who", ["visitor", "every staff role"])
def test_every_page_passes_axe_and_fits_a_phone(page, live_server, who):
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
        assert page.viewport_size == PHONE
        failures += [f"{url}: {problem}" for problem in layout_problems(page)]
        try:
            assert_accessible(page)
        except AssertionError as error:
            failures.append(str(error)[:600])
        checked += 1
    assert checked >= (75 if who != "visitor" else 15)  # the walk really saw the app
    assert not failures, "\n".join(failures)


def test_the_phone_check_sees_a_wide_page_and_a_cut_cell(page):
    """The walk's layout check is not blind: a page wider than the phone and a cell cut with
    an ellipsis are both reported; the same page made to fit is not."""
    phone = '<meta name="viewport" content="width=device-width, initial-scale=1">'
    page.set_content(phone + '<table><tr><td><span id="cut" style="display:block; width:5rem;'
                     ' overflow:hidden; text-overflow:ellipsis; white-space:nowrap">'
                     'Баталгаажсан бүртгэлүүд</span></td></tr></table>'
                     '<p id="wide" style="width:500px">wide</p>')
    problems = layout_problems(page)
    assert any("page 5" in p and "p#wide" in p for p in problems), problems
    assert any("span#cut" in p and "cut off" in p for p in problems), problems
    page.set_content(phone + "<table><tr><td>Баталгаажсан</td></tr></table><p>narrow</p>")
    assert layout_problems(page) == []
