"""Writing audit events. Callers commit together with the change they record."""

from ..extensions import db
from .models import AuditEvent


def record_event(actor, obj, action: str, before=None, after=None, reason=None,
                 reason_en=None) -> AuditEvent:
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        object_type=type(obj).__name__,
        object_id=obj.id,
        action=action,
        before=before,
        after=after,
        reason=reason,
        reason_en=reason_en,
    )
    db.session.add(event)
    return event


EXPORT_ACTION = "export.downloaded"


def record_download(actor, obj, what: str, fmt: str, rows: int | None = None) -> None:
    """The export log: who downloaded or opened a list with personal data (an attendee list,
    its CSV/XLSX, badges), of what (`obj`, e.g. the event), and when. Commits."""
    record_event(actor, obj, EXPORT_ACTION, after={"what": what, "format": fmt, "rows": rows})
    db.session.commit()
