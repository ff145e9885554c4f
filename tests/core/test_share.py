"""The "Share this page" box of the event and issue pages, as a page without JavaScript gives
it: the page's link on the public address, never the address the request came to."""

import re

from tests import factories
from tests.issues import lifecycle_support as make
from tests.support import mn, text_of

PUBLIC = "https://forum.darkhan-uul.gov.mn"
LINK_FIELD = re.compile(r'<input class="share__link" id="share-link" type="url" '
                        r'value="(?P<link>[^"]+)" readonly>')


def shared_link(response) -> str:
    assert response.status_code == 200
    return LINK_FIELD.search(response.get_data(as_text=True))["link"]


def test_event_and_issue_pages_give_their_public_link_to_copy(app_factory):
    app = app_factory(PUBLIC_BASE_URL=PUBLIC)
    client = app.test_client()
    with app.app_context():
        factories.seed_reference()
        event = factories.event()
        issue = make.issue()
        # Asked on another address and with a query string: the link is still the public one.
        assert shared_link(client.get(f"/events/{event.slug}?from=mail",
                                      base_url="http://10.0.0.5:8000")) == \
            f"{PUBLIC}/events/{event.slug}"
        page = client.get(f"/issues/{issue.id}")
        assert shared_link(page) == f"{PUBLIC}/issues/{issue.id}"
        assert mn("Share this page") in text_of(page)
        # Without JavaScript there is no button that would do nothing.
        assert re.search(r'<button type="button" class="[^"]*share__button" hidden',
                         page.get_data(as_text=True))
