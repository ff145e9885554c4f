"""Read-side queries of the forum pages (the outcomes index and its filters are in
outcomes.py): the room's current item, the live state the phones and the projector show,
its cheap fingerprint, the public journey and the actions of a department."""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import bindparam, case, func, or_, select

from ..audit.models import AuditEvent
from ..core.forms import department_choices, district_choices
from ..events.labels import SDG_NAMES
from ..events.models import Event, EventState
from ..extensions import db
from ..i18n import local_date, localized, utcnow
from ..issues.access import can_view_issue
from .models import (
    CLOSED_STATUSES,
    Action,
    ActionStatus,
    AgendaItem,
    AgendaItemIssue,
    Ballot,
    Contribution,
    Decision,
    HandTally,
    LiveQuestion,
    ProgressUpdate,
    QuestionState,
    SolutionOption,
    Stage,
    latest_tallies_query,
    vote_counts,
)

ROOM_STATES = (QuestionState.VISIBLE.value, QuestionState.ANSWERED.value)
LIVE_STAGES = [s.value for s in Stage if s.index <= Stage.VOTING.index]


def event_items(event) -> list[AgendaItem]:
    return db.session.scalars(select(AgendaItem).where(AgendaItem.event_id == event.id)
                              .order_by(AgendaItem.position, AgendaItem.id)).all()


def current_item(event) -> AgendaItem | None:
    """The item the room is on: the live one moved last, else the first on the agenda."""
    live = db.session.scalar(select(AgendaItem).where(
        AgendaItem.event_id == event.id, AgendaItem.stage.in_(LIVE_STAGES))
        .order_by(AgendaItem.stage_changed_at.desc(), AgendaItem.id.desc()).limit(1))
    if live is not None:
        return live
    items = event_items(event)
    return items[0] if items else None


def active_options(item: AgendaItem) -> list[SolutionOption]:
    return [option for option in item.options if option.withdrawn_at is None]


def room_questions(item: AgendaItem, *, staff: bool = False, asker_key: str | None = None):
    """Questions in the room's order (pinned, then by upvotes). The room sees the approved
    ones; the asker also their own pending ones; the staff every one."""
    query = select(LiveQuestion).where(LiveQuestion.agenda_item_id == item.id)
    if not staff:
        shown = LiveQuestion.state.in_(ROOM_STATES)
        if asker_key:
            shown = or_(shown, (LiveQuestion.asker_key == asker_key)
                        & (LiveQuestion.state == QuestionState.PENDING.value))
        query = query.where(shown)
    order = case((LiveQuestion.state == QuestionState.PENDING.value, 0), else_=1)
    return db.session.scalars(query.order_by(
        order if staff else LiveQuestion.pinned.desc(), LiveQuestion.pinned.desc(),
        LiveQuestion.state == QuestionState.ANSWERED.value,
        LiveQuestion.upvote_count.desc(), LiveQuestion.id)).all()


def standing_tallies(item: AgendaItem) -> list[HandTally]:
    return db.session.scalars(latest_tallies_query(item.id)).all()


@dataclass
class OptionResult:
    option: SolutionOption
    votes: int
    hands: int
    hands_by_kind: dict = field(default_factory=dict)


def results(item: AgendaItem) -> list[OptionResult]:
    """Each active option with its ballots and, apart, its standing hand tallies."""
    counts = vote_counts(item.id)
    tallies = standing_tallies(item)
    rows = []
    for option in active_options(item):
        mine = {t.stakeholder_kind: t.count for t in tallies if t.option_id == option.id}
        rows.append(OptionResult(option, counts.get(option.id, 0), sum(mine.values()), mine))
    return rows


