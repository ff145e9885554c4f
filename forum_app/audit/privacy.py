"""The audit trail's part of "My data", and its redaction when a person is erased."""

from sqlalchemy import select

from ..core.personal import row_dict
from ..core.redaction import redact_rows
from ..core.signals import personal_data_erasing, personal_data_requested
from ..extensions import db
from .models import AuditEvent


@personal_data_erasing.connect
def redact_audit_trail(sender, user=None, registrations=(), traces=frozenset()):
    """Who did what stays (the actor is the erased account, shown as "former participant");
    a name, e-mail or phone copied into an event's before/after/reason is redacted."""
    return "audit", redact_rows(AuditEvent, ["before", "after", "reason"], set(traces))


@personal_data_requested.connect
def audit_events_held(sender, user):
    rows = db.session.scalars(select(AuditEvent).where(
        AuditEvent.actor_id == user.id).order_by(AuditEvent.id))
    return "actions_recorded", [
        row_dict(row, ("created_at", "action", "object_type", "object_id")) for row in rows]
