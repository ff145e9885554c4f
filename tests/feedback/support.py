"""An event that has ended, people registered through the registration service and checked
in through the check-in service, and a survey built by the organiser."""

import uuid
from datetime import timedelta

from forum_app.checkin.services import annul_check_in, check_in
from forum_app.events.models import Event
from forum_app.feedback import services
from forum_app.feedback.models import Survey
from forum_app.i18n import utcnow
from forum_app.registration.models import Registration
from forum_app.registration.services import RegistrationInput
from tests import factories
from tests.registration.support import register_confirmed


def ended_event(organiser, *, hours_ago: int = 2, **values) -> Event:
    """A published forum session that took place today and ended `hours_ago` hours ago."""
    ends = (utcnow() - timedelta(hours=hours_ago)).replace(second=0, microsecond=0)
    return factories.event(organiser, starts_at=ends - timedelta(hours=2),
                           ends_at=ends, **values)


def attendee(event: Event, organiser, name: str, email: str | None, *,
             checked_in: bool = True, user=None, language: str = "mn") -> Registration:
    data = RegistrationInput(name=name, email=email, phone=None if email else "99119911",
                             language=language, consent=True)
    # Without e-mail only staff can register someone (a guest confirms from their e-mail).
    registration, _token = register_confirmed(event, data, user=user,
                                              now=event.starts_at - timedelta(days=1),
                                              at_the_door=email is None)
    if checked_in:
        admit(event, organiser, registration)
    return registration


def admit(event: Event, organiser, registration: Registration):
    outcome = check_in(registration.ticket.code, event=event, device=None, staff=organiser,
                       nonce=uuid.uuid4().hex, now=event.starts_at + timedelta(minutes=5))
    assert outcome.result == "admitted", outcome.result
    return outcome


def annul(event: Event, organiser, registration: Registration) -> None:
    from sqlalchemy import select

    from forum_app.checkin.models import CheckIn
    from forum_app.extensions import db

    row = db.session.scalar(select(CheckIn).where(CheckIn.ticket_id == registration.ticket.id,
                                                  CheckIn.result == "admitted"))
    annul_check_in(organiser, row, "Буруу хүнийг бүртгэсэн", now=row.created_at)


def survey_for(event: Event, organiser, *, choice: bool = True) -> Survey:
    """The starter survey (two ratings, one text) and, with `choice`, a single-choice question."""
    survey = services.save_survey(organiser, event, {
        "title_mn": "Санал асуулга", "title_en": "Feedback", "opens_at": None})
    if choice:
        services.add_question(organiser, survey, {
            "kind": "single", "label_mn": "Та форумын талаар хаанаас сонссон бэ?",
            "label_en": "How did you hear about the forum?",
            "options": [{"mn": "Фэйсбүүк", "en": "Facebook"},
                        {"mn": "Найзаасаа", "en": "From a friend"},
                        {"mn": "Сургууль, ажлаасаа", "en": "School or work"}]})
    return survey


def answers(survey: Survey, *ratings_and_rest) -> dict[str, str]:
    """Form data for the survey's questions in order: values as strings."""
    return {f"q{question.id}": str(value)
            for question, value in zip(survey.questions, ratings_and_rest, strict=False)}
