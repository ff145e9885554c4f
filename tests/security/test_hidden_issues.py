"""Finding 6 (Low): an organiser saw a moderated (hidden) issue's title through
/issues/<id>/status and /issues/<id>/department and changed its status, while /issues/<id>
was 404 for them. The same visibility rule now holds on every issue route."""

from forum_app.extensions import db
from forum_app.issues.models import Issue
from forum_app.moderation.services import hide_content
from tests import factories


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
