"""'Waiting for me': an official's unanswered issues and due actions, an organiser's events."""

from datetime import timedelta

import pytest

from forum_app.deliberation import services as forum
from forum_app.extensions import db
from forum_app.issues.lifecycle import assign_department, post_answer
from forum_app.reports.waiting import waiting_for
from tests import factories
from tests.support import text_of

from .support import action, decided, event_on, issue_at, local, official, person, today


@pytest.fixture
def organiser(app):
    return factories.user("org@example.mn", roles=["organiser"])


def _now():
    from forum_app.i18n import utcnow

    return utcnow()


def test_official_sees_issues_and_actions_oldest_first(organiser):
    lead = official("environment")
    day = today()
    newer = issue_at(day - timedelta(days=1), 10, title="Шинэ асуудал")
    older = issue_at(day - timedelta(days=5), 10, title="Хуучин асуудал")
    answered = issue_at(day - timedelta(days=9), 10, title="Хариулсан асуудал")
    elsewhere = issue_at(day - timedelta(days=9), 10, title="Өөр газрын асуудал")
    for issue in (newer, older, answered):
        assign_department(organiser, issue, factories.department("environment"), "Шилжүүлэв")
    assign_department(organiser, elsewhere, factories.department("water"), "Шилжүүлэв")
    post_answer(lead, answered, "Хариулт", None)

    decision = decided(organiser, event_on(organiser, whole_day=True))
    late = action(organiser, decision, day - timedelta(days=3))
    soon = action(organiser, decision, day + timedelta(days=3))
    action(organiser, decision, day + timedelta(days=60))  # not yet
    finished = action(organiser, decision, day - timedelta(days=10))
    forum.post_progress(lead, finished, "done", 100)
    action(organiser, decision, day, department_slug="water")

    waiting = waiting_for(lead, day, _now())
    assert [issue.id for issue in waiting.issues] == [older.id, newer.id]
    assert [row[0].id for row in waiting.actions] == [late.id, soon.id]
    assert waiting.events == []


def test_organiser_sees_events_that_need_them(organiser):
    approval = event_on(organiser, whole_day=True, registration_mode="approval")
    person(approval)
    person(approval)
    past = factories.event(organiser, starts_at=local(today() - timedelta(days=3), 9),
                           ends_at=local(today() - timedelta(days=3), 12))
    factories.event(starts_at=local(today() - timedelta(days=3), 9),
                    ends_at=local(today() - timedelta(days=3), 12))  # someone else's
    waiting = waiting_for(organiser, today(), _now())
    needs = {need.event.id: need for need in waiting.events}
    assert set(needs) == {approval.id, past.id}
    assert needs[approval.id].pending == 2 and not needs[approval.id].survey_unsent
    assert needs[past.id].survey_unsent and needs[past.id].pending == 0


def test_waiting_page_for_officials_and_the_header_link(client, auth, organiser):
    lead = official("environment")
    issue = issue_at(today(), 8, title="Усны шугам гоожиж байна")
    assign_department(organiser, issue, factories.department("environment"), "Шилжүүлэв")
    db.session.commit()
    auth.login(lead.email)
    home = client.get("/")
    assert "/reports/waiting" in home.get_data(as_text=True)
    page = client.get("/reports/waiting")
    assert page.status_code == 200 and "Усны шугам гоожиж байна" in text_of(page)


def test_waiting_page_is_for_staff_only(client, auth):
    assert client.get("/reports/waiting").status_code in (302, 401)
    citizen = factories.user()
    auth.login(citizen.email)
    assert client.get("/reports/waiting").status_code == 403
    assert "/reports/waiting" not in client.get("/").get_data(as_text=True)
