"""Who may answer: registrations with an admitted (not annulled) check-in at the event.

Each gets a personal link, e-mailed after the event or fetched in the room with the ticket
code. The token is HMAC(SECRET_KEY, survey and registration), so both ways give the same
link and the database keeps only its SHA-256.
"""

import base64
import hashlib
import hmac
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select, update
from sqlalchemy.exc import IntegrityError

from ..audit.services import record_event
from ..checkin.models import CheckIn, CheckInResult
from ..core.tokens import hash_token
from ..core.urls import external_url
from ..database import begin_write
from ..errors import DomainError
from ..events.models import Event, EventState
from ..extensions import db
from ..i18n import utcnow
from ..notifications.services import queue_email
from ..registration.models import Registration, Ticket
from ..registration.tickets import normalise_code
from .models import Survey, SurveyInvitation
from .services import can_edit_survey, check_open


def invitation_token(survey_id: int, registration_id: int) -> str:
    message = f"survey-invitation:{survey_id}:{registration_id}".encode()
    digest = hmac.new(current_app.config["SECRET_KEY"].encode(), message, hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")


def invitation_for_token(token: str) -> SurveyInvitation | None:
    if not token or len(token) > 100:
        return None
    return db.session.scalar(select(SurveyInvitation)
                             .where(SurveyInvitation.token_hash == hash_token(token)))


def respond_url(token: str) -> str:
    return external_url("feedback.respond", token=token)


def _admitted(event_id: int):
    """Condition: the registration's ticket was admitted at the event (and not annulled)."""
    return exists(
        select(CheckIn.id).join(Ticket, Ticket.id == CheckIn.ticket_id)
        .where(Ticket.registration_id == Registration.id, CheckIn.event_id == event_id,
               CheckIn.result == CheckInResult.ADMITTED.value, CheckIn.annulled_at.is_(None)))


def attendee_count(event: Event) -> int:
    return db.session.scalar(select(func.count(Registration.id)).where(
        Registration.event_id == event.id, _admitted(event.id))) or 0


def _has_attended(registration: Registration) -> bool:
    return db.session.scalar(select(Registration.id).where(
        Registration.id == registration.id, _admitted(registration.event_id))) is not None


def _invitation(survey: Survey, registration: Registration) -> tuple[SurveyInvitation, str]:
    """The registration's invitation, made if missing (flushed, not committed)."""
    token = invitation_token(survey.id, registration.id)
    found = db.session.scalar(select(SurveyInvitation).where(
        SurveyInvitation.survey_id == survey.id,
        SurveyInvitation.registration_id == registration.id))
    if found is not None:
        return found, token
    invitation = SurveyInvitation(survey_id=survey.id, registration_id=registration.id,
                                  token_hash=hash_token(token))
    try:
        with db.session.begin_nested():
            db.session.add(invitation)
    except IntegrityError:  # made by a concurrent request a moment ago
        invitation = db.session.scalar(select(SurveyInvitation).where(
            SurveyInvitation.token_hash == hash_token(token)))
    return invitation, token


def send_invitations(actor, survey: Survey, now: datetime | None = None) -> int:
    """E-mail a personal link to every attendee who checked in and has not had one yet.
    `actor` None: the scheduled command. Returns how many were queued."""
    now = now or utcnow()
    event = survey.event
    if actor is not None and not can_edit_survey(actor, event):
        raise DomainError(_l("You cannot manage this event."), "forbidden")
    check_open(survey, now)
    if not survey.questions:
        raise DomainError(_l("Add at least one question first."), "no_questions")
    survey_id = survey.id
    begin_write()  # SQLite: one sender at a time; PostgreSQL: the claim below decides
    survey = db.session.get(Survey, survey_id)
    event = survey.event
    already_sent = exists(select(SurveyInvitation.id).where(
        SurveyInvitation.survey_id == survey.id,
        SurveyInvitation.registration_id == Registration.id,
        SurveyInvitation.sent_at.is_not(None)))
    registrations = db.session.scalars(
        select(Registration).where(Registration.event_id == event.id,
                                   Registration.email.is_not(None), _admitted(event.id),
                                   ~already_sent)
        .order_by(Registration.id)).all()
    sent = 0
    for registration in registrations:
        invitation, token = _invitation(survey, registration)
        claimed = db.session.execute(
            update(SurveyInvitation)
            .where(SurveyInvitation.id == invitation.id, SurveyInvitation.sent_at.is_(None))
            .values(sent_at=now).execution_options(synchronize_session=False))
        if claimed.rowcount != 1:
            continue  # a concurrent sender has just mailed this one
        queue_email(registration.email, registration.language, "feedback/invitation",
                    name=registration.name, event=event, link=respond_url(token))
        sent += 1
    if sent:
        record_event(actor, survey, "survey.invitations_sent", after={"count": sent})
    db.session.commit()
    return sent


def _link_for(survey: Survey, registration: Registration, field: str | None) -> str:
    invitation, token = _invitation(survey, registration)
    if invitation.used_at is not None:
        db.session.rollback()
        raise DomainError(_l("You have already answered this survey. Thank you!"),
                          "already_answered", field)
    db.session.commit()
    return token


def token_for_ticket(survey: Survey, code: str, now: datetime | None = None) -> str:
    """In the room: the attendee types the ticket code and gets their personal link."""
    check_open(survey, now or utcnow())
    code = normalise_code(code if isinstance(code, str) else "")
    ticket = db.session.scalar(select(Ticket).where(Ticket.code == code)) if code else None
    if ticket is None or ticket.registration.event_id != survey.event_id:
        raise DomainError(_l("We do not know this ticket code for this event. Please check "
                             "it on your ticket."), "unknown_ticket", "code")
    if not _has_attended(ticket.registration):
        raise DomainError(_l("This ticket has not been checked in at the event. The survey "
                             "is for the people who took part."), "not_checked_in", "code")
    return _link_for(survey, ticket.registration, "code")


def attended_registration_of(survey: Survey, user) -> Registration | None:
    """The signed-in person's checked-in registration for the survey's event, if any."""
    if not (user and getattr(user, "is_authenticated", False)):
        return None
    return db.session.scalar(select(Registration).where(
        Registration.event_id == survey.event_id, Registration.user_id == user.id,
        _admitted(survey.event_id)).order_by(Registration.id.desc()).limit(1))


def token_for_user(survey: Survey, user, now: datetime | None = None) -> str:
    check_open(survey, now or utcnow())
    registration = attended_registration_of(survey, user)
    if registration is None:
        raise DomainError(_l("We found no checked-in registration of yours for this event. "
                             "Please type the code of your ticket."), "not_checked_in")
    return _link_for(survey, registration, None)


def invitation_counts(survey: Survey) -> dict[str, int]:
    rows = db.session.execute(select(SurveyInvitation.sent_at, SurveyInvitation.used_at)
                              .where(SurveyInvitation.survey_id == survey.id)).all()
    return {"sent": sum(1 for sent, _used in rows if sent),
            "used": sum(1 for _sent, used in rows if used)}


def send_due_invitations(now: datetime | None = None) -> dict[str, int]:
    """For `flask send-surveys`: every survey of a published event that has ended.
    Idempotent: an attendee is e-mailed once. Returns {event slug: messages queued}."""
    now = now or utcnow()
    surveys = db.session.scalars(
        select(Survey).join(Event, Event.id == Survey.event_id)
        .where(Event.state == EventState.PUBLISHED, Event.ends_at <= now)
        .order_by(Event.ends_at)).all()
    sent = {}
    for survey in surveys:
        if survey.questions:
            sent[survey.event.slug] = send_invitations(None, survey, now)
    return sent
