"""The decision, its actions and their progress. Each change writes its history entry; a
revision keeps the old text there; progress updates are new rows, never edits."""

from collections.abc import Sequence
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from ...accounts.models import Role, User
from ...audit.services import record_event
from ...database import MAX_ID
from ...errors import DomainError
from ...extensions import db
from ...i18n import utcnow
from ...issues.photos import MAX_PHOTOS, PreparedPhoto, remove_photo_files, store_photo
from ..models import (
    CLOSED_STATUSES,
    Action,
    ActionStatus,
    AgendaItem,
    Decision,
    DecisionMethod,
    DecisionOption,
    ProgressPhoto,
    ProgressUpdate,
    Stage,
    needs_reason,
)
from . import issue_sync
from .common import (
    a_date,
    bilingual,
    can_facilitate,
    department_of,
    is_official_of,
    option_of,
    reason_text,
    require_facilitator,
    text,
    whole_number,
)
from .record import LONG_MAX, TITLE_MAX, set_stage

URL_MAX = 500


# --- the decision ----------------------------------------------------------------------------

def _decision_values(item: AgendaItem, values: dict) -> dict:
    cleaned = bilingual(values, "text", LONG_MAX,
                        required=_l("Please write what was decided, in Mongolian or English."))
    cleaned |= bilingual(values, "rationale", LONG_MAX) | bilingual(values, "dissent", LONG_MAX)
    method = values.get("method")
    if method not in {m.value for m in DecisionMethod}:
        raise DomainError(_l("Please choose how it was decided."), "bad_method", "method")
    option_ids = values.get("option_ids") or []
    if not isinstance(option_ids, list | tuple) or len(option_ids) > 50:
        raise DomainError(_l("There is no such option for this agenda item."),
                          "unknown_option", "option_ids")
    options = sorted({option_of(item, option_id, "option_ids").id for option_id in option_ids})
    cleaned.update(method=method, decided_by=text(values, "decided_by", 300),
                   review_on=a_date(values.get("review_on"), "review_on"))
    return cleaned | {"option_ids": options}


def _snapshot(decision: Decision) -> dict:
    return {"text_mn": decision.text_mn, "text_en": decision.text_en, "method": decision.method,
            "option_ids": decision.option_ids, "decided_by": decision.decided_by,
            "review_on": decision.review_on.isoformat() if decision.review_on else None}


def _move(actor, item: AgendaItem, target: Stage, reason: str | None, now: datetime) -> bool:
    """Move the item along with a decision or progress (no commit); False if already there
    or past it."""
    if Stage(item.stage).index >= target.index:
        return False
    set_stage(actor, item, target, reason, now)
    return True


def record_decision(actor, item: AgendaItem, values: dict, reason: str | None = None,
                    now: datetime | None = None) -> Decision:
    """What was agreed, how (consensus, vote, official decision), why, the dissent, by whom,
    and when to review it. The item moves to "decided" (a reason is needed when that skips
    a stage, e.g. a consensus without a vote) and its citizen issues to "solution agreed"."""
    require_facilitator(actor, item.event)
    if item.decision is not None:
        raise DomainError(_l("A decision is already recorded; revise it instead."),
                          "already_decided")
    if Stage(item.stage).index < Stage.DISCUSSION.index:
        raise DomainError(_l("A decision comes after the problem has been discussed."),
                          "too_early")
    cleaned = _decision_values(item, values)
    if cleaned["method"] == DecisionMethod.VOTE and item.stage != Stage.VOTING:
        raise DomainError(_l("A decision by vote is recorded while the item is in its voting "
                             "stage."), "no_vote", "method")
    reason = reason_text(reason, required=needs_reason(item.stage, Stage.DECIDED))
    now = now or utcnow()
    option_ids = cleaned.pop("option_ids")
    decision = Decision(agenda_item_id=item.id, recorded_by_id=actor.id, decided_at=now,
                        **cleaned)
    decision.option_links = [DecisionOption(option_id=option_id) for option_id in option_ids]
    db.session.add(decision)
    db.session.flush()
    record_event(actor, decision, "decision.recorded", after=_snapshot(decision) | {
        "agenda_item_id": item.id}, reason=reason)
    _move(actor, item, Stage.DECIDED, reason, now)
    db.session.commit()
    issue_sync.follow_stage(actor, item)
    return decision