def fingerprint(item_id: int) -> str:
    """A cheap ETag of what the room sees: counts and latest ids, no rendering."""
    questions = select(func.count(), func.max(LiveQuestion.state_changed_at),
                       func.coalesce(func.sum(LiveQuestion.upvote_count), 0),
                       func.coalesce(func.sum(case((LiveQuestion.pinned, LiveQuestion.id),
                                                   else_=0)), 0),
                       func.coalesce(func.sum(case((LiveQuestion.state.in_(ROOM_STATES),
                                                    LiveQuestion.id), else_=0)), 0)
                       ).where(LiveQuestion.agenda_item_id == item_id)
    parts = [
        db.session.execute(select(AgendaItem.stage, AgendaItem.updated_at,
                                  AgendaItem.stage_changed_at)
                           .where(AgendaItem.id == item_id)).first(),
        db.session.execute(questions).first(),
        db.session.scalar(select(func.coalesce(func.sum(Ballot.weight), 0) * 1000
                                 + func.count()).where(Ballot.agenda_item_id == item_id)),
        db.session.scalar(select(func.max(HandTally.id))
                          .where(HandTally.agenda_item_id == item_id)),
        db.session.execute(select(func.count(), func.max(SolutionOption.id),
                                  func.max(SolutionOption.withdrawn_at))
                           .where(SolutionOption.agenda_item_id == item_id)).first(),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


# --- the journey -----------------------------------------------------------------------------

@dataclass
class Step:
    at: datetime
    kind: str
    event: AuditEvent | None = None
    row: object = None


def _history(pairs: list[tuple[str, list[int]]]) -> list[AuditEvent]:
    clauses = [(AuditEvent.object_type == kind) & AuditEvent.object_id.in_(ids)
               for kind, ids in pairs if ids]
    if not clauses:
        return []
    return db.session.scalars(select(AuditEvent).where(or_(*clauses))
                              .order_by(AuditEvent.id)).all()


def visible_links(item: AgendaItem, viewer) -> list[AgendaItemIssue]:
    """The item's linked issues that `viewer` may see: an issue hidden by the moderators after
    it was taken to the forum stays out of the record's pages, as it does everywhere else
    (issues.access.can_view_issue)."""
    return [link for link in item.issue_links if can_view_issue(viewer, link.issue)]


def journey(item: AgendaItem, viewer) -> list[Step]:
    """The public path of the item, oldest first: the citizens' issues (those the viewer may
    see), then every entry of the append-only history (stages, options, decision, actions,
    progress)."""
    steps = [Step(link.issue.created_at, "issue", row=link.issue)
             for link in visible_links(item, viewer)]
    decision = item.decision
    actions = decision.actions if decision else []
    pairs = [("AgendaItem", [item.id]), ("SolutionOption", [o.id for o in item.options]),
             ("Decision", [decision.id] if decision else []),
             ("Action", [a.id for a in actions])]
    updates = {u.id: u for a in actions for u in a.updates}
    for entry in _history(pairs):
        if entry.action == "agenda.hand_tally":
            continue  # shown with the vote counts
        row = updates.get((entry.after or {}).get("update_id")) \
            if entry.action == "action.progress" else None
        steps.append(Step(entry.created_at, entry.action, event=entry, row=row))
    return sorted(steps, key=lambda step: step.at)


def public_contributions(item: AgendaItem) -> list[Contribution]:
    return [c for c in item.contributions if c.hidden_at is None]


# Built once: every issue page asks it.
_ITEMS_OF_ISSUE = (
    select(AgendaItem).join(AgendaItemIssue).join(Event, Event.id == AgendaItem.event_id)
    .where(AgendaItemIssue.issue_id == bindparam("issue_id"),
           Event.state != EventState.DRAFT.value)
    .order_by(AgendaItem.id))


def items_of_issue(issue_id: int) -> list[AgendaItem]:
    """The agenda items an issue was taken to, of events the public can see."""
    return db.session.scalars(_ITEMS_OF_ISSUE, {"issue_id": issue_id}).all()


# --- officials -------------------------------------------------------------------------------

def department_actions(department_id: int | None, *, everything: bool = False) -> list[Action]:
    """The actions of a department (all of them for an admin), overdue and due first."""
    query = select(Action).join(Decision).join(AgendaItem)
    if not everything:
        query = query.where(Action.department_id == department_id)
    return db.session.scalars(query.order_by(
        case((Action.status.in_(CLOSED_STATUSES), 1), else_=0),
        Action.due_on, Action.id)).all()


def today():
    return local_date(utcnow())


def latest_update(action: Action) -> ProgressUpdate | None:
    return action.updates[-1] if action.updates else None


# --- the outcomes index's filter choices (the filtering itself is outcomes.parse_filters) ----

def filter_choices() -> dict:
    """(value, label) pairs for the outcomes filters, in the values parse_filters reads."""
    events = db.session.execute(
        select(Event).where(Event.state != EventState.DRAFT.value,
                            Event.id.in_(select(AgendaItem.event_id)))
        .order_by(Event.starts_at.desc())).scalars().all()
    return {
        "stage": [(s.value, s.label) for s in Stage],
        "status": [(s.value, s.label) for s in ActionStatus],
        "department": department_choices()[1:],
        "district": district_choices()[1:],
        "event": [(e.slug, localized(e, "title")) for e in events],
        "sdg": [(str(n), f"{n}. {name}") for n, name in enumerate(SDG_NAMES, 1)],
    }
