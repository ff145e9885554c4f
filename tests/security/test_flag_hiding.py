"""Finding 5 (Low-medium): three fresh, unverified sign-ups flagged an issue and the public
got 404. Only confirmed accounts' flags hide; an issue with an official answer or many
supports stays visible and waits in the moderators' queue."""

from forum_app.extensions import db
from forum_app.issues.lifecycle import post_answer
from forum_app.issues.models import Issue
from forum_app.moderation.services import is_pending
from tests import factories


def flag_as(app, email: str, issue: Issue, *, verified: bool) -> int:
    factories.user(email, verified=verified)
    client = app.test_client()
    client.post("/account/login", data={"email": email, "password": factories.PASSWORD})
    return client.post(f"/moderation/flag/issue/{issue.id}",
                       data={"reason": "spam", "note": ""}).status_code


def reload(issue: Issue) -> Issue:
    db.session.expire_all()
    return db.session.get(Issue, issue.id)


def test_throwaway_accounts_cannot_hide_an_issue(app, client):
    issue = factories.issue()
    for n in range(3):
        assert flag_as(app, f"throwaway{n}@evil.example", issue, verified=False) == 302
    assert client.get(f"/issues/{issue.id}").status_code == 200
    assert is_pending(reload(issue))  # the moderators still see the reports


def test_confirmed_accounts_hide_until_review(app, client):
    issue = factories.issue()
    for n in range(3):
        flag_as(app, f"neighbour{n}@example.mn", issue, verified=True)
    assert client.get(f"/issues/{issue.id}").status_code == 404


def test_an_answered_issue_stays_visible_and_waits_for_the_moderators(app, client):
    issue = factories.issue()
    official = factories.user("official@example.mn", roles=("official",),
                              department_slug="environment")
    post_answer(official, issue, "Ажил эхэлсэн.", None)
    for n in range(3):
        flag_as(app, f"neighbour{n}@example.mn", issue, verified=True)
    assert client.get(f"/issues/{issue.id}").status_code == 200
    assert is_pending(reload(issue))
