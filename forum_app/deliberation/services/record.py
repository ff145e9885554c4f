"""Keeping the record of an agenda item: the item itself, its stage, the citizen issues it
came from, what was said and the solution options. Each function checks the rules, writes
its history entry and commits once; DomainError when a rule says no, nothing changed."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError

from ...audit.services import record_event
from ...checkin.services.scan import session_of
from ...errors import DomainError
from ...events.models import Event
from ...extensions import db
from ...i18n import utcnow
from ...issues.models import Issue
from ..models import (
    AgendaItem,
    AgendaItemIssue,
    Ballot,
    Contribution,
    ContributionKind,
    SolutionOption,
    Stage,
    needs_reason,
)
from . import issue_sync
from .common import (
    bilingual,
    can_facilitate,
    department_of,
    is_official_of,
    participant,
    reason_text,
    require_facilitator,
    stakeholder,
    text,
    whole_number,
)

TITLE_MAX = 300
LONG_MAX = 10_000
CONTRIBUTION_MAX = 4000
NAME_MAX = 200
STAGE_ACTION = "agenda.stage"


def _changes(obj, cleaned: dict) -> tuple[dict, dict]:
    before = {key: getattr(obj, key) for key in cleaned if getattr(obj, key) != cleaned[key]}
    return before, {key: cleaned[key] for key in before}


# --- agenda items ----------------------------------------------------------------------------

def _item_values(event: Event, values: dict) -> dict:
    cleaned = bilingual(values, "title", TITLE_MAX,
                        required=_l("Please give the problem a title, in Mongolian or English."))
    cleaned |= bilingual(values, "problem", LONG_MAX) | bilingual(values, "evidence", LONG_MAX)
    cleaned["presenter"] = text(values, "presenter", NAME_MAX)
    cleaned["presenter_kind"] = stakeholder(values.get("presenter_kind"), "presenter_kind")
    cleaned["position"] = whole_number(values.get("position"), "position", high=10_000) or 0
    session_id = values.get("session_id")
    # The door's own check: a session of this event, or "bad_session".
    cleaned["session_id"] = session_of(event, session_id).id \
        if session_id not in (None, "") else None
    return cleaned


def create_agenda_item(actor, event: Event, values: dict) -> AgendaItem:
    """A new problem on the event's agenda, in the "problem" stage."""
    require_facilitator(actor, event)
    cleaned = _item_values(event, values)
    item = AgendaItem(event_id=event.id, created_by_id=actor.id,
                      allow_vote_change=bool(values.get("allow_vote_change")), **cleaned)
    db.session.add(item)
    db.session.flush()
    record_event(actor, item, "agenda.created",
                 after={"stage": item.stage, "title_mn": item.title_mn,
                        "title_en": item.title_en})
    db.session.commit()
    return item


def update_agenda_item(actor, item: AgendaItem, values: dict,
                       reason: str | None = None) -> AgendaItem:
    """Correct the item's texts; the old wording stays in the history."""
    require_facilitator(actor, item.event)
    cleaned = _item_values(item.event, values)
    before, after = _changes(item, cleaned)
    if not before:
        return item
    for key, value in after.items():
        setattr(item, key, value)
    item.updated_at = utcnow()
    record_event(actor, item, "agenda.updated", before=before, after=after,
                 reason=reason_text(reason, required=False))
    db.session.commit()
    return item


def set_vote_change(actor, item: AgendaItem, allowed: bool) -> AgendaItem:
    """Whether a voter may change their vote while voting is open: chosen before it opens."""
    require_facilitator(actor, item.event)
    if Stage(item.stage).index >= Stage.VOTING.index:
        raise DomainError(_l("The voting rules cannot change once voting has opened."),
                          "sealed", "allow_vote_change")
    if item.allow_vote_change != bool(allowed):
        record_event(actor, item, "agenda.vote_rules",
                     before={"allow_vote_change": item.allow_vote_change},
                     after={"allow_vote_change": bool(allowed)})
        item.allow_vote_change = bool(allowed)
        db.session.commit()
    return item


# --- stages ----------------------------------------------------------------------------------

def has_ballots(item: AgendaItem) -> bool:
    return bool(db.session.scalar(select(exists().where(Ballot.agenda_item_id == item.id))))


