"""Finding 6 (Low): an organiser saw a moderated (hidden) issue's title through
/issues/<id>/status and /issues/<id>/department and changed its status, while /issues/<id>
was 404 for them. The same visibility rule now holds on every issue route."""

from forum_app.deliberation.services import link_issue
from forum_app.extensions import db
from forum_app.issues.models import Issue
from forum_app.moderation.services import hide_content
from tests import factories
from tests.checkin.support import event_on
from tests.deliberation.support import forum_item


def test_an_organiser_gets_404_for_a_hidden_issue_on_every_staff_route(client, auth):
    moderator = factories.user("moderator@example.mn", roles=("moderator",))
    issue = factories.issue(title="Нууцлагдсан гарчиг")
    hide_content(moderator, issue, "Хувийн мэдээлэл агуулсан")
    status = issue.status
    factories.user("organiser@example.mn", roles=("organiser",))
    auth.login("organiser@example.mn")
    assert client.get(f"/issues/{issue.id}").status_code == 404
    for path in (f"/issues/{issue.id}/status", f"/issues/{issue.id}/department"):
        page = client.get(path)
        assert page.status_code == 404
        assert "Нууцлагдсан гарчиг" not in page.get_data(as_text=True)
    moved = client.post(f"/issues/{issue.id}/status",
                        data={"move-to_status": "rejected", "move-reason": "Хаав"})
    assert moved.status_code == 404
    db.session.expire_all()
    assert db.session.get(Issue, issue.id).status == status


def test_an_official_still_handles_a_hidden_issue(client, auth):
    moderator = factories.user("moderator@example.mn", roles=("moderator",))
    issue = factories.issue()
    hide_content(moderator, issue, "Хувийн мэдээлэл агуулсан")
    factories.user("official@example.mn", roles=("official",), department_slug=None)
    auth.login("official@example.mn")
    assert client.get(f"/issues/{issue.id}/status").status_code == 200


def test_an_issue_hidden_after_it_went_to_the_forum_leaves_the_forum_record(client, auth):
    """Found by the authorisation matrix: the public journey of an agenda item and the
    organiser's live screen showed the title of a linked issue the moderators had hidden."""
    organiser = factories.user("organiser@example.mn", roles=("organiser",))
    item = forum_item(organiser, event_on(organiser, whole_day=True))
    issue = factories.issue(title="Нууцлагдсан гарчиг")
    link_issue(organiser, item, issue)
    journey = f"/forum/items/{item.id}"
    assert "Нууцлагдсан гарчиг" in client.get(journey).get_data(as_text=True)
    hide_content(factories.user(roles=("moderator",)), issue, "Хувийн мэдээлэл агуулсан")
    assert "Нууцлагдсан гарчиг" not in client.get(journey).get_data(as_text=True)
    auth.login("organiser@example.mn")
    live = client.get(f"/manage/events/{item.event.slug}/forum/items/{item.id}")
    assert live.status_code == 200
    assert "Нууцлагдсан гарчиг" not in live.get_data(as_text=True)
    factories.user("official@example.mn", roles=("official",))
    auth.logout()
    auth.login("official@example.mn")
    assert "Нууцлагдсан гарчиг" in client.get(journey).get_data(as_text=True)
