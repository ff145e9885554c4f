""""Waiting for me": what an official's department and an organiser's events are waited on
for, oldest first. A fixed number of queries; each list is cut at LIMIT with its full count."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import and_, exists, func, or_, select

from ..accounts.models import Role
from ..deliberation.models import Action, AgendaItem, Decision
from ..deliberation.stages import CLOSED_STATUSES
from ..events.models import Event, EventStaff, EventState
from ..extensions import db
from ..feedback.models import Survey, SurveyInvitation
from ..issues.models import Issue, IssueStatus, OfficialAnswer
from ..registration.models import Registration, RegistrationState

LIMIT = 50
DUE_SOON = timedelta(days=14)
SURVEY_WINDOW = timedelta(days=60)  # an event that ended longer ago no longer waits for one
SETTLED = (IssueStatus.MERGED.value, IssueStatus.DECLINED.value, IssueStatus.RESOLVED.value)


@dataclass
class EventNeeds:
    event: Event
    pending: int  # registrations awaiting approval
    survey_unsent: bool


@dataclass
class Waiting:
    issues: list[Issue] = field(default_factory=list)
    issues_total: int = 0
    actions: list[tuple[Action, int]] = field(default_factory=list)  # with its agenda item id
    actions_total: int = 0
    events: list[EventNeeds] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.issues or self.actions or self.events)


def _department_issues(waiting: Waiting, department_id: int) -> None:
    """Forwarded to the department, not settled, and not answered by it yet."""
    conditions = (Issue.department_id == department_id, Issue.status.notin_(SETTLED),
                  Issue.hidden_at.is_(None),
                  ~exists().where(OfficialAnswer.issue_id == Issue.id,
                                  OfficialAnswer.department_id == department_id))
    waiting.issues_total = db.session.scalar(select(func.count(Issue.id)).where(*conditions))
    waiting.issues = db.session.scalars(select(Issue).where(*conditions)
                                        .order_by(Issue.created_at, Issue.id).limit(LIMIT)).all()


def _department_actions(waiting: Waiting, department_id: int, today: date) -> None:
    """Open actions of the department due within DUE_SOON or overdue, earliest due first."""
    conditions = (Action.department_id == department_id, Action.due_on <= today + DUE_SOON,
                  Action.status.notin_(CLOSED_STATUSES))
    waiting.actions_total = db.session.scalar(select(func.count(Action.id)).where(*conditions))
    waiting.actions = [tuple(row) for row in db.session.execute(
        select(Action, AgendaItem.id).join(Decision, Decision.id == Action.decision_id)
        .join(AgendaItem, AgendaItem.id == Decision.agenda_item_id).where(*conditions)
        .order_by(Action.due_on, Action.id).limit(LIMIT)).all()]


def _organiser_events(waiting: Waiting, user, now: datetime) -> None:
    """Events the organiser manages with registrations to approve, or that ended lately
    without a survey sent to their attendees."""
    pending = (select(func.count(Registration.id)).where(
        Registration.event_id == Event.id,
        Registration.state == RegistrationState.PENDING_APPROVAL.value)
        .correlate(Event).scalar_subquery())
    survey_sent = exists().where(Survey.event_id == Event.id,
                                 SurveyInvitation.survey_id == Survey.id,
                                 SurveyInvitation.sent_at.is_not(None))
    unsent = and_(Event.ends_at < now, Event.ends_at >= now - SURVEY_WINDOW, ~survey_sent)
    query = (select(Event, pending, unsent).where(
        Event.state == EventState.PUBLISHED.value, or_(pending > 0, unsent))
        .order_by(Event.starts_at, Event.id).limit(LIMIT))
    if Role.ADMIN.value not in user.roles:
        query = query.where(or_(Event.created_by_id == user.id, Event.id.in_(
            select(EventStaff.event_id).where(EventStaff.user_id == user.id))))
    waiting.events = [EventNeeds(event, int(count or 0), bool(no_survey))
                      for event, count, no_survey in db.session.execute(query).all()]


def waiting_for(user, today: date, now: datetime) -> Waiting:
    waiting = Waiting()
    if user.has_role(Role.OFFICIAL.value) and user.department_id:
        _department_issues(waiting, user.department_id)
        _department_actions(waiting, user.department_id, today)
    if user.has_role(Role.ORGANISER.value):
        _organiser_events(waiting, user, now)
    return waiting
