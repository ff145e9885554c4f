"""Reading the outcomes: agenda items with their decision and actions, filtered and paged by
keyset, in a fixed number of queries; an item's options with live counts, its standing hand
tallies and its history. Shared by the JSON API and the outcomes pages, so both filter alike.
"""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, or_, select

from ..accounts.models import Role
from ..audit.models import AuditEvent
from ..core.models import Department
from ..database import API_PAGE_SIZE, MAX_ID, OrderKey, seek
from ..events.models import Event, EventState
from ..extensions import db
from ..issues.models import Issue, IssueSdg
from .models import (
    Action,
    ActionStatus,
    AgendaItem,
    AgendaItemIssue,
    Ballot,
    BallotReceipt,
    Decision,
    SolutionOption,
    Stage,
    latest_tallies_query,
    vote_counts,
)

MAX_TEXT_FILTER = 120
# The query string's filters (parse_filters), as the web page and the API keep them in links.
FILTER_NAMES = ("stage", "status", "department", "event", "sdg", "district", "overdue")


@dataclass
class OutcomeFilters:
    stage: str | None = None
    status: str | None = None  # of an action
    department_id: int | None = None  # of an action
    event_id: int | None = None
    overdue: bool = False  # has an overdue action
    sdg: int | None = None  # of a linked citizen issue
    district_id: int | None = None  # of a linked citizen issue


@dataclass
class Outcome:
    item: AgendaItem
    decision: Decision | None
    actions: list[Action] = field(default_factory=list)


def _id_or_slug(model, value: str) -> int | None:
    """A row named by its id or its slug; None when there is none."""
    value = value.strip()[:MAX_TEXT_FILTER]
    if value.isascii() and value.isdigit():
        number = int(value)
        return number if 0 < number <= MAX_ID and db.session.get(model, number) else None
    return db.session.scalar(select(model.id).where(model.slug == value))


def parse_filters(args) -> tuple[OutcomeFilters, dict]:
    """Filters from a query string (?stage, status, department, event, overdue, sdg,
    district); errors maps each bad one to its message."""
    filters, errors = OutcomeFilters(), {}
    stage, status = args.get("stage"), args.get("status")
    if stage:
        if stage in {s.value for s in Stage}:
            filters.stage = stage
        else:
            errors["stage"] = _l("Please choose a stage from the list.")
    if status:
        if status in {s.value for s in ActionStatus}:
            filters.status = status
        else:
            errors["status"] = _l("Please choose a status from the list.")
    for name, model, attribute in (("department", Department, "department_id"),
                                   ("event", Event, "event_id")):
        if args.get(name):
            found = _id_or_slug(model, args.get(name))
            if found is None:
                errors[name] = _l("There is nothing with this id or name.")
            setattr(filters, attribute, found)
    if args.get("district"):
        from_text = args.get("district").strip()
        number = int(from_text) if from_text.isascii() and from_text.isdigit() \
            and len(from_text) < 10 else None
        if number is None:
            errors["district"] = _l("There is nothing with this id or name.")
        filters.district_id = number
    if args.get("sdg"):
        sdg = args.get("sdg").strip()
        if sdg.isascii() and sdg.isdigit() and 1 <= int(sdg) <= 17:
            filters.sdg = int(sdg)
        else:
            errors["sdg"] = _l("Please choose a goal from 1 to 17.")
    overdue = args.get("overdue")
    if overdue not in (None, "", "0", "1"):
        errors["overdue"] = _l("Please give 1 or 0.")
    filters.overdue = overdue == "1"
    return filters, errors


def _conditions(filters: OutcomeFilters, today: date) -> list:
    conditions = []
    if filters.stage:
        conditions.append(AgendaItem.stage == filters.stage)
    if filters.event_id:
        conditions.append(AgendaItem.event_id == filters.event_id)
    action_conditions = []
    if filters.status:
        action_conditions.append(Action.status == filters.status)
    if filters.department_id:
        action_conditions.append(Action.department_id == filters.department_id)
    if filters.overdue:
        action_conditions.append(Action.overdue_clause(today))
    if action_conditions:
        conditions.append(exists().where(
            Decision.agenda_item_id == AgendaItem.id, Action.decision_id == Decision.id,
            *action_conditions))
    issue_conditions = []
    if filters.sdg:
        issue_conditions.append(exists().where(IssueSdg.issue_id == Issue.id,
                                               IssueSdg.sdg == filters.sdg))
    if filters.district_id:
        issue_conditions.append(Issue.district_id == filters.district_id)
    if issue_conditions:
        conditions.append(exists().where(
            AgendaItemIssue.agenda_item_id == AgendaItem.id,
            Issue.id == AgendaItemIssue.issue_id, *issue_conditions))
    return conditions


