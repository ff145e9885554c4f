"""Checking what a person gives when registering, and whether the event takes it now."""

import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l

from ..accounts.services import normalise_email
from ..core.models import District
from ..core.reference import StakeholderKind
from ..core.text import PHONE_MESSAGE, clean_text, is_phone
from ..errors import DomainError
from ..events.models import Event, EventState, Question, QuestionKind, RegistrationMode
from ..events.services import registration_status
from ..extensions import db
from .models import AGE_BANDS, GENDERS

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_TEXT = 2000
NAME_TOO_LONG = _l("The name is too long (at most %(n)d characters).")
ORGANISATION_TOO_LONG = _l("The organisation name is too long.")
KEEP_UNDER = _l("Please keep this under %(n)d characters.")
BAD_EMAIL = _l("Please enter a valid e-mail address.")


@dataclass
class RegistrationInput:
    """What a person gives when registering, from a form, the API or the door."""

    name: str = ""
    email: str | None = None
    phone: str | None = None
    language: str = "mn"
    stakeholder_kind: str = StakeholderKind.CITIZEN.value
    organisation: str | None = None
    district_id: int | None = None
    gender: str | None = None
    age_band: str | None = None
    accessibility_needs: str | None = None
    consent: bool = False
    answers: dict = field(default_factory=dict)  # question id -> raw value
    invitation_code: str | None = None



# --- validation ------------------------------------------------------------------------------

def _text(errors: dict, field: str, value, limit: int, too_long) -> str | None:
    """The cleaned text; a refusal goes into `errors`, so every field is checked at once."""
    try:
        return clean_text(value, field, limit, too_long=too_long)
    except DomainError as error:
        errors[field] = error.message
        return None


def validate_input(event: Event, data: RegistrationInput, user=None) -> dict:
    """Field errors (empty when all is well); normalises `data` in place."""
    errors: dict = {}
    data.name = _text(errors, "name", data.name, 120, NAME_TOO_LONG) \
        or (None if "name" in errors else user.name if user else None)
    data.email = normalise_email(_text(errors, "email", data.email, 254, BAD_EMAIL)
                                 or ("" if "email" in errors else user.email if user else "")
                                 ) or None
    data.phone = _text(errors, "phone", data.phone, 32, PHONE_MESSAGE) \
        or (None if "phone" in errors else user.phone if user else None)
    data.organisation = _text(errors, "organisation", data.organisation, 200, ORGANISATION_TOO_LONG)
    data.accessibility_needs = _text(errors, "accessibility_needs", data.accessibility_needs,
                                     MAX_TEXT, KEEP_UNDER)
    if not data.name and "name" not in errors:
        errors["name"] = _l("Please enter your name.")
    if data.email and not EMAIL_PATTERN.match(data.email):
        errors["email"] = BAD_EMAIL
    if data.phone and not is_phone(data.phone):
        errors["phone"] = PHONE_MESSAGE
    if not data.email and not data.phone and "email" not in errors:
        errors["email"] = _l("Please give an e-mail address or a phone number.")
    if data.language not in ("mn", "en"):
        data.language = "mn"
    if data.stakeholder_kind not in {k.value for k in StakeholderKind}:
        errors["stakeholder_kind"] = _l("Please choose who you are.")
    if data.district_id is not None and db.session.get(District, data.district_id) is None:
        errors["district_id"] = _l("Please choose a district from the list.")
    if data.gender not in (None, "", *GENDERS):
        errors["gender"] = _l("Please choose from the list.")
    if data.age_band not in (None, "", *AGE_BANDS):
        errors["age_band"] = _l("Please choose from the list.")
    if data.consent is not True:
        errors["consent"] = _l("Please accept the privacy notice to register.")
    errors |= _validate_answers(event, data)
    return errors


def _validate_answers(event: Event, data: RegistrationInput) -> dict:
    errors = {}
    cleaned = {}
    raw_answers = {str(k): v for k, v in (data.answers or {}).items()}
    for question in event.questions:
        key = f"q_{question.id}"
        raw = raw_answers.get(str(question.id))
        value, problem = _answer_value(question, raw)
        if problem:
            errors[key] = problem
        elif value is None and question.required:
            errors[key] = _l("Please answer this question.")
        elif value is not None:
            cleaned[question.id] = value
    data.answers = cleaned
    return errors


def _answer_value(question: Question, raw):
    """(value, None) or (None, message). Empty answers are None."""
    if raw in (None, "", []):
        return None, None
    options = len(question.options or [])
    try:
        if question.kind == QuestionKind.TEXT:
            text = str(raw).strip()
            if len(text) > MAX_TEXT:
                return None, _l("Please keep this under %(n)d characters.", n=MAX_TEXT)
            return text or None, None
        if question.kind == QuestionKind.YES_NO:
            if isinstance(raw, bool):
                return raw, None
            if str(raw).lower() in {"yes", "true", "1", "y"}:
                return True, None
            if str(raw).lower() in {"no", "false", "0", "n"}:
                return False, None
            raise ValueError
        if question.kind == QuestionKind.SINGLE:
            index = int(raw)
            if not 0 <= index < options:
                raise ValueError
            return index, None
        if question.kind == QuestionKind.MULTIPLE:
            values = raw if isinstance(raw, list | tuple) else [raw]
            indexes = sorted({int(v) for v in values})
            if any(not 0 <= i < options for i in indexes):
                raise ValueError
            return indexes or None, None
    except (TypeError, ValueError):
        return None, _l("Please choose from the list.")
    return None, _l("Please choose from the list.")


def registration_refusal(event: Event, now: datetime,
                         invitation_code: str | None = None) -> str | None:
    """Why `event` takes no registration now (the message of check_can_register), or None."""
    try:
        check_can_register(event, now, invitation_code)
    except DomainError as error:
        return error.message
    return None


def check_can_register(event: Event, now: datetime, invitation_code: str | None = None,
                       at_the_door: bool = False) -> None:
    if event.state == EventState.CANCELLED:
        raise DomainError(_l("This event has been cancelled."), "event_cancelled")
    if event.state != EventState.PUBLISHED:
        raise DomainError(_l("This event is not open for registration."), "not_published")
    if at_the_door:  # staff register walk-ins while the event runs
        if now >= event.ends_at:
            raise DomainError(_l("The event has ended."), "ended")
        return
    status = registration_status(event, now)  # the one rule the event page shows too
    if status in ("started", "ended"):
        raise DomainError(_l("Registration has closed: the event has started."), "closed")
    if status == "not_yet_open":
        raise DomainError(_l("Registration has not opened yet."), "not_open_yet")
    if status == "closed":
        raise DomainError(_l("Registration for this event has closed."), "closed")
    if event.registration_mode == RegistrationMode.INVITATION and (
            not invitation_code or not event.invitation_code
            or not secrets.compare_digest(invitation_code, event.invitation_code)):
        raise DomainError(_l("This event is by invitation only. Please use the link from "
                             "your invitation."), "invitation_required")
