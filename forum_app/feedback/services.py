"""What organisers and attendees do with a survey: build it, and answer it once.
Invitations (who gets a personal link) are in invitations.py; results in results.py."""

from collections.abc import Mapping
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from ..accounts.models import Role, User
from ..audit.services import record_event
from ..core.ordering import move_one
from ..database import begin_write
from ..errors import DomainError
from ..events.checks import clean_options, clean_question_label, clean_text
from ..events.models import Event, EventState
from ..events.services import can_manage
from ..extensions import db
from ..i18n import utcnow
from .models import (
    RATING_VALUES,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyQuestionKind,
    SurveyResponse,
)

MAX_QUESTIONS = 20
MAX_OPTIONS = 12
MAX_TEXT_ANSWER = 2000
STARTER_QUESTIONS = [
    (SurveyQuestionKind.RATING, "Энэ арга хэмжээ танд хэр хэрэгтэй байсан бэ?",
     "How useful was the event for you?", True),
    (SurveyQuestionKind.RATING, "Зохион байгуулалтад хэр сэтгэл хангалуун байна вэ?",
     "How satisfied are you with how it was organised?", False),
    (SurveyQuestionKind.TEXT, "Дараагийн удаа юуг сайжруулах вэ?",
     "What should we do better next time?", False),
]


# --- access ----------------------------------------------------------------------------------

def can_edit_survey(user, event: Event) -> bool:
    return can_manage(user, event)


def can_see_results(user, event: Event) -> bool:
    """The event's organisers, officials and administrators."""
    if not (user and getattr(user, "is_authenticated", False)):
        return False
    return can_manage(user, event) or user.has_role(Role.OFFICIAL)


def survey_of(event: Event) -> Survey | None:
    return db.session.scalar(select(Survey).where(Survey.event_id == event.id))


def response_count(survey: Survey) -> int:
    return db.session.scalar(select(func.count(SurveyResponse.id))
                             .where(SurveyResponse.survey_id == survey.id)) or 0


# --- building --------------------------------------------------------------------------------

def _check_editor(actor: User, event: Event) -> None:
    if not can_edit_survey(actor, event):
        raise DomainError(_l("You cannot manage this event."), "forbidden")
    if event.state == EventState.CANCELLED:
        raise DomainError(_l("This event has been cancelled."), "cancelled")


def _check_unanswered(survey: Survey) -> None:
    if response_count(survey):
        raise DomainError(_l("People have already answered this survey, so its questions "
                             "can no longer change."), "answered")


def save_survey(actor: User, event: Event, values: dict) -> Survey:
    """Create the event's survey (with three starter questions) or change its title and
    opening time. `opens_at` is UTC; None means from the start of the event."""
    _check_editor(actor, event)
    title_mn = clean_text(values.get("title_mn"), "title_mn", 300)
    title_en = clean_text(values.get("title_en"), "title_en", 300)
    if not (title_mn or title_en):
        raise DomainError(_l("Please give the survey a title, in Mongolian or English."),
                          "title_required", "title_mn")
    opens_at = values.get("opens_at")
    if opens_at is not None and opens_at > event.ends_at:
        raise DomainError(_l("The survey must open by the end of the event, so attendees "
                             "can answer while they remember it."), "opens_too_late", "opens_at")
    survey = survey_of(event)
    created = survey is None
    if created:
        survey = Survey(event_id=event.id, created_by_id=actor.id)
        survey.questions = [SurveyQuestion(kind=kind.value, label_mn=mn, label_en=en,
                                           required=required, position=n)
                            for n, (kind, mn, en, required) in enumerate(STARTER_QUESTIONS)]
        db.session.add(survey)
    before = None if created else {"title_mn": survey.title_mn, "title_en": survey.title_en,
                                   "opens_at": _iso(survey.opens_at)}
    survey.title_mn, survey.title_en, survey.opens_at = title_mn, title_en, opens_at
    db.session.flush()
    record_event(actor, survey, "survey.created" if created else "survey.updated",
                 before=before, after={"title_mn": title_mn, "title_en": title_en,
                                       "opens_at": _iso(opens_at)})
    db.session.commit()
    return survey


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _clean_options(kind: str, options) -> list[dict]:
    if kind != SurveyQuestionKind.SINGLE:
        return []
    return clean_options(options, limit=200, most=MAX_OPTIONS)


