"""What enterprises and organisers can do with booth applications."""

import re

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError

from ..accounts.models import User
from ..audit.services import record_event
from ..core.text import PHONE_MESSAGE, clean_text, is_phone
from ..core.urls import external_url
from ..database import contains_folded
from ..errors import DomainError
from ..events.models import Event
from ..events.services import can_manage
from ..extensions import db
from ..i18n import localized, utcnow
from ..notifications.services import queue_email
from .models import SECTORS, Exhibitor, ExhibitorState, company_key

WEBSITE_PATTERN = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
LIMITS = {"company_name": 200, "contact_name": 120, "contact_email": 254, "website": 300,
          "products_mn": 2000, "products_en": 2000, "booth_needs": 2000, "booth_number": 20,
          "reason": 1000}
ACTIVE_STATES = (ExhibitorState.PENDING.value, ExhibitorState.APPROVED.value)


def _text(values: dict, key: str) -> str | None:
    return clean_text(values.get(key) or None, key, LIMITS[key],
                      single_line=key in {"company_name", "contact_name"})


def accepts_applications(event: Event) -> bool:
    return event.accepts_booth_applications


def _clean_application(values: dict, user: User | None) -> dict:
    clean = {key: _text(values, key) for key in (
        "company_name", "contact_name", "contact_email", "website", "products_mn",
        "products_en", "booth_needs")}
    if not clean["company_name"]:
        raise DomainError(_l("Please enter the name of the company or organisation."),
                          "company_required", "company_name")
    sector = values.get("sector")
    if sector not in SECTORS:
        raise DomainError(_l("Please choose a sector from the list."), "bad_sector", "sector")
    clean["sector"] = sector
    if not clean["contact_name"]:
        raise DomainError(_l("Please enter the name of the contact person."),
                          "contact_required", "contact_name")
    try:
        clean["contact_email"] = validate_email(clean["contact_email"] or "",
                                                check_deliverability=False).normalized
    except EmailNotValidError:
        raise DomainError(_l("Please enter a valid e-mail address."), "bad_email",
                          "contact_email") from None
    phone = str(values.get("contact_phone") or "").strip()
    if phone and not is_phone(phone):
        raise DomainError(PHONE_MESSAGE, "bad_phone", "contact_phone")
    clean["contact_phone"] = phone or None
    if clean["website"] and not WEBSITE_PATTERN.match(clean["website"]):
        raise DomainError(_l("Please enter a web address starting with https://."),
                          "bad_website", "website")
    if not (clean["products_mn"] or clean["products_en"]):
        raise DomainError(_l("Please describe your products or services in at least one "
                             "language."), "products_required", "products_mn")
    language = values.get("language") or (user.language if user else None) or "mn"
    if language not in current_app.config["LANGUAGES"]:
        raise DomainError(_l("Please choose a language."), "bad_language", "language")
    clean["language"] = language
    return clean


def _existing_application(event: Event, company_name: str) -> Exhibitor | None:
    return db.session.scalar(select(Exhibitor).where(
        Exhibitor.event_id == event.id,
        Exhibitor.company_key == company_key(company_name),
        Exhibitor.state.in_(ACTIVE_STATES)).limit(1))


def _queue_mail(exhibitor: Exhibitor, template: str, **extra) -> None:
    event = exhibitor.event
    queue_email(exhibitor.contact_email, exhibitor.language, f"exhibitions/{template}",
                name=exhibitor.contact_name, company=exhibitor.company_name,
                event_title=localized(event, "title", exhibitor.language),
                link=external_url("exhibitions.directory", event_slug=event.slug), **extra)


