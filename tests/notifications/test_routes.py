"""The notifications page, its unread count in the header, and the preferences form."""

from sqlalchemy import select

from forum_app.extensions import db
from forum_app.issues import lifecycle
from forum_app.notifications.models import Notification, NotificationPreference
from tests import factories
from tests.issues import lifecycle_support as make


def login(auth, user):
    assert auth.login(user.email).status_code == 302


def test_the_page_lists_updates_and_the_header_counts_unread(client, auth):
    author = factories.user("bat@example.mn", language="en")
    issue = make.issue(author, title="Гудамжны гэрэл асахгүй")
    lifecycle.move_issue(make.organiser(), issue, "under_review", None,
                         reason_en="Checking with the utility")
    lifecycle.post_answer(make.official("city-services"), issue, None, "Fixed on Monday.")
    login(auth, author)
    home = client.get("/").get_data(as_text=True)
    assert '2<span class="visually-hidden"> unread</span>' in home
    page = client.get("/notifications/").get_data(as_text=True)
    assert page.count("Гудамжны гэрэл асахгүй") >= 2
    assert "The status changed from “Submitted” to “Under review”." in page
    assert 'Why:</strong> <span lang="en">Checking with the utility</span>' in page
    assert "Department of Public Utilities and City Services published an answer." in page
    assert f'href="/issues/{issue.id}"' in page

    response = client.post("/notifications/read")
    assert response.status_code == 302
    assert all(n.read_at for n in db.session.scalars(select(Notification)))
    assert "visually-hidden\"> unread" not in client.get("/").get_data(as_text=True)


def test_a_get_changes_nothing_and_others_notices_stay_private(client, auth):
    author, other = factories.user(language="en"), factories.user(language="en")
    lifecycle.move_issue(make.organiser(), make.issue(author, title="Миний асуудал"),
                         "under_review", "Шалгая")
    login(auth, other)
    assert "Миний асуудал" not in client.get("/notifications/").get_data(as_text=True)
    client.post("/notifications/read")
    assert db.session.scalar(select(Notification)).read_at is None


def test_guests_are_sent_to_sign_in(client):
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_preferences_are_saved_and_bad_choices_get_422(client, auth):
    user = factories.user(language="en")
    login(auth, user)
    page = client.get("/notifications/preferences").get_data(as_text=True)
    assert '<input checked id="email-0" name="email"' in page
    response = client.post("/notifications/preferences", data={"email": "hourly"})
    assert response.status_code == 422
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert db.session.scalar(select(NotificationPreference)) is None
    response = client.post("/notifications/preferences", data={"email": "daily"})
    assert response.status_code == 302
    saved = db.session.scalar(select(NotificationPreference))
    assert (saved.user_id, saved.email, saved.in_app) == (user.id, "daily", False)
    client.post("/notifications/preferences", data={"email": "off", "in_app": "y"})
    db.session.refresh(saved)
    assert (saved.email, saved.in_app) == ("off", True)


def test_moderation_notices_show_on_the_same_page(client, auth):
    author = factories.user(language="en")
    issue = make.issue(author, title="Миний асуудал")
    db.session.add(Notification(  # as forum_app.moderation writes them
        user_id=author.id, kind="moderation.hidden", object_type="comment", object_id=7,
        payload={"reason": "Personal phone number", "issue_id": issue.id,
                 "title": "Миний асуудал", "target_type": "comment"}))
    db.session.commit()
    login(auth, author)
    page = client.get("/notifications/").get_data(as_text=True)
    assert "The moderators hid your comment." in page
    assert "Personal phone number" in page and f'href="/issues/{issue.id}"' in page