def revise_decision(actor, decision: Decision, values: dict, reason: str | None) -> Decision:
    """Correct the decision's record; the earlier version stays in the history."""
    item = decision.agenda_item
    require_facilitator(actor, item.event)
    reason = reason_text(reason)
    cleaned = _decision_values(item, values)
    before = _snapshot(decision)
    option_ids = cleaned.pop("option_ids")
    for key, value in cleaned.items():
        setattr(decision, key, value)
    if option_ids != decision.option_ids:
        decision.option_links = [DecisionOption(option_id=o) for o in option_ids]
    db.session.flush()
    after = _snapshot(decision)
    changed = {key for key in after if after[key] != before[key]}
    if not changed:
        db.session.rollback()
        return decision
    record_event(actor, decision, "decision.revised",
                 before={key: before[key] for key in changed},
                 after={key: after[key] for key in changed}, reason=reason)
    db.session.commit()
    return decision


# --- actions ---------------------------------------------------------------------------------

def _lead(values: dict, department_id: int) -> User | None:
    lead_id = values.get("lead_official_id")
    if lead_id in (None, ""):
        return None
    valid = isinstance(lead_id, int) and not isinstance(lead_id, bool) and 0 < lead_id <= MAX_ID
    lead = db.session.get(User, lead_id) if valid else None
    if lead is None or not lead.has_role(Role.OFFICIAL.value) \
            or (Role.ADMIN.value not in lead.roles and lead.department_id != department_id):
        raise DomainError(_l("The lead must be an official of the responsible department."),
                          "bad_lead", "lead_official_id")
    return lead


def _action_values(values: dict) -> dict:
    cleaned = bilingual(values, "title", TITLE_MAX,
                        required=_l("Please name the action, in Mongolian or English."))
    cleaned |= bilingual(values, "indicator", LONG_MAX)
    department = department_of(values.get("department_id"), optional=False)
    lead = _lead(values, department.id)
    due_on = a_date(values.get("due_on"), "due_on", optional=False)
    cleaned.update(department_id=department.id, lead_official_id=lead.id if lead else None,
                   lead_name=text(values, "lead_name", 200), due_on=due_on,
                   budget=whole_number(values.get("budget"), "budget"))
    return cleaned


def _jsonable(values: dict) -> dict:
    return {key: value.isoformat() if isinstance(value, date) else value
            for key, value in values.items()}


def add_action(actor, decision: Decision, values: dict) -> Action:
    """An action that carries out the decision: the responsible department, its lead, the
    due date, a budget if any, and how success is measured."""
    require_facilitator(actor, decision.agenda_item.event)
    action = Action(decision_id=decision.id, created_by_id=actor.id, **_action_values(values))
    db.session.add(action)
    db.session.flush()
    record_event(actor, action, "action.created", after=_jsonable(
        {"agenda_item_id": decision.agenda_item_id, "title_mn": action.title_mn,
         "title_en": action.title_en, "department_id": action.department_id,
         "due_on": action.due_on, "budget": action.budget}))
    db.session.commit()
    return action


def can_update_action(user, action: Action) -> bool:
    return is_official_of(user, action.department_id) \
        or can_facilitate(user, action.decision.agenda_item.event)


def update_action(actor, action: Action, values: dict, reason: str | None) -> Action:
    """Change an action's plan (department, lead, due date, budget, texts) with a reason;
    the earlier plan stays in the history."""
    if not can_update_action(actor, action):
        raise DomainError(_l("Only the responsible department's officials and the forum's "
                             "organisers can change this action."), "forbidden")
    reason = reason_text(reason)
    cleaned = _action_values(values)
    before = {key: getattr(action, key) for key in cleaned if getattr(action, key) != cleaned[key]}
    if before:
        for key in before:
            setattr(action, key, cleaned[key])
        record_event(actor, action, "action.updated", before=_jsonable(before),
                     after=_jsonable({key: cleaned[key] for key in before}), reason=reason)
        db.session.commit()
    return action


# --- progress --------------------------------------------------------------------------------

