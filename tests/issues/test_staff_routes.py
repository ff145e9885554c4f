"""The staff pages of issues: status moves, forwarding, answers, the queue and paper entry."""

import pytest
from sqlalchemy import func, select

from forum_app.audit.models import AuditEvent
from forum_app.extensions import db
from forum_app.issues.models import Issue, OfficialAnswer
from tests import factories
from tests.issues import lifecycle_support as make


@pytest.fixture
def english(client):
    client.set_cookie("lang", "en")
    return client


def login(auth, user):
    assert auth.login(user.email).status_code == 302


def moves_of(issue) -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.object_type == "Issue", AuditEvent.object_id == issue.id,
        AuditEvent.action == "issue.status"))


def test_citizens_get_403_on_every_staff_page(client, auth):
    issue = make.issue()
    login(auth, factories.user("citizen@example.mn"))
    for method, url, data in (
            ("get", "/issues/staff/queue", None),
            ("get", "/issues/staff/new", None),
            ("get", f"/issues/{issue.id}/status", None),
            ("post", f"/issues/{issue.id}/status",
             {"move-to_status": "under_review", "move-reason": "Би"}),
            ("post", f"/issues/{issue.id}/department",
             {"assign-department_id": "1", "assign-reason": "Би"}),
            ("post", f"/issues/{issue.id}/answer", {"answer-body_mn": "Хариу"})):
        assert getattr(client, method)(url, data=data).status_code == 403, url
    assert db.session.get(Issue, issue.id).status == "submitted"
    assert db.session.scalar(select(func.count(OfficialAnswer.id))) == 0


def test_guests_are_sent_to_sign_in(client):
    issue = make.issue()
    response = client.post(f"/issues/{issue.id}/status", data={"move-to_status": "declined"})
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_no_status_is_chosen_for_the_official_and_none_chosen_is_a_clear_message(english, auth):
    issue = make.issue()
    issue.status = "under_review"  # from here it may be accepted for a forum or merged
    db.session.commit()
    login(auth, make.organiser(language="en"))
    page = english.get(f"/issues/{issue.id}/status").get_data(as_text=True)
    assert 'type="radio"' in page and "checked" not in page  # nothing preselected
    # The forum and merge fields sit under their own choice, not in everyone's way.
    assert page.index('value="accepted"') < page.index('name="move-forum_event_id"')
    assert page.index('value="merged"') < page.index('name="move-merged_into_id"')
    response = english.post(f"/issues/{issue.id}/status", data={"move-reason": "Why not"})
    assert response.status_code == 422
    assert "Please choose the new status." in response.get_data(as_text=True)
    assert moves_of(issue) == 0


def test_a_move_without_a_reason_is_422_with_a_message_and_changes_nothing(english, auth):
    issue = make.issue()
    login(auth, make.organiser(language="en"))
    response = english.post(f"/issues/{issue.id}/status",
                            data={"move-to_status": "under_review", "move-reason": "  "})
    assert response.status_code == 422
    assert "Please give the reason for this step" in response.get_data(as_text=True)
    assert db.session.get(Issue, issue.id).status == "submitted" and moves_of(issue) == 0


def test_a_move_not_allowed_from_here_is_422(english, auth):
    issue = make.issue()
    login(auth, make.organiser(language="en"))
    response = english.post(f"/issues/{issue.id}/status",
                            data={"move-to_status": "resolved", "move-reason": "Done"})
    assert response.status_code == 422
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert db.session.get(Issue, issue.id).status == "submitted"


