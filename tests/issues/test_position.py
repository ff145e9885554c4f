"""An issue's optional map position: typed in or filled from the phone ("Use my location"),
checked on the server, shown with a link that opens the phone's own maps app, and shown in
public only when its author chose so (a position can be someone's home)."""

import json

import pytest
from sqlalchemy import func, select

from forum_app.extensions import db
from forum_app.issues.models import Issue
from tests import factories
from tests.issues.support import issue_form
from tests.support import mn, text_of

POSITION = "49.48670, 105.92280"
GEO_LINK = 'href="geo:49.48670,105.92280"'


def form(**overrides) -> dict:
    return issue_form(title="Худгийн ус бохир байна", latitude="49.4867",
                      longitude="105.9228") | overrides


def submitted(client, **overrides) -> Issue:
    response = client.post("/issues/new", data=form(**overrides))
    assert response.status_code == 302, text_of(response)
    return db.session.scalars(select(Issue).order_by(Issue.id.desc())).first()


def test_a_shared_position_is_on_the_public_page_with_a_maps_app_link(client, auth, citizen):
    auth.login()
    issue = submitted(client, location_public="y")
    assert (issue.latitude, issue.longitude, issue.location_public) == (49.4867, 105.9228, True)
    auth.logout()
    page = text_of(client.get(f"/issues/{issue.id}"))
    assert mn("Position on the map") in page and POSITION in page
    assert GEO_LINK in page and mn("Open in my maps app") in page
    assert "https://www.openstreetmap.org/?mlat=49.48670&mlon=105.92280" in page
    assert mn("not shown in public") not in page


def test_an_unshared_position_is_seen_by_its_author_and_staff_only(client, auth, citizen):
    auth.login()
    issue = submitted(client)  # the box left unticked: the default
    assert issue.latitude == 49.4867 and not issue.location_public
    own = text_of(client.get(f"/issues/{issue.id}"))
    assert POSITION in own and mn("not shown in public") in own
    auth.logout()
    assert POSITION not in text_of(client.get(f"/issues/{issue.id}"))
    factories.user("neighbour@example.mn")
    auth.login("neighbour@example.mn")
    assert POSITION not in text_of(client.get(f"/issues/{issue.id}"))
    auth.logout()
    factories.user("official@example.mn", roles=["official"], department_slug="education")
    auth.login("official@example.mn")
    assert GEO_LINK in text_of(client.get(f"/issues/{issue.id}"))


def test_a_comma_decimal_is_read_and_empty_fields_mean_no_position(client, auth, citizen):
    auth.login()
    typed = submitted(client, latitude=" 49,5 ", longitude="105,9")
    assert (typed.latitude, typed.longitude) == (49.5, 105.9)
    none = submitted(client, title="Байршилгүй асуудал", latitude="", longitude="",
                     location_public="y")
    assert (none.latitude, none.longitude, none.location_public) == (None, None, False)
    assert mn("Position on the map") not in text_of(client.get(f"/issues/{none.id}"))


@pytest.mark.parametrize(("values", "message"), [
    ({"latitude": "91"}, "Please give the latitude as a number of degrees from -90 to 90, "
                         "for example 49.4867."),
    ({"latitude": "хойд"}, "Please give the latitude as a number of degrees from -90 to 90, "
                           "for example 49.4867."),
    ({"latitude": "nan"}, "Please give the latitude as a number of degrees from -90 to 90, "
                          "for example 49.4867."),
    ({"longitude": "-180.5"}, "Please give the longitude as a number of degrees from -180 to "
                              "180, for example 105.9228."),
    ({"longitude": ""}, "Please give both the latitude and the longitude, or leave both "
                        "empty."),
])
def test_a_bad_position_is_refused_in_the_readers_language_and_nothing_is_saved(
        client, auth, citizen, values, message):
    auth.login()
    response = client.post("/issues/new", data=form(**values))
    assert response.status_code == 422
    assert mn(message) in text_of(response)
    assert db.session.scalar(select(func.count(Issue.id))) == 0


def test_the_form_offers_the_phones_location_and_the_policy_allows_it_here_only(
        client, auth, citizen):
    auth.login()
    response = client.get("/issues/new")
    page = text_of(response)
    assert 'id="use-my-location"' in page and mn("Use my location") in page
    assert 'name="latitude"' in page and 'inputmode="decimal"' in page
    assert 'name="location_public"' in page and 'name="location_public" type="checkbox" ' \
        'value="y">' in page  # not ticked by default
    assert "/static/js/issue-form." in page
    assert "geolocation=(self)" in response.headers["Permissions-Policy"]


def test_my_data_holds_the_position_and_deleting_the_account_erases_it(client, auth, citizen):
    auth.login()
    issue = submitted(client, location_public="y")
    held = json.loads(client.get("/account/data.json").get_data(as_text=True))["issues"]
    assert [(i["latitude"], i["longitude"], i["location_public"]) for i in held] == [
        (49.4867, 105.9228, True)]
    response = client.post("/account/delete", data={"current_password": factories.PASSWORD,
                                                    "confirm": "y"})
    assert response.status_code == 302
    kept = db.session.get(Issue, issue.id)
    assert kept.title == "Худгийн ус бохир байна"  # the public words stay
    assert (kept.latitude, kept.longitude, kept.location_public) == (None, None, False)
    assert POSITION not in text_of(client.get(f"/issues/{issue.id}"))
