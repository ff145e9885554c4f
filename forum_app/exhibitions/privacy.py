"""Exhibitions' part of "My data": the applications a person made; erasure redacts the
contact person (the company's application stays)."""

from sqlalchemy import select

from ..core.personal import row_dict
from ..core.redaction import redact_rows
from ..core.signals import personal_data_erasing, personal_data_requested
from ..extensions import db
from .models import Exhibitor

CONTACT = ["contact_name", "contact_email", "contact_phone"]


@personal_data_erasing.connect
def erase_contacts(sender, user=None, registrations=(), traces=frozenset()):
    return "exhibitor_applications", redact_rows(Exhibitor, CONTACT, set(traces))


@personal_data_requested.connect
def applications_held(sender, user):
    rows = db.session.scalars(select(Exhibitor).where(Exhibitor.user_id == user.id))
    return "exhibitor_applications", [
        row_dict(row, ("company_name", "state", *CONTACT, "booth_needs")) for row in rows]