def test_the_secretariat_moves_an_issue_and_everyone_sees_the_timeline(english, auth):
    issue = make.issue(factories.user())
    login(auth, make.organiser(language="en"))
    response = english.post(f"/issues/{issue.id}/status", data={
        "move-to_status": "under_review", "move-reason": "Сонсгол хийнэ"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/issues/{issue.id}#timeline")
    auth.logout()
    page = english.get(f"/issues/{issue.id}").get_data(as_text=True)
    assert "What happened so far" in page
    assert "From “Submitted” to “Under review”" in page
    assert "Forum secretariat" in page and "Сонсгол хийнэ" in page
    assert "Staff actions" not in page  # the public sees no staff forms


def test_merging_through_the_page_links_the_other_issue(english, auth):
    duplicate, original = make.issue(), make.issue(title="Хогийн цэгийн асуудал")
    login(auth, make.organiser(language="en"))
    url = f"/issues/{duplicate.id}/status"
    response = english.post(url, data={"move-to_status": "merged", "move-reason": "Same",
                                       "move-merged_into_id": "99999"})
    assert response.status_code == 422
    assert "There is no issue with this number." in response.get_data(as_text=True)
    english.post(url, data={"move-to_status": "merged", "move-reason": "Same problem",
                            "move-merged_into_id": str(original.id)})
    page = english.get(f"/issues/{duplicate.id}").get_data(as_text=True)
    assert f'href="/issues/{original.id}"' in page and "Хогийн цэгийн асуудал" in page


def test_accepting_for_a_forum_links_the_session(english, auth):
    organiser = make.organiser(language="en")
    forum = factories.event(organiser, title_en="Darkhan City Forum: Zero Waste")
    issue = make.issue(status="under_review")
    login(auth, organiser)
    url = f"/issues/{issue.id}/status"
    response = english.post(url, data={"move-to_status": "accepted", "move-reason": "Agenda"})
    assert response.status_code == 422
    assert "Please choose the forum session" in response.get_data(as_text=True)
    english.post(url, data={"move-to_status": "accepted", "move-reason": "On the agenda",
                            "move-forum_event_id": str(forum.id)})
    page = english.get(f"/issues/{issue.id}").get_data(as_text=True)
    assert f'href="/events/{forum.slug}"' in page
    assert "Darkhan City Forum: Zero Waste" in page


def test_an_official_answers_in_both_languages(english, auth):
    issue = make.issue(factories.user())
    login(auth, make.official("water", name="Дорж Ус", language="en"))
    page = english.get(f"/issues/{issue.id}").get_data(as_text=True)
    assert "Answer for Water Supply and Sewage Authority" in page
    response = english.post(f"/issues/{issue.id}/answer",
                            data={"answer-body_mn": "", "answer-body_en": " "})
    assert response.status_code == 422
    assert "Please write the answer in Mongolian, in English, or in both." in \
        response.get_data(as_text=True)
    response = english.post(f"/issues/{issue.id}/answer", data={
        "answer-body_mn": "Шугамыг 5 сард солино.",
        "answer-body_en": "We replace the pipe in May."})
    assert response.status_code == 302
    auth.logout()
    page = english.get(f"/issues/{issue.id}").get_data(as_text=True)
    assert "Official answers" in page and "We replace the pipe in May." in page
    assert "The answer in Mongolian" in page and "Шугамыг 5 сард солино." in page
    assert "Official answer published" in page and "Дорж Ус" in page


def test_organisers_cannot_answer_and_forwarding_needs_a_reason(english, auth):
    issue = make.issue()
    login(auth, make.organiser(language="en"))
    assert english.post(f"/issues/{issue.id}/answer",
                        data={"answer-body_mn": "Хариу"}).status_code == 403
    water = factories.department("water")
    response = english.post(f"/issues/{issue.id}/department",
                            data={"assign-department_id": str(water.id), "assign-reason": ""})
    assert response.status_code == 422 and "Please give the reason" in \
        response.get_data(as_text=True)
    response = english.post(f"/issues/{issue.id}/department", data={
        "assign-department_id": str(water.id), "assign-reason": "Water pipes"})
    assert response.status_code == 302
    assert db.session.get(Issue, issue.id).department_id == water.id


def test_the_queue_shows_what_waits_for_the_officials(english, auth):
    old = make.issue(age_days=10, title="Гэрэлгүй гудамж")
    make.issue(age_days=1, title="Өчигдрийн асуудал")
    forwarded = make.issue(title="Ус алдаж байна", department_id=factories.department("water").id)
    login(auth, make.official("water", language="en"))
    page = english.get("/issues/staff/queue")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Гэрэлгүй гудамж" in text and "Өчигдрийн асуудал" not in text
    assert "Waiting for Water Supply and Sewage Authority (1)" in text
    assert f'href="/issues/{forwarded.id}"' in text and f'href="/issues/{old.id}"' in text
    assert "10 days" in text


def test_staff_type_in_an_issue_received_by_phone(english, auth):
    category = make.category()
    clerk = make.organiser(language="en")
    login(auth, clerk)
    assert english.get("/issues/staff/new").status_code == 200
    response = english.post("/issues/staff/new", data={
        "channel": "phone", "title": "Сургуулийн халаалт муу",
        "description": "3-р сургуулийн ангиуд хүйтэн байна гэж утсаар мэдэгдэв.",
        "category_id": str(category.id), "contact_name": "Дулмаа", "contact_phone": "99112233"})
    assert response.status_code == 302
    issue = db.session.scalar(select(Issue))
    assert (issue.channel, issue.entered_by_id, issue.author_id, issue.contact_phone) == (
        "phone", clerk.id, None, "99112233")
    page = english.get(f"/issues/{issue.id}").get_data(as_text=True)
    assert "Phone call, typed in by the forum secretariat" in page


def test_staff_entry_with_an_unknown_account_email_is_422(english, auth):
    category = make.category()
    login(auth, make.organiser(language="en"))
    response = english.post("/issues/staff/new", data={
        "channel": "paper", "title": "Сургуулийн халаалт муу",
        "description": "3-р сургуулийн ангиуд хүйтэн байна.", "category_id": str(category.id),
        "author_email": "nobody@example.mn"})
    assert response.status_code == 422
    assert "No account has this e-mail address." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Issue.id))) == 0


def test_timeline_times_are_shown_in_ulaanbaatar_time(english):
    from datetime import datetime

    issue = make.issue()
    issue.created_at = datetime(2026, 3, 1, 2, 30)  # UTC; 10:30 in Ulaanbaatar (UTC+8)
    db.session.commit()
    page = english.get(f"/issues/{issue.id}").get_data(as_text=True)
    timeline = page[page.index('id="timeline"'):]
    assert 'datetime="2026-03-01T02:30:00Z"' in timeline and "10:30" in timeline
