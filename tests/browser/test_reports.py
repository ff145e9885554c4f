"""The figures dashboard on a phone: no page wider than the screen (tables scroll in their
box), charts drawn, axe-core clean, for the public and for staff."""

import pytest

from forum_app.extensions import db
from tests import factories
from tests.browser.conftest import assert_accessible, sign_in
from tests.checkin.support import local, today
from tests.deliberation.support import admitted, event_on

pytestmark = pytest.mark.browser


def _data(live_server):
    with live_server.app.app_context():
        factories.seed_reference()
        organiser = factories.user("org@example.mn", roles=["organiser"])
        forum = event_on(organiser, whole_day=True)
        for gender in ("female", "female", "male", "female", "male", "female"):
            admitted(forum, organiser, gender=gender, district_id=factories.district().id)
        factories.event(organiser, starts_at=local(today().replace(day=1), 9),
                        ends_at=local(today().replace(day=1), 12))
        db.session.remove()


@pytest.mark.parametrize("who", ["visitor", "organiser"])
def test_dashboard_fits_a_phone(page, live_server, who):
    _data(live_server)
    if who == "organiser":
        sign_in(page, "org@example.mn")
    page.goto(f"{live_server.url}/reports/?from={today().year}-01-01&to={today()}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.locator("svg.report-chart__svg").count() >= 1
    assert_accessible(page)
    page.select_option("#period-kind", "training")
    page.get_by_role("button", name="Харуулах").click()
    assert "kind=training" in page.url
