"""The rows of each open data file: only what the public pages show, without any person.

Issues: never a hidden one (hidden by a moderator, or by three reports while a moderator
decides); no author, contact or staff name; a position only where its author chose to make it
public. The forum record: agenda items of events the public can see, what was said (hidden
contributions left out), the options, the decision, the actions and their progress, and the
vote counts (the ballot is secret: counts only). What staff typed into the record as who
(presenter, proposer, speaker, lead, who decided) is left out, since it can name a person;
the stakeholder group and the responsible department stay.
Rows are read by id in batches, so memory does not grow with the record."""

from collections.abc import Iterator
from datetime import date, datetime

from sqlalchemy import func, select

from ..core.models import Department
from ..deliberation.models import (
    Action,
    AgendaItem,
    Contribution,
    Decision,
    DecisionOption,
    HandTally,
    ProgressUpdate,
    SolutionOption,
    vote_counts_query,
)
from ..deliberation.outcomes import visible_items
from ..extensions import db
from ..issues.models import Issue, OfficialAnswer

BATCH = 1000


def stamp(moment: datetime | date | None) -> str | None:
    """UTC times as ISO 8601 (2026-06-01T03:25:00Z); days as they are (2026-06-01)."""
    if isinstance(moment, datetime):
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return moment.isoformat() if moment is not None else None


def _batches(query, key) -> Iterator[list]:
    """The query's rows in batches ordered by `key` (a primary key), by keyset."""
    last = 0
    while True:
        rows = db.session.scalars(query.where(key > last).order_by(key).limit(BATCH)).all()
        if not rows:
            return
        yield rows
        last = getattr(rows[-1], key.key)


def _names(model) -> dict[int, object]:
    return {row.id: row for row in db.session.scalars(select(model))}


def _bilingual(row, prefix: str, field: str = "name") -> dict:
    return {f"{prefix}_mn": getattr(row, f"{field}_mn", None) if row else None,
            f"{prefix}_en": getattr(row, f"{field}_en", None) if row else None}


def withdrawals() -> str:
    """A fingerprint of what must leave the files at once, not minutes later: issues and
    contributions hidden by the moderators (or shown again), map positions taken back (an
    author's erasure), agenda items of events taken back to draft. Four small counts."""
    hidden = [db.session.execute(select(func.count(), func.max(model.hidden_at))
                                 .where(model.hidden_at.is_not(None))).one()
              for model in (Issue, Contribution)]
    positions = db.session.scalar(select(func.count()).where(Issue.location_public))
    items = db.session.scalar(select(func.count()).select_from(visible_items().subquery()))
    return repr([tuple(row) for row in hidden] + [positions, items])


def public_issues():
    return select(Issue).where(Issue.hidden_at.is_(None))


def _public_issue_ids():
    return select(Issue.id).where(Issue.hidden_at.is_(None))


def issues() -> Iterator[dict]:
    departments = _names(Department)
    for batch in _batches(public_issues(), Issue.id):
        for issue in batch:
            category, district = issue.category, issue.district
            department = departments.get(issue.department_id)
            public_place = issue.location_public and issue.has_location
            yield {
                "id": issue.id, "title": issue.title, "description": issue.description,
                "language": issue.language, "status": issue.status,
                "category": category.slug if category else None,
                **_bilingual(category, "category"),
                "district": district.slug if district else None,
                **_bilingual(district, "district"),
                "place_description": issue.place_description,
                "latitude": issue.latitude if public_place else None,
                "longitude": issue.longitude if public_place else None,
                "sdgs": issue.sdgs, "channel": issue.channel,
                "department": department.slug if department else None,
                "support_count": issue.support_count, "comment_count": issue.comment_count,
                "merged_into_id": issue.merged_into_id, "forum_event_id": issue.forum_event_id,
                "created_at": stamp(issue.created_at), "updated_at": stamp(issue.updated_at),
            }


def official_answers() -> Iterator[dict]:
    departments = _names(Department)
    query = select(OfficialAnswer).where(OfficialAnswer.issue_id.in_(_public_issue_ids()))
    for batch in _batches(query, OfficialAnswer.id):
        for answer in batch:
            department = departments.get(answer.department_id)
            yield {"id": answer.id, "issue_id": answer.issue_id,
                   "department": department.slug if department else None,
                   **_bilingual(department, "department"),
                   "body_mn": answer.body_mn, "body_en": answer.body_en,
                   "created_at": stamp(answer.created_at)}


def _item_ids():
    return visible_items().with_only_columns(AgendaItem.id)


def agenda_items() -> Iterator[dict]:
    public = set(db.session.scalars(_public_issue_ids()))
    for batch in _batches(visible_items(), AgendaItem.id):
        for item in batch:
            event = item.event
            yield {
                "id": item.id, "event_id": item.event_id, "event": event.slug,
                **_bilingual(event, "event_title", "title"),
                "position": item.position, "title_mn": item.title_mn, "title_en": item.title_en,
                "problem_mn": item.problem_mn, "problem_en": item.problem_en,
                "evidence_mn": item.evidence_mn, "evidence_en": item.evidence_en,
                "presenter_kind": item.presenter_kind, "stage": item.stage,
                "stage_changed_at": stamp(item.stage_changed_at),
                "issue_ids": [i for i in item.issue_ids if i in public],
                "created_at": stamp(item.created_at),
            }


