"""Writing audit events. Callers commit together with the change they record."""

from ..extensions import db
from .models import AuditEvent


def record_event(actor, obj, action: str, before=None, after=None, reason=None) -> AuditEvent:
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        object_type=type(obj).__name__,
        object_id=obj.id,
        action=action,
        before=before,
        after=after,
        reason=reason,
    )
    db.session.add(event)
    return event