def can_move_stage(user, item: AgendaItem) -> bool:
    """The organisers; from "decided" on also the officials of a department with an action."""
    if can_facilitate(user, item.event):
        return True
    if Stage(item.stage).index < Stage.DECIDED.index or item.decision is None:
        return False
    return any(is_official_of(user, action.department_id) for action in item.decision.actions)


def _check_move(item: AgendaItem, target: Stage, reason) -> str | None:
    before = Stage(item.stage)
    if target == before:
        raise DomainError(_l("The item is already at this stage."), "unchanged", "to_stage")
    reason = reason_text(reason, required=needs_reason(before, target))
    if target == Stage.VOTING and sum(o.withdrawn_at is None for o in item.options) < 2:
        raise DomainError(_l("A vote needs at least two solution options."),
                          "options_required", "to_stage")
    if target.index >= Stage.DECIDED.index and item.decision is None:
        raise DomainError(_l("Please record the decision first."), "decision_required",
                          "to_stage")
    ballots = has_ballots(item)
    if ballots and (target.index < Stage.VOTING.index
                    or (target == Stage.VOTING and before.index > Stage.VOTING.index)):
        raise DomainError(_l("Votes have been cast: the ballot is sealed and cannot be opened "
                             "again or changed."), "sealed", "to_stage")
    return reason


def move_stage(actor, item: AgendaItem, to_stage: str, reason: str | None = None,
               now: datetime | None = None) -> AgendaItem:
    """Move the item to another stage. The next stage needs no reason; skipping ahead or
    moving back does. Every move is recorded (who, when, from, to, why), and the citizen
    issues it came from move along (their followers are told)."""
    if not can_move_stage(actor, item):
        raise DomainError(_l("Only the organisers of this forum can change its record."),
                          "forbidden")
    try:
        target = Stage(to_stage)
    except ValueError:
        raise DomainError(_l("Please choose a stage from the list."), "bad_stage",
                          "to_stage") from None
    reason = _check_move(item, target, reason)
    set_stage(actor, item, target, reason, now or utcnow())
    db.session.commit()
    issue_sync.follow_stage(actor, item)
    return item


def set_stage(actor, item: AgendaItem, target: Stage, reason: str | None,
              now: datetime) -> None:
    """Write the move and its history entry (no commit). Conditional on the stage read, so
    two people pressing at once cannot both move it."""
    before = item.stage
    moved = db.session.execute(
        update(AgendaItem).where(AgendaItem.id == item.id, AgendaItem.stage == before)
        .values(stage=target.value, stage_changed_at=now, updated_at=now)).rowcount
    if moved != 1:
        db.session.rollback()
        raise DomainError(_l("Someone else has just moved this item. Please reload the page."),
                          "stale")
    db.session.refresh(item)
    record_event(actor, item, STAGE_ACTION, before={"stage": before},
                 after={"stage": target.value}, reason=reason)


# --- citizen issues --------------------------------------------------------------------------

def link_issue(actor, item: AgendaItem, issue: Issue) -> AgendaItemIssue:
    """The item came from this citizen issue: the issue is taken to the forum (its status
    moves through the issues' own lifecycle, which tells its followers)."""
    require_facilitator(actor, item.event)
    issue_sync.check_linkable(item, issue)
    link = AgendaItemIssue(agenda_item_id=item.id, issue_id=issue.id, added_by_id=actor.id)
    db.session.add(link)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise DomainError(_l("This issue is already linked to the item."), "already_linked",
                          "issue_id") from None
    record_event(actor, item, "agenda.issue_linked", after={"issue_id": issue.id})
    db.session.commit()
    issue_sync.follow_stage(actor, item, [issue])
    return link


# --- what was said ---------------------------------------------------------------------------

def _contribution_values(values: dict) -> dict:
    kind = values.get("kind")
    if kind not in {k.value for k in ContributionKind}:
        raise DomainError(_l("Please choose question, evidence, concern or idea."), "bad_kind",
                          "kind")
    body = text(values, "body", CONTRIBUTION_MAX)
    if not body:
        raise DomainError(_l("Please write what was said."), "body_required", "body")
    language = values.get("language") if values.get("language") in ("mn", "en") else "mn"
    return {"kind": kind, "body": body, "language": language,
            "speaker_name": text(values, "speaker_name", 120),
            "stakeholder_kind": stakeholder(values.get("stakeholder_kind"))}