def contributions() -> Iterator[dict]:
    query = select(Contribution).where(Contribution.hidden_at.is_(None),
                                       Contribution.agenda_item_id.in_(_item_ids()))
    for batch in _batches(query, Contribution.id):
        for row in batch:
            yield {"id": row.id, "agenda_item_id": row.agenda_item_id, "kind": row.kind,
                   "stakeholder_kind": row.stakeholder_kind, "body": row.body,
                   "language": row.language, "created_at": stamp(row.created_at)}


def solution_options() -> Iterator[dict]:
    departments = _names(Department)
    chosen = set(db.session.scalars(select(DecisionOption.option_id)))
    query = select(SolutionOption).where(SolutionOption.agenda_item_id.in_(_item_ids()))
    for batch in _batches(query, SolutionOption.id):
        for option in batch:
            department = departments.get(option.department_id)
            yield {
                "id": option.id, "agenda_item_id": option.agenda_item_id,
                "position": option.position,
                "title_mn": option.title_mn, "title_en": option.title_en,
                "description_mn": option.description_mn,
                "description_en": option.description_en,
                "proposer_kind": option.proposer_kind,
                "pros_mn": option.pros_mn, "pros_en": option.pros_en,
                "cons_mn": option.cons_mn, "cons_en": option.cons_en,
                "cost_estimate_mnt": option.cost_estimate,
                "department": department.slug if department else None,
                "feasibility_mn": option.feasibility_mn, "feasibility_en": option.feasibility_en,
                "withdrawn_at": stamp(option.withdrawn_at), "chosen": option.id in chosen,
            }


def votes() -> Iterator[dict]:
    """Per option: the secret ballot's count (options on the ballot, zero included), then the
    standing hand tallies of the room per stakeholder group."""
    item_ids = _item_ids()
    for batch in _batches(select(SolutionOption).where(
            SolutionOption.agenda_item_id.in_(item_ids),
            SolutionOption.withdrawn_at.is_(None)), SolutionOption.id):
        ids = {option.agenda_item_id for option in batch}
        counts = {option_id: int(total or 0) for _item, option_id, total
                  in db.session.execute(vote_counts_query(ids))}
        latest = (select(func.max(HandTally.id))
                  .where(HandTally.option_id.in_([option.id for option in batch]))
                  .group_by(HandTally.option_id, HandTally.stakeholder_kind))
        hands: dict[int, list[HandTally]] = {}
        for tally in db.session.scalars(select(HandTally).where(HandTally.id.in_(latest))
                                        .order_by(HandTally.stakeholder_kind)):
            hands.setdefault(tally.option_id, []).append(tally)
        for option in batch:
            yield {"agenda_item_id": option.agenda_item_id, "option_id": option.id,
                   "source": "ballot", "stakeholder_kind": None,
                   "count": counts.get(option.id, 0), "recorded_at": None}
            for tally in hands.get(option.id, []):
                yield {"agenda_item_id": option.agenda_item_id, "option_id": option.id,
                       "source": "hands", "stakeholder_kind": tally.stakeholder_kind,
                       "count": tally.count, "recorded_at": stamp(tally.created_at)}


def decisions() -> Iterator[dict]:
    query = select(Decision).where(Decision.agenda_item_id.in_(_item_ids()))
    for batch in _batches(query, Decision.id):
        for decision in batch:
            yield {
                "id": decision.id, "agenda_item_id": decision.agenda_item_id,
                "text_mn": decision.text_mn, "text_en": decision.text_en,
                "method": decision.method,
                "rationale_mn": decision.rationale_mn, "rationale_en": decision.rationale_en,
                "dissent_mn": decision.dissent_mn, "dissent_en": decision.dissent_en,
                "decided_at": stamp(decision.decided_at),
                "review_on": stamp(decision.review_on), "option_ids": decision.option_ids,
            }


def _decision_ids():
    return select(Decision.id).where(Decision.agenda_item_id.in_(_item_ids()))


def actions() -> Iterator[dict]:
    departments = _names(Department)
    items = dict(db.session.execute(select(Decision.id, Decision.agenda_item_id)).all())
    query = select(Action).where(Action.decision_id.in_(_decision_ids()))
    for batch in _batches(query, Action.id):
        for action in batch:
            department = departments.get(action.department_id)
            yield {
                "id": action.id, "decision_id": action.decision_id,
                "agenda_item_id": items.get(action.decision_id),
                "title_mn": action.title_mn, "title_en": action.title_en,
                "department": department.slug if department else None,
                **_bilingual(department, "department"),
                "due_on": stamp(action.due_on), "budget_mnt": action.budget,
                "indicator_mn": action.indicator_mn, "indicator_en": action.indicator_en,
                "status": action.status, "percent": action.percent,
                "created_at": stamp(action.created_at),
            }


def progress_updates() -> Iterator[dict]:
    query = select(ProgressUpdate).where(ProgressUpdate.action_id.in_(
        select(Action.id).where(Action.decision_id.in_(_decision_ids()))))
    for batch in _batches(query, ProgressUpdate.id):
        for update in batch:
            yield {"id": update.id, "action_id": update.action_id, "status": update.status,
                   "percent": update.percent, "note_mn": update.note_mn,
                   "note_en": update.note_en, "evidence_url": update.evidence_url,
                   "created_at": stamp(update.created_at)}
