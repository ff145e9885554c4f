"""Live questions from the room: posted from phones, approved, pinned and answered by the
facilitator, upvoted and reported by the others. Hidden with a reason, never deleted."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from ...audit.services import record_event
from ...errors import DomainError
from ...extensions import db
from ...i18n import utcnow
from ..models import (
    AgendaItem,
    Contribution,
    ContributionKind,
    LiveQuestion,
    QuestionReport,
    QuestionState,
    QuestionUpvote,
    SolutionOption,
    Stage,
)
from ..stages import QUESTION_MOVES
from .common import Participant, participant, reason_text, require_facilitator, text

QUESTION_MAX = 1000
OPEN_TO_THE_ROOM = (QuestionState.VISIBLE.value, QuestionState.ANSWERED.value)


def _check_open(item: AgendaItem) -> None:
    if Stage(item.stage).index > Stage.VOTING.index:
        raise DomainError(_l("Questions to this item are closed."), "questions_closed")


def ask_question(item: AgendaItem, body, *, user=None, ticket=None, anonymous: bool = False,
                 display_name=None, now: datetime | None = None) -> LiveQuestion:
    """A question from a participant (checked-in ticket, or signed in). It waits for the
    facilitator's approval; the asker sees it meanwhile. `anonymous`: the room does not see
    who asked; the record keeps it for the staff."""
    _check_open(item)
    who = participant(item.event, user=user, ticket=ticket, now=now, must_be_admitted=False)
    body = text({"body": body}, "body", QUESTION_MAX)
    if not body:
        raise DomainError(_l("Please write your question."), "body_required", "body")
    name = text({"display_name": display_name}, "display_name", 120) or who.name
    question = LiveQuestion(
        agenda_item_id=item.id, body=body, anonymous=bool(anonymous), display_name=name,
        author_id=who.user.id if who.user else None,
        registration_id=who.registration.id if who.registration else None,
        asker_key=who.key)
    db.session.add(question)
    db.session.commit()
    return question


def is_asker(question: LiveQuestion, who: Participant) -> bool:
    return question.asker_key == who.key or (
        who.user is not None and question.author_id == who.user.id)


def moderate_question(actor, question: LiveQuestion, to_state: str,
                      reason: str | None = None) -> LiveQuestion:
    """Approve (visible), mark answered, hide (with a reason) or show again."""
    require_facilitator(actor, question.agenda_item.event)
    try:
        target = QuestionState(to_state)
    except ValueError:
        raise DomainError(_l("Please choose what to do with the question."), "bad_state",
                          "to_state") from None
    before = question.state
    if target not in QUESTION_MOVES[QuestionState(before)]:
        raise DomainError(_l("The question cannot go from “%(before)s” to “%(after)s”.",
                             before=QuestionState(before).label, after=target.label),
                          "bad_transition", "to_state")
    reason = reason_text(reason, required=target == QuestionState.HIDDEN)
    moved = db.session.execute(
        update(LiveQuestion).where(LiveQuestion.id == question.id, LiveQuestion.state == before)
        .values(state=target.value, state_changed_at=utcnow(), moderated_by_id=actor.id,
                hidden_reason=reason if target == QuestionState.HIDDEN
                else LiveQuestion.hidden_reason,
                pinned=False if target == QuestionState.HIDDEN else LiveQuestion.pinned)
    ).rowcount
    if moved != 1:
        db.session.rollback()
        raise DomainError(_l("Someone else has just changed this question. Please reload."),
                          "stale")
    db.session.refresh(question)
    if target == QuestionState.HIDDEN:
        record_event(actor, question, "question.hidden", before={"state": before},
                     after={"state": target.value}, reason=reason)
    db.session.commit()
    return question


def pin_question(actor, question: LiveQuestion, pinned: bool) -> LiveQuestion:
    require_facilitator(actor, question.agenda_item.event)
    if pinned and question.state not in OPEN_TO_THE_ROOM:
        raise DomainError(_l("Only a question shown to the room can be pinned."),
                          "not_visible")
    question.pinned = bool(pinned)
    db.session.commit()
    return question


def _mark(question: LiveQuestion, row, counter) -> int:
    """Insert an upvote or report (UNIQUE per person) and count it, atomically."""
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return -1
    db.session.execute(update(LiveQuestion).where(LiveQuestion.id == question.id)
                       .values({counter: getattr(LiveQuestion, counter) + 1}))
    db.session.commit()
    db.session.refresh(question)
    return getattr(question, counter)


def upvote_question(question: LiveQuestion, *, user=None, ticket=None,
                    now: datetime | None = None) -> int:
    """One upvote per person (a checked-in ticket or a signed-in user), never on one's own
    question, only on questions shown to the room. Returns the new count."""
    item = question.agenda_item
    _check_open(item)
    who = participant(item.event, user=user, ticket=ticket, now=now, must_be_admitted=False)
    if question.state not in OPEN_TO_THE_ROOM:
        raise DomainError(_l("This question is not shown to the room."), "not_visible")
    if is_asker(question, who):
        raise DomainError(_l("You cannot upvote your own question."), "own_question")
    count = _mark(question, QuestionUpvote(question_id=question.id, voter_key=who.key),
                  "upvote_count")
    if count < 0:
        raise DomainError(_l("You have already upvoted this question."), "already_upvoted")
    return count


def report_question(question: LiveQuestion, *, user=None, ticket=None,
                    now: datetime | None = None) -> int:
    """Anyone taking part can report a question once; the facilitator decides."""
    who = participant(question.agenda_item.event, user=user, ticket=ticket, now=now,
                      must_be_admitted=False)
    count = _mark(question, QuestionReport(question_id=question.id, reporter_key=who.key),
                  "report_count")
    if count < 0:
        raise DomainError(_l("You have already reported this question."), "already_reported")
    return count


def promote_question(actor, question: LiveQuestion, to: str):
    """Take a question from the room into the record: as a contribution ("contribution"),
    before voting as a solution option ("option"), or as a new problem on the same forum's
    agenda ("item"), for the facilitator to complete. Returns the new row."""
    item = question.agenda_item
    require_facilitator(actor, item.event)
    name = None if question.anonymous else question.display_name
    if to == "contribution":
        _check_open(item)
        row = Contribution(agenda_item_id=item.id, kind=ContributionKind.QUESTION.value,
                           body=question.body, author_id=actor.id,
                           registration_id=question.registration_id, speaker_name=name)
    elif to == "option":
        if Stage(item.stage).index >= Stage.VOTING.index:
            raise DomainError(_l("The options are fixed once voting has opened."),
                              "options_fixed")
        row = SolutionOption(agenda_item_id=item.id, title_mn=question.body[:300],
                             from_question_id=question.id, created_by_id=actor.id,
                             proposer=name)
    elif to == "item":
        row = AgendaItem(event_id=item.event_id, session_id=item.session_id,
                         title_mn=question.body[:300], problem_mn=question.body,
                         presenter=name, created_by_id=actor.id, position=item.position + 1)
    else:
        raise DomainError(_l("Please choose a contribution, a solution option or a new agenda "
                             "item."), "bad_target", "to")
    db.session.add(row)
    db.session.flush()
    if to == "item":
        record_event(actor, row, "agenda.created", after={
            "stage": row.stage, "title_mn": row.title_mn, "from_question_id": question.id})
    record_event(actor, question, "question.promoted", after={"to": to, "id": row.id})
    db.session.commit()
    return row
