"""Each figure of the dashboard against data built here."""

from datetime import date, timedelta

import pytest

from forum_app.deliberation import services as forum
from forum_app.extensions import db
from forum_app.reports.figures import figures_for
from forum_app.reports.periods import Period, parse_period
from tests import factories
from tests.support import counted_queries

from .support import (
    action,
    admitted,
    answered_issue,
    decided,
    event_on,
    issue_at,
    local,
    official,
    person,
    rated,
    today,
)


@pytest.fixture
def organiser(app):
    return factories.user(roles=["organiser"])


def test_no_events_no_figures(app):
    figures = figures_for(Period(date(2001, 1, 1), date(2001, 12, 31)), today())
    assert (figures.events_held, figures.registrations, figures.checked_in) == (0, 0, 0)
    assert figures.no_show_rate is None
    assert figures.median_days_to_first_answer is None
    assert figures.decisions == 0 and figures.actions == {} and figures.feedback == []
    assert set(figures.trend) == {f"2001-{m:02d}" for m in range(1, 13)}


def test_attendance_people_and_no_shows(organiser):
    forum_event = event_on(organiser, whole_day=True)
    admitted(forum_event, organiser, gender="female", age_band="25-34",
             district_id=factories.district().id)
    admitted(forum_event, organiser, stakeholder_kind="business", gender="male")
    person(forum_event)  # registered, never came
    training = event_on(organiser, whole_day=True, kind="training")
    person(training)
    person(training)
    event_on(organiser, whole_day=True, publish=False)  # a draft is not held

    day = today()
    figures = figures_for(Period(day, day), day)
    assert (figures.events_held, figures.registrations, figures.checked_in) == (2, 5, 2)
    assert figures.no_show_rate == 0.6
    assert figures.people["stakeholder_kind"] == {"citizen": 1, "business": 1}
    assert figures.people["gender"] == {"female": 1, "male": 1}
    assert figures.people["district"] == {factories.district().id: 1, None: 1}

    no_check_ins = figures_for(Period(day, day, "training"), day)
    assert (no_check_ins.events_held, no_check_ins.registrations,
            no_check_ins.checked_in) == (1, 2, 0)
    assert no_check_ins.no_show_rate == 1.0
    assert no_check_ins.people["gender"] == {}


def test_an_event_counts_on_its_darkhan_day(organiser):
    day = date(2026, 3, 10)
    # 00:30 on the 10th in Darkhan is 16:30 on the 9th in UTC
    early = factories.event(organiser, starts_at=local(day, 0, 30),
                            ends_at=local(day, 3))
    assert early.starts_at.date() == date(2026, 3, 9)
    assert figures_for(Period(day, day), day).events_held == 1
    assert figures_for(Period(day - timedelta(days=1), day - timedelta(days=1)),
                       day).events_held == 0


def test_issues_by_status_category_district_sdg_across_darkhan_midnight(app):
    day = date(2026, 3, 10)
    # 23:30 on the 9th and 00:30 on the 10th in Darkhan: both on the 9th in UTC.
    late = issue_at(day - timedelta(days=1), 23, 30, sdgs=[6])
    early = issue_at(day, 0, 30, district_id=factories.district().id, sdgs=[11, 6],
                     category_slug="education-youth")
    assert late.created_at.date() == early.created_at.date() == date(2026, 3, 9)

    figures = figures_for(Period(day, day), day)
    assert figures.issues_total == 1
    assert figures.issues_by_status == {"submitted": 1}
    assert figures.issues_by_category == {early.category_id: 1}
    assert figures.issues_by_district == {factories.district().id: 1}
    assert figures.issues_by_sdg == {6: 1, 11: 1}
    before = figures_for(Period(day - timedelta(days=1), day - timedelta(days=1)), day)
    assert before.issues_total == 1 and before.issues_by_district == {None: 1}
    assert figures_for(Period(day - timedelta(days=1), day), day).issues_by_sdg == {6: 2, 11: 1}


def test_median_days_to_first_answer_per_department(app):
    day = date(2026, 4, 1)
    environment, roads = official("environment"), official("water")
    answered_issue(environment, day, 1)
    answered_issue(environment, day, 3)
    answered_issue(environment, day, 8)
    answered_issue(roads, day, 2.5)
    issue_at(day, 12)  # never answered

    figures = figures_for(Period(day, day), day)
    assert figures.unanswered == 1
    assert figures.median_days_to_first_answer == 2.8
    assert figures.median_days_by_department == {
        factories.department("environment").id: 3.0, factories.department("water").id: 2.5}