def _check_discussion_open(item: AgendaItem) -> None:
    if Stage(item.stage).index > Stage.VOTING.index:
        raise DomainError(_l("The discussion of this item is closed."), "discussion_closed")


def add_contribution(actor, item: AgendaItem, values: dict) -> Contribution:
    """The facilitator records what someone said: speaker (or none: "a participant"),
    stakeholder group, kind and text."""
    require_facilitator(actor, item.event)
    _check_discussion_open(item)
    contribution = Contribution(agenda_item_id=item.id, author_id=actor.id,
                                **_contribution_values(values))
    db.session.add(contribution)
    db.session.commit()
    return contribution


def send_contribution(item: AgendaItem, values: dict, *, user=None, ticket=None,
                      now: datetime | None = None) -> Contribution:
    """A participant checked in to the forum sends a contribution from their phone."""
    _check_discussion_open(item)
    who = participant(item.event, user=user, ticket=ticket, now=now)
    cleaned = _contribution_values(values)
    if who.registration is not None and not cleaned["stakeholder_kind"]:
        cleaned["stakeholder_kind"] = who.registration.stakeholder_kind
    contribution = Contribution(agenda_item_id=item.id,
                                author_id=who.user.id if who.user else None,
                                registration_id=who.registration.id if who.registration
                                else None, **cleaned)
    db.session.add(contribution)
    db.session.commit()
    return contribution


def hide_contribution(actor, contribution: Contribution, reason: str | None) -> Contribution:
    """Hidden from the public record with a reason; never deleted."""
    require_facilitator(actor, contribution.agenda_item.event)
    if contribution.hidden_at is not None:
        raise DomainError(_l("This contribution is already hidden."), "already_hidden")
    contribution.hidden_reason = reason_text(reason)
    contribution.hidden_at = utcnow()
    record_event(actor, contribution, "contribution.hidden", reason=contribution.hidden_reason)
    db.session.commit()
    return contribution


# --- solution options ------------------------------------------------------------------------

def _option_values(values: dict) -> dict:
    cleaned = bilingual(values, "title", TITLE_MAX,
                        required=_l("Please give the option a title, in Mongolian or English."))
    for field in ("description", "pros", "cons", "feasibility"):
        cleaned |= bilingual(values, field, LONG_MAX)
    department = department_of(values.get("department_id"))
    cleaned.update(proposer=text(values, "proposer", NAME_MAX),
                   proposer_kind=stakeholder(values.get("proposer_kind"), "proposer_kind"),
                   cost_estimate=whole_number(values.get("cost_estimate"), "cost_estimate"),
                   department_id=department.id if department else None,
                   position=whole_number(values.get("position"), "position", high=10_000) or 0)
    return cleaned


def _check_options_open(item: AgendaItem) -> None:
    if Stage(item.stage).index >= Stage.VOTING.index:
        raise DomainError(_l("The options are fixed once voting has opened."), "options_fixed")


def add_option(actor, item: AgendaItem, values: dict) -> SolutionOption:
    require_facilitator(actor, item.event)
    _check_options_open(item)
    option = SolutionOption(agenda_item_id=item.id, created_by_id=actor.id,
                            **_option_values(values))
    db.session.add(option)
    db.session.flush()
    record_event(actor, option, "option.added",
                 after={"agenda_item_id": item.id, "title_mn": option.title_mn,
                        "title_en": option.title_en})
    db.session.commit()
    return option


def update_option(actor, option: SolutionOption, values: dict) -> SolutionOption:
    require_facilitator(actor, option.agenda_item.event)
    _check_options_open(option.agenda_item)
    before, after = _changes(option, _option_values(values))
    if before:
        for key, value in after.items():
            setattr(option, key, value)
        record_event(actor, option, "option.updated", before=before, after=after)
        db.session.commit()
    return option


def withdraw_option(actor, option: SolutionOption, reason: str | None) -> SolutionOption:
    """Taken off the ballot before voting; it stays in the record as withdrawn."""
    require_facilitator(actor, option.agenda_item.event)
    _check_options_open(option.agenda_item)
    if option.withdrawn_at is not None:
        raise DomainError(_l("This option has already been withdrawn."), "already_withdrawn")
    option.withdrawn_at = utcnow()
    record_event(actor, option, "option.withdrawn", reason=reason_text(reason))
    db.session.commit()
    return option