def add_question(actor: User, survey: Survey, values: dict) -> SurveyQuestion:
    _check_editor(actor, survey.event)
    _check_unanswered(survey)
    kind, label_mn, label_en = clean_question_label(values, SurveyQuestionKind)
    if len(survey.questions) >= MAX_QUESTIONS:
        raise DomainError(_l("A survey has at most %(n)d questions: keep it short.",
                             n=MAX_QUESTIONS), "too_many_questions")
    question = SurveyQuestion(
        kind=kind, label_mn=label_mn, label_en=label_en,
        options=_clean_options(kind, values.get("options")),
        required=bool(values.get("required")),
        position=max((q.position for q in survey.questions), default=-1) + 1)
    survey.questions.append(question)
    db.session.flush()
    record_event(actor, survey, "survey.question_added",
                 after={"question_id": question.id, "kind": kind})
    db.session.commit()
    return question


def delete_question(actor: User, survey: Survey, question: SurveyQuestion) -> None:
    _check_editor(actor, survey.event)
    _check_unanswered(survey)
    record_event(actor, survey, "survey.question_deleted",
                 before={"question_id": question.id, "label_mn": question.label_mn,
                         "label_en": question.label_en})
    survey.questions.remove(question)
    db.session.commit()


def move_question(actor: User, survey: Survey, question: SurveyQuestion,
                  direction: str) -> None:
    _check_editor(actor, survey.event)
    _check_unanswered(survey)
    move_one(survey.questions, question, direction)
    db.session.commit()


# --- answering -------------------------------------------------------------------------------

def _answer_value(question: SurveyQuestion, raw: str):
    """The stored value of one answer, None when empty; DomainError when not acceptable."""
    raw = (raw or "").strip()
    if not raw:
        if question.required:
            raise DomainError(_l("Please answer this question."), "required")
        return None
    if question.kind == SurveyQuestionKind.TEXT:
        if len(raw) > MAX_TEXT_ANSWER:
            raise DomainError(_l("Please keep your answer under %(n)d characters.",
                                 n=MAX_TEXT_ANSWER), "too_long")
        return raw
    if not (raw.isascii() and raw.isdigit() and len(raw) < 4):
        raise DomainError(_l("Please choose one of the answers."), "bad_choice")
    value = int(raw)
    valid = RATING_VALUES if question.kind == SurveyQuestionKind.RATING \
        else range(len(question.options or []))
    if value not in valid:
        raise DomainError(_l("Please choose one of the answers."), "bad_choice")
    return value


def check_open(survey: Survey, now: datetime) -> None:
    if survey.event.state == EventState.CANCELLED:
        raise DomainError(_l("This event has been cancelled."), "cancelled")
    if not survey.is_open_at(now):
        raise DomainError(_l("The survey is not open yet."), "not_open")


def submit_response(invitation: SurveyInvitation, raw_answers: Mapping[str, str],
                    now: datetime | None = None) -> SurveyResponse:
    """Store one attendee's answers, once. `raw_answers` maps "q<question id>" to what was
    sent. The response keeps only the day, so it cannot be paired with the invitation."""
    now = now or utcnow()
    survey = invitation.survey
    check_open(survey, now)
    if invitation.used_at is not None:
        raise DomainError(_l("You have already answered this survey. Thank you!"),
                          "already_answered")
    values, errors = {}, {}
    for question in survey.questions:
        try:
            value = _answer_value(question, raw_answers.get(f"q{question.id}", ""))
        except DomainError as error:
            errors[question.id] = str(error.message)
        else:
            if value is not None:
                values[question.id] = value
    if errors:
        # Each wrong answer's message by question id; nothing was stored.
        raise DomainError(_l("Please correct the marked answers."), "invalid", fields=errors)
    if not values:
        raise DomainError(_l("Please answer at least one question."), "empty")
    invitation_id, survey_id = invitation.id, survey.id
    # Both keep only the day: with exact times, the order of the invitations' uses would
    # pair them with the responses' ids.
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    begin_write()
    used = db.session.execute(
        update(SurveyInvitation)
        .where(SurveyInvitation.id == invitation_id, SurveyInvitation.used_at.is_(None))
        .values(used_at=day).execution_options(synchronize_session=False))
    if used.rowcount != 1:  # the same link sent twice at the same moment
        db.session.rollback()
        raise DomainError(_l("You have already answered this survey. Thank you!"),
                          "already_answered")
    response = SurveyResponse(
        survey_id=survey_id, created_at=day,
        answers=[SurveyAnswer(question_id=question_id, value=value)
                 for question_id, value in values.items()])
    db.session.add(response)
    db.session.commit()
    return response
