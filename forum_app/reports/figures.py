"""The figures of a period: events, attendance, who took part, citizen issues, answers,
decisions, actions and feedback. Aggregate SQL (GROUP BY): the same number of queries
whatever the size of the data.

Scope, stated once: events held are published events that start in the period (kind filter
applies); registrations are the confirmed ones of those events, checked in the distinct ones
with a standing admission; issues are those submitted in the period and not hidden (the kind
filter does not apply to them); decisions are those taken in the period at events of the kind;
actions are those due in the period; overdue is computed against Darkhan's today."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from statistics import median
from time import monotonic

from flask import current_app
from sqlalchemy import String, and_, case, cast, exists, func, select

from ..checkin.models import ADMITTED_STANDING, CheckIn
from ..core.models import Department, District
from ..deliberation.models import Action, AgendaItem, Decision, ProgressUpdate
from ..deliberation.stages import CLOSED_STATUSES, ActionStatus
from ..events.models import Event, EventState
from ..extensions import db
from ..feedback.models import (
    RATING_VALUES,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyQuestionKind,
    SurveyResponse,
)
from ..i18n import local_date
from ..issues.models import Category, Issue, IssueSdg, OfficialAnswer
from ..registration.models import Registration, RegistrationState, Ticket
from .dialect import days_between, local_day, local_month
from .periods import Period

PEOPLE = ("stakeholder_kind", "gender", "age_band", "district")


@dataclass
class DepartmentActions:
    total: int = 0
    done: int = 0
    on_time: int = 0
    overdue: int = 0


@dataclass
class EventFeedback:
    event_id: int
    title_mn: str | None
    title_en: str | None
    responses: int
    average: float | None  # of every rating answer, two decimals


@dataclass
class Figures:
    period: Period
    events_held: int = 0
    registrations: int = 0
    checked_in: int = 0
    # who took part (checked in): breakdown -> {key: count}; None keys are "not given"
    people: dict[str, dict] = field(default_factory=dict)
    issues_total: int = 0
    issues_by_status: dict[str, int] = field(default_factory=dict)
    issues_by_category: dict[int, int] = field(default_factory=dict)
    issues_by_district: dict[int | None, int] = field(default_factory=dict)
    issues_by_sdg: dict[int, int] = field(default_factory=dict)
    unanswered: int = 0
    median_days_to_first_answer: float | None = None
    median_days_by_department: dict[int, float] = field(default_factory=dict)
    decisions: int = 0
    actions: dict[int, DepartmentActions] = field(default_factory=dict)  # by department id
    feedback: list[EventFeedback] = field(default_factory=list)
    trend: dict[str, dict[str, int]] = field(default_factory=dict)  # month -> figure -> n
    departments: dict[int, Department] = field(default_factory=dict)
    districts: dict[int, District] = field(default_factory=dict)
    categories: dict[int, Category] = field(default_factory=dict)

    @property
    def no_show_rate(self) -> float | None:
        """The share of confirmed registrations not checked in, 0..1 (None: nobody)."""
        if not self.registrations:
            return None
        return round((self.registrations - self.checked_in) / self.registrations, 4)

    @property
    def action_totals(self) -> DepartmentActions:
        total = DepartmentActions()
        for row in self.actions.values():
            total.total += row.total
            total.done += row.done
            total.on_time += row.on_time
            total.overdue += row.overdue
        return total


def _held(period: Period):
    query = select(Event.id).where(Event.state == EventState.PUBLISHED.value,
                                   Event.starts_at >= period.utc_start,
                                   Event.starts_at < period.utc_end)
    if period.kind:
        query = query.where(Event.kind == period.kind)
    return query


def _attendance(figures: Figures, held, per_event: dict[int, int]) -> None:
    """Confirmed registrations (from the per-event counts) and who of them was admitted,
    by stakeholder kind, gender, age band and district. Read from the registrations' own
    index and the standing admissions' index (an admitted check-in is always for its ticket's
    own event), never from every check-in row."""
    figures.registrations = sum(per_event.values())
    admitted = exists().where(CheckIn.ticket_id == Ticket.id, ADMITTED_STANDING)
    rows = db.session.execute(
        select(Registration.stakeholder_kind, Registration.gender, Registration.age_band,
               Registration.district_id, func.count(Registration.id))
        .join(Ticket, Ticket.registration_id == Registration.id)
        .where(Registration.event_id.in_(held),
               Registration.state == RegistrationState.CONFIRMED.value, admitted)
        .group_by(Registration.stakeholder_kind, Registration.gender, Registration.age_band,
                  Registration.district_id)).all()
    people = {name: Counter() for name in PEOPLE}
    for kind, gender, age_band, district_id, count in rows:
        for name, key in zip(PEOPLE, (kind, gender, age_band, district_id), strict=True):
            people[name][key] += count
    figures.people = {name: dict(counter.most_common()) for name, counter in people.items()}
    figures.checked_in = sum(people["stakeholder_kind"].values())


def _confirmed_per_event(held) -> dict[int, int]:
    return dict(db.session.execute(
        select(Registration.event_id, func.count(Registration.id))
        .where(Registration.event_id.in_(held),
               Registration.state == RegistrationState.CONFIRMED.value)
        .group_by(Registration.event_id)).all())


def _issues(figures: Figures, period: Period) -> None:
    submitted = (Issue.created_at >= period.utc_start, Issue.created_at < period.utc_end,
                 Issue.hidden_at.is_(None))
    rows = db.session.execute(
        select(Issue.status, Issue.category_id, Issue.district_id, func.count(Issue.id))
        .where(*submitted).group_by(Issue.status, Issue.category_id, Issue.district_id)).all()
    status, category, district = Counter(), Counter(), Counter()
    for status_value, category_id, district_id, count in rows:
        status[status_value] += count
        category[category_id] += count
        district[district_id] += count
    figures.issues_total = sum(status.values())
    figures.issues_by_status = dict(status.most_common())
    figures.issues_by_category = dict(category.most_common())
    figures.issues_by_district = dict(district.most_common())
    figures.issues_by_sdg = dict(db.session.execute(
        select(IssueSdg.sdg, func.count(IssueSdg.id)).join(Issue, Issue.id == IssueSdg.issue_id)
        .where(*submitted).group_by(IssueSdg.sdg).order_by(IssueSdg.sdg)).all())
    _first_answers(figures, submitted)


def _first_answers(figures: Figures, submitted) -> None:
    """Days from submission to the first official answer: the median overall and per
    department (of that first answer); issues never answered are counted apart."""
    first = (select(OfficialAnswer.issue_id, func.min(OfficialAnswer.id).label("answer_id"))
             .group_by(OfficialAnswer.issue_id).subquery())
    tenths = func.round(days_between(OfficialAnswer.created_at, Issue.created_at) * 10)
    rows = db.session.execute(
        select(OfficialAnswer.department_id, tenths, func.count(Issue.id))
        .join(first, first.c.issue_id == Issue.id)
        .join(OfficialAnswer, OfficialAnswer.id == first.c.answer_id)
        .where(*submitted).group_by(OfficialAnswer.department_id, tenths)).all()
    overall, by_department = [], defaultdict(list)
    for department_id, tenth, count in rows:
        days = [max(float(tenth), 0.0) / 10] * count
        overall += days
        by_department[department_id] += days
    figures.unanswered = figures.issues_total - len(overall)
    figures.median_days_to_first_answer = round(median(overall), 1) if overall else None
    figures.median_days_by_department = {
        department_id: round(median(days), 1) for department_id, days in by_department.items()}


def _of_kind(period: Period) -> list:
    return [Event.kind == period.kind] if period.kind else []


def _decisions(figures: Figures, period: Period) -> None:
    figures.decisions = db.session.scalar(
        select(func.count(Decision.id))
        .join(AgendaItem, AgendaItem.id == Decision.agenda_item_id)
        .join(Event, Event.id == AgendaItem.event_id)
        .where(Decision.decided_at >= period.utc_start, Decision.decided_at < period.utc_end,
               *_of_kind(period))) or 0


def _actions(figures: Figures, period: Period, today: date) -> None:
    """Actions due in the period, per department: done (by their latest update); done on time
    (the first update that marked it done was posted on or before its due day, in Darkhan);
    overdue today (the rule of Action.overdue_clause)."""
    latest = (select(ProgressUpdate.action_id, func.max(ProgressUpdate.id).label("update_id"))
              .group_by(ProgressUpdate.action_id).subquery())
    first_done = (select(ProgressUpdate.action_id, func.min(ProgressUpdate.created_at).label("at"))
                  .where(ProgressUpdate.status == ActionStatus.DONE.value)
                  .group_by(ProgressUpdate.action_id).subquery())
    status = func.coalesce(ProgressUpdate.status, ActionStatus.PLANNED.value)
    done = status == ActionStatus.DONE.value
    counted = db.session.execute(
        select(Action.department_id, func.count(),
               func.sum(case((done, 1), else_=0)),
               func.sum(case((and_(done, local_day(first_done.c.at) <= Action.due_on), 1),
                             else_=0)),
               func.sum(case((and_(Action.due_on < today, status.notin_(CLOSED_STATUSES)), 1),
                             else_=0)))
        .select_from(Action)
        .join(Decision, Decision.id == Action.decision_id)
        .join(AgendaItem, AgendaItem.id == Decision.agenda_item_id)
        .join(Event, Event.id == AgendaItem.event_id)
        .outerjoin(latest, latest.c.action_id == Action.id)
        .outerjoin(ProgressUpdate, ProgressUpdate.id == latest.c.update_id)
        .outerjoin(first_done, first_done.c.action_id == Action.id)
        .where(Action.due_on >= period.start, Action.due_on <= period.end, *_of_kind(period))
        .group_by(Action.department_id)).all()
    figures.actions = {department_id: DepartmentActions(int(total), int(done_n or 0),
                                                        int(on_time or 0), int(overdue or 0))
                       for department_id, total, done_n, on_time, overdue in counted}


def _feedback(figures: Figures, held) -> dict[int, datetime]:
    """Feedback per event held; returns when each event held starts."""
    events = db.session.execute(
        select(Event.id, Event.title_mn, Event.title_en, Event.starts_at)
        .where(Event.id.in_(held)).order_by(Event.starts_at, Event.id)).all()
    responses = dict(db.session.execute(
        select(Survey.event_id, func.count(SurveyResponse.id))
        .join(SurveyResponse, SurveyResponse.survey_id == Survey.id)
        .where(Survey.event_id.in_(held)).group_by(Survey.event_id)).all())
    value = cast(SurveyAnswer.value, String)  # JSON has no equality on PostgreSQL
    ratings = db.session.execute(
        select(Survey.event_id, value, func.count(SurveyAnswer.id))
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .join(Survey, Survey.id == SurveyResponse.survey_id)
        .join(SurveyQuestion, SurveyQuestion.id == SurveyAnswer.question_id)
        .where(Survey.event_id.in_(held), SurveyQuestion.kind == SurveyQuestionKind.RATING.value)
        .group_by(Survey.event_id, value)).all()
    sums: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    allowed = {str(r): r for r in RATING_VALUES}
    for event_id, text, count in ratings:
        rating = allowed.get(str(text).strip().strip('"'))
        if rating is not None:
            sums[event_id][0] += rating * count
            sums[event_id][1] += count
    figures.feedback = [
        EventFeedback(event_id, title_mn, title_en, responses.get(event_id, 0),
                      round(sums[event_id][0] / sums[event_id][1], 2)
                      if sums[event_id][1] else None)
        for event_id, title_mn, title_en, _starts in events]
    return {event_id: starts_at for event_id, _mn, _en, starts_at in events}


def _trend(figures: Figures, period: Period, starts: dict[int, datetime],
           per_event: dict[int, int]) -> None:
    """Per Darkhan month: events held, confirmed registrations (both from what is already
    counted per event), issues submitted."""
    trend = {month: {"events": 0, "registrations": 0, "issues": 0} for month in period.months()}
    for event_id, starts_at in starts.items():
        month = local_date(starts_at).strftime("%Y-%m")
        if month in trend:
            trend[month]["events"] += 1
            trend[month]["registrations"] += per_event.get(event_id, 0)
    issue_month = local_month(Issue.created_at)
    for value, count in db.session.execute(
            select(issue_month, func.count(Issue.id))
            .where(Issue.created_at >= period.utc_start, Issue.created_at < period.utc_end,
                   Issue.hidden_at.is_(None)).group_by(issue_month)).all():
        if value in trend:
            trend[value]["issues"] = count
    figures.trend = trend


def _counted(period: Period, today: date) -> Figures:
    figures = Figures(period)
    held = _held(period)
    starts = _feedback(figures, held)
    figures.events_held = len(figures.feedback)  # one row per event held
    per_event = _confirmed_per_event(held)
    _attendance(figures, held, per_event)
    _issues(figures, period)
    _decisions(figures, period)
    _actions(figures, period, today)
    _trend(figures, period, starts, per_event)
    return figures


_recent: dict[tuple, tuple[float, Figures]] = {}
RECENT_KEPT = 64  # periods remembered per worker


def _recently_counted(period: Period, today: date) -> Figures:
    """The figures of the period, counted again only when older than REPORTS_CACHE_SECONDS
    (config): a dashboard that several officials open costs one count a minute."""
    seconds = current_app.config.get("REPORTS_CACHE_SECONDS", 0)
    key = (period.start, period.end, period.kind, today)
    found = _recent.get(key)
    if seconds and found and monotonic() - found[0] < seconds:
        return replace(found[1])
    figures = _counted(period, today)
    if seconds:
        if len(_recent) >= RECENT_KEPT:
            _recent.pop(min(_recent, key=lambda k: _recent[k][0]), None)
        _recent[key] = (monotonic(), replace(figures))
    return figures


def figures_for(period: Period, today: date) -> Figures:
    figures = _recently_counted(period, today)
    figures.departments = {d.id: d for d in db.session.scalars(select(Department))}
    figures.districts = {d.id: d for d in db.session.scalars(select(District))}
    figures.categories = {c.id: c for c in db.session.scalars(select(Category))}
    return figures