def test_a_later_answer_does_not_change_the_first(app):
    day = date(2026, 4, 1)
    environment = official("environment")
    issue = answered_issue(environment, day, 2)
    from forum_app.issues.lifecycle import post_answer

    post_answer(official("water"), issue, "Дахин хариулт", None)
    figures = figures_for(Period(day, day), day)
    assert figures.median_days_by_department == {factories.department("environment").id: 2.0}


def test_decisions_and_actions_done_on_time_overdue(organiser):
    day = today()
    forum_event = event_on(organiser, whole_day=True)
    decision = decided(organiser, forum_event)
    lead = official("environment")
    yesterday = day - timedelta(days=1)
    overdue = action(organiser, decision, yesterday)
    on_time = action(organiser, decision, day)
    late = action(organiser, decision, yesterday)
    action(organiser, decision, day + timedelta(days=30))  # due after the period
    forum.post_progress(lead, on_time, "done", 100)
    forum.post_progress(lead, late, "done", 100)
    forum.post_progress(lead, overdue, "in_progress", 40)
    # done on its due day, then the evidence added the day after: still on time
    early = action(organiser, decision, yesterday)
    forum.post_progress(lead, early, "done", 100, now=local(yesterday, 17))
    forum.post_progress(lead, early, "done", 100, note_mn="Зураг нэмэв")

    figures = figures_for(Period(yesterday, day), day)
    assert figures.decisions == 1
    row = figures.actions[factories.department("environment").id]
    assert (row.total, row.done, row.on_time, row.overdue) == (4, 3, 2, 1)
    assert figures_for(Period(yesterday, day, "training"), day).decisions == 0


def test_feedback_scores_per_event(organiser):
    day = today()
    rated_event = event_on(organiser, whole_day=True)
    rated(rated_event, [5, 4, 4])
    quiet = event_on(organiser, whole_day=True)
    figures = figures_for(Period(day, day), day)
    by_event = {row.event_id: row for row in figures.feedback}
    assert (by_event[rated_event.id].responses, by_event[rated_event.id].average) == (3, 4.33)
    assert (by_event[quiet.id].responses, by_event[quiet.id].average) == (0, None)


def test_trend_per_darkhan_month(organiser):
    factories.event(organiser, starts_at=local(date(2026, 2, 1), 0, 30),
                    ends_at=local(date(2026, 2, 1), 3))
    issue_at(date(2026, 3, 1), 0, 10)
    figures = figures_for(Period(date(2026, 1, 1), date(2026, 3, 31)), date(2026, 4, 1))
    assert figures.trend["2026-02"]["events"] == 1
    assert figures.trend["2026-01"]["events"] == 0
    assert figures.trend["2026-03"]["issues"] == 1


@pytest.mark.parametrize("args, field", [
    ({"from": "2026-13-01"}, "from"), ({"to": "yesterday"}, "to"),
    ({"from": "2026-05-01", "to": "2026-04-01"}, "to"), ({"kind": "party"}, "kind"),
    ({"from": "1900-01-01"}, "from"), ({"from": "2000-01-01", "to": "2026-01-01"}, "to")])
def test_bad_periods_name_the_field(app, args, field):
    period, errors = parse_period(args, date(2026, 6, 1))
    assert field in errors and period.start == date(2026, 1, 1)


def test_a_period_is_read_from_the_query(app):
    period, errors = parse_period({"from": "2026-03-01", "to": "2026-03-31",
                                   "kind": "training"}, date(2026, 6, 1))
    assert not errors and period == Period(date(2026, 3, 1), date(2026, 3, 31), "training")
    db.session.commit()


def test_the_number_of_queries_does_not_grow_with_the_data(organiser):
    day = today()

    def queries() -> int:
        db.session.commit()
        with counted_queries() as statements:
            figures_for(Period(day - timedelta(days=1), day), day)
        return len([s for s in statements if s != "BEGIN"])

    forum_event = event_on(organiser, whole_day=True)
    admitted(forum_event, organiser)
    few = queries()
    for _ in range(3):
        more = event_on(organiser, whole_day=True)
        admitted(more, organiser, gender="male")
        person(more)
        issue_at(day, 9)
        rated(more, [3, 4])
    decision = decided(organiser, forum_event)
    action(organiser, decision, day)
    assert queries() == few
