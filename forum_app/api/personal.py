"""A person's own registrations and issues as JSON, for themselves only (api.me): what the
web's "My registrations" and ticket pages show, and their issues whether public or hidden."""

from datetime import datetime

from flask_babel import gettext as _

from ..core.urls import external_url
from ..i18n import localized
from ..issues.models import Issue
from ..moderation.services import FLAGGED
from ..registration import services as registration_services
from ..registration.models import Registration, RegistrationState
from .serializers import iso


def _ticket(registration: Registration) -> dict | None:
    """The entry pass of a confirmed registration: its code (the QR's text) and its page."""
    ticket = registration.ticket
    if registration.state != RegistrationState.CONFIRMED or ticket is None \
            or not ticket.is_valid:
        return None
    return {"code": ticket.code,
            "url": registration_services.manage_url(registration_services.manage_token(
                registration))}


def registration_json(registration: Registration, language: str, now: datetime,
                      waitlist_position: int | None) -> dict:
    event = registration.event
    return {
        "id": registration.id,
        "status": registration.state,
        "status_label": str(registration.state_label),
        "event": {"id": event.id, "slug": event.slug,
                  "title": localized(event, "title", language),
                  "start": iso(event.starts_at), "end": iso(event.ends_at),
                  "url": external_url("events.detail", slug=event.slug)},
        "registered_at": iso(registration.created_at),
        "confirmed_at": iso(registration.confirmed_at),
        "cancelled_at": iso(registration.cancelled_at),
        "hold_expires_at": iso(registration.hold_expires_at)
        if registration.state == RegistrationState.HELD else None,
        "waitlist_position": waitlist_position,
        "can_cancel": registration.is_active and now < event.starts_at,
        "ticket": _ticket(registration),
    }


def _hidden_reason(issue: Issue) -> str | None:
    if not issue.is_hidden:
        return None
    if issue.hidden_reason == FLAGGED:
        return _("Several people reported it; it is hidden until a moderator has reviewed it.")
    return issue.hidden_reason


def own_issue_json(issue: Issue, language: str) -> dict:
    """An issue as its author sees it: whether the public sees it, and if not, why."""
    return {
        "id": issue.id,
        "title": issue.title,
        "status": issue.status,
        "status_label": str(issue.status_label),
        "public": not issue.is_hidden,
        "hidden_reason": _hidden_reason(issue),
        "anonymous": issue.anonymous,
        "category": localized(issue.category, "name", language),
        "category_id": issue.category_id,
        "district_id": issue.district_id,
        "sdgs": issue.sdgs,
        "support_count": issue.support_count,
        "comment_count": issue.comment_count,
        "created_at": iso(issue.created_at),
        "updated_at": iso(issue.updated_at),
        "url": external_url("issues.detail", issue_id=issue.id),
    }