def _progress_values(action: Action, status, percent, note_mn, note_en, evidence_url) -> dict:
    if status not in {s.value for s in ActionStatus}:
        raise DomainError(_l("Please choose a status from the list."), "bad_status", "status")
    if percent in (None, "") and status == ActionStatus.DONE:
        percent = 100
    percent = whole_number(percent, "percent", high=100, optional=False)
    if status == ActionStatus.DONE and percent != 100:
        raise DomainError(_l("An action marked done must be at 100 percent."), "bad_percent",
                          "percent")
    notes = bilingual({"note_mn": note_mn, "note_en": note_en}, "note", LONG_MAX)
    if action.status in CLOSED_STATUSES and not any(notes.values()):
        raise DomainError(_l("Please explain in a note why a closed action is reopened or "
                             "updated."), "note_required", "note_mn")
    return {"status": status, "percent": percent, **notes,
            "evidence_url": text({"evidence_url": evidence_url}, "evidence_url", URL_MAX)}


def _write_progress(actor, action: Action, values: dict, now: datetime) -> ProgressUpdate:
    before = {"status": action.status, "percent": action.percent}
    update_row = ProgressUpdate(action_id=action.id, author_id=actor.id, created_at=now,
                                **values)
    db.session.add(update_row)
    db.session.flush()
    db.session.expire(action, ["status", "percent"])
    record_event(actor, action, "action.progress", before=before,
                 after={"status": values["status"], "percent": values["percent"],
                        "update_id": update_row.id})
    return update_row


def _follow_actions(actor, item: AgendaItem, now: datetime) -> bool:
    """Work on an action has started: the item is in implementation. Whether the problem is
    done is a judgement, not arithmetic: someone moves the item to "done" (move_stage)."""
    if any(a.status != ActionStatus.PLANNED for a in item.decision.actions):
        return _move(actor, item, Stage.IN_PROGRESS, None, now)
    return False


def post_progress(actor, action: Action, status: str, percent=None, note_mn=None, note_en=None,
                  evidence_url=None, photos: Sequence[PreparedPhoto] = (),
                  now: datetime | None = None) -> ProgressUpdate:
    """An official of the responsible department reports progress: status, percent, a note,
    evidence (a link, photos prepared by issues.photos.prepare_photos)."""
    if not is_official_of(actor, action.department_id):
        raise DomainError(_l("Only officials of the responsible department can report its "
                             "progress."), "forbidden")
    if len(photos) > MAX_PHOTOS:
        raise DomainError(_l("You can add at most %(n)d photos.", n=MAX_PHOTOS),
                          "too_many_photos", "photos")
    values = _progress_values(action, status, percent, note_mn, note_en, evidence_url)
    now = now or utcnow()
    stored: list[str] = []
    try:
        update_row = _write_progress(actor, action, values, now)
        for photo in photos:
            stored.append(store_photo(photo))
            db.session.add(ProgressPhoto(update_id=update_row.id, filename=stored[-1],
                                         content_type=photo.content_type, width=photo.width,
                                         height=photo.height, size=photo.size))
        item = action.decision.agenda_item
        moved = _follow_actions(actor, item, now)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        remove_photo_files(stored)
        raise
    if moved:
        issue_sync.follow_stage(actor, item)
    return update_row


def post_progress_many(actor, actions: Sequence[Action], status: str, percent=None,
                       note_mn=None, note_en=None,
                       now: datetime | None = None) -> list[ProgressUpdate]:
    """One update for several actions of the official's department at once; all or none."""
    if not actions:
        raise DomainError(_l("Please choose at least one action."), "actions_required",
                          "action_ids")
    now = now or utcnow()
    for action in actions:
        if not is_official_of(actor, action.department_id):
            raise DomainError(_l("Only officials of the responsible department can report its "
                                 "progress."), "forbidden")
    prepared = [(action, _progress_values(action, status, percent, note_mn, note_en, None))
                for action in actions]
    rows = [_write_progress(actor, action, values, now) for action, values in prepared]
    items = {action.decision.agenda_item for action in actions}
    moved = [item for item in items if _follow_actions(actor, item, now)]
    db.session.commit()
    for item in moved:
        issue_sync.follow_stage(actor, item)
    return rows