def visible_items():
    """Agenda items of events the public can see."""
    return (select(AgendaItem).join(Event, Event.id == AgendaItem.event_id)
            .where(Event.state != EventState.DRAFT.value))


# The outcomes list's order (newest items first) and its name in its cursors (core.cursors).
OUTCOMES_ORDER = (OrderKey(AgendaItem.id, descending=True),)
OUTCOMES_LIST = "outcomes"


def outcomes_page(filters: OutcomeFilters, today: date, after: tuple | None = None,
                  size: int | None = None) -> tuple[list[Outcome], tuple | None]:
    """Newest items first, after the position `after` (database.seek); (outcomes, the
    position to continue after, or None at the end). Four queries whatever the page holds."""
    query = visible_items().where(*_conditions(filters, today))
    items, last = seek(query, OUTCOMES_ORDER, after=after, per_page=size or API_PAGE_SIZE)
    return outcomes_of(items), last


def outcomes_of(items: list[AgendaItem]) -> list[Outcome]:
    ids = [item.id for item in items]
    decisions = {d.agenda_item_id: d for d in db.session.scalars(
        select(Decision).where(Decision.agenda_item_id.in_(ids)))} if ids else {}
    actions: dict[int, list[Action]] = {}
    if decisions:
        for action in db.session.scalars(select(Action).where(
                Action.decision_id.in_([d.id for d in decisions.values()]))
                .order_by(Action.id)):
            actions.setdefault(action.decision_id, []).append(action)
    return [Outcome(item, decisions.get(item.id),
                    actions.get(decisions[item.id].id, []) if item.id in decisions else [])
            for item in items]


def options_with_votes(item: AgendaItem) -> list[tuple[SolutionOption, int]]:
    """The item's options on the ballot (withdrawn ones left out) and their live counts."""
    counts = vote_counts(item.id)
    return [(option, counts.get(option.id, 0)) for option in item.options
            if option.withdrawn_at is None]


def standing_tallies(item: AgendaItem):
    return db.session.scalars(latest_tallies_query(item.id)).all()


@dataclass
class HistoryEntry:
    at: object
    actor: str | None
    what: str
    before: object
    after: object
    reason: str | None


def _value(values: dict | None):
    """A one-field change reads as its value ("problem" -> "discussion")."""
    if isinstance(values, dict) and len(values) == 1:
        return next(iter(values.values()))
    return values


def history(item: AgendaItem) -> list[HistoryEntry]:
    """Every recorded change of the item, its options, decision and actions, oldest first.
    Officials are named; other staff appear as the forum secretariat. Two queries."""
    decision = db.session.scalar(select(Decision).where(Decision.agenda_item_id == item.id))
    keys = [("AgendaItem", [item.id]),
            ("SolutionOption", [o.id for o in item.options])]
    if decision is not None:
        keys += [("Decision", [decision.id]), ("Action", [a.id for a in decision.actions])]
    events = db.session.scalars(select(AuditEvent).where(or_(*(
        and_(AuditEvent.object_type == kind, AuditEvent.object_id.in_(ids))
        for kind, ids in keys if ids))).order_by(AuditEvent.created_at, AuditEvent.id)).all()
    entries = []
    for event in events:
        actor = event.actor
        official = actor is not None and Role.OFFICIAL.value in {r.role for r in actor.role_rows}
        entries.append(HistoryEntry(
            at=event.created_at,
            actor=actor.name if official else ("secretariat" if actor else None),
            what=event.action, before=_value(event.before), after=_value(event.after),
            reason=event.reason))
    return entries


@dataclass
class BallotFigures:
    """The numbers the minutes set side by side: who voted (receipts, by channel) and what
    the box holds (ballots counted, changed votes taken back). Voters == ballots unless
    something is wrong, and then the minutes say so."""

    voters: int
    by_channel: dict[str, int]
    ballots: int
    changed: int

    @property
    def reconciled(self) -> bool:
        return self.voters == self.ballots


def ballot_figures(item: AgendaItem) -> BallotFigures:
    channels = dict(db.session.execute(
        select(BallotReceipt.channel, func.count(BallotReceipt.id))
        .where(BallotReceipt.agenda_item_id == item.id).group_by(BallotReceipt.channel)).all())
    total, changed = db.session.execute(
        select(func.coalesce(func.sum(Ballot.weight), 0),
               func.count(Ballot.key).filter(Ballot.weight < 0))
        .where(Ballot.agenda_item_id == item.id)).one()
    return BallotFigures(voters=sum(channels.values()), by_channel=channels,
                         ballots=int(total), changed=int(changed))