def apply_for_booth(event: Event, values: dict, user: User | None = None) -> Exhibitor:
    """A pending application; the contact gets a "received" e-mail."""
    if not accepts_applications(event):
        raise DomainError(_l("This exhibition does not accept applications."), "closed")
    clean = _clean_application(values, user)
    if _existing_application(event, clean["company_name"]) is not None:
        raise DomainError(_l("This company has already applied for this exhibition."),
                          "already_applied", "company_name")
    exhibitor = Exhibitor(event=event, user_id=getattr(user, "id", None),
                          state=ExhibitorState.PENDING.value, **clean)
    db.session.add(exhibitor)
    try:
        db.session.flush()
    except IntegrityError:  # the same company applied at the same moment
        db.session.rollback()
        raise DomainError(_l("This company has already applied for this exhibition."),
                          "already_applied", "company_name") from None
    record_event(user, exhibitor, "exhibitor.applied", after={"state": exhibitor.state})
    _queue_mail(exhibitor, "received")
    db.session.commit()
    return exhibitor


def _check_decision(actor: User, exhibitor: Exhibitor) -> None:
    if not can_manage(actor, exhibitor.event):
        raise DomainError(_l("Only the organisers of this exhibition can decide on "
                             "applications."), "forbidden")
    if exhibitor.state != ExhibitorState.PENDING:
        raise DomainError(_l("This application has already been decided."), "already_decided")


def _decide(actor: User, exhibitor: Exhibitor, state: ExhibitorState, reason: str | None,
            booth_number: str | None) -> None:
    before = {"state": exhibitor.state}
    exhibitor.state = state.value
    exhibitor.decision_reason = reason
    exhibitor.booth_number = booth_number
    exhibitor.decided_at = utcnow()
    after = {"state": exhibitor.state}
    if booth_number:
        after["booth_number"] = booth_number
    record_event(actor, exhibitor, f"exhibitor.{state.value}", before, after, reason)


def approve_exhibitor(actor: User, exhibitor: Exhibitor,
                      booth_number: str | None = None) -> Exhibitor:
    _check_decision(actor, exhibitor)
    booth_number = _text({"booth_number": booth_number}, "booth_number")
    _decide(actor, exhibitor, ExhibitorState.APPROVED, None, booth_number)
    _queue_mail(exhibitor, "approved", booth_number=booth_number or "")
    db.session.commit()
    return exhibitor


def decline_exhibitor(actor: User, exhibitor: Exhibitor, reason: str) -> Exhibitor:
    _check_decision(actor, exhibitor)
    reason = _text({"reason": reason}, "reason")
    if not reason:
        raise DomainError(_l("Please give a reason; the applicant will read it."),
                          "reason_required", "reason")
    _decide(actor, exhibitor, ExhibitorState.DECLINED, reason, None)
    _queue_mail(exhibitor, "declined", reason=reason)
    db.session.commit()
    return exhibitor


def directory_query(event: Event, sector: str | None = None, text: str | None = None) -> Select:
    """Approved exhibitors of the event, optionally of one sector and matching a text."""
    query = select(Exhibitor).where(Exhibitor.event_id == event.id,
                                    Exhibitor.state == ExhibitorState.APPROVED.value)
    if sector in SECTORS:
        query = query.where(Exhibitor.sector == sector)
    text = (text or "").strip().lower()
    if text:
        query = query.where(contains_folded(
            (Exhibitor.company_name, Exhibitor.products_mn, Exhibitor.products_en), text))
    return query.order_by(func.lower(Exhibitor.company_name), Exhibitor.id)


def applications_query(event: Event, state: str | None = None) -> Select:
    query = select(Exhibitor).where(Exhibitor.event_id == event.id)
    if state in {s.value for s in ExhibitorState}:
        query = query.where(Exhibitor.state == state)
    return query.order_by(Exhibitor.created_at.desc(), Exhibitor.id.desc())


def state_counts(event: Event) -> dict[str, int]:
    rows = db.session.execute(select(Exhibitor.state, func.count(Exhibitor.id))
                              .where(Exhibitor.event_id == event.id)
                              .group_by(Exhibitor.state))
    return {state: count for state, count in rows}
