"""Writing audit events. Callers commit together with the change they record."""

from sqlalchemy import insert

from ..extensions import db
from .models import AuditEvent


def record_event(actor, obj, action: str, before=None, after=None, reason=None,
                 reason_en=None) -> AuditEvent:
    event = AuditEvent(**_event_values(actor, type(obj).__name__, obj.id, action, before,
                                       after, reason, reason_en))
    db.session.add(event)
    return event


INSERT_EVENT = insert(AuditEvent.__table__)


def insert_event(actor, object_type: str, object_id: int, action: str, before=None,
                 after=None, reason=None) -> None:
    """record_event written at once by one INSERT, with no ORM object to flush: for a hot
    write path whose own rows are plain statements too (`object_type` is the model's name)."""
    db.session.connection().execute(INSERT_EVENT, _event_values(
        actor, object_type, object_id, action, before, after, reason, None))


def _event_values(actor, object_type: str, object_id: int, action: str, before, after, reason,
                 reason_en) -> dict:
    """An audit row's columns (created_at takes its default: now)."""
    return {"actor_id": getattr(actor, "id", None), "object_type": object_type,
            "object_id": object_id, "action": action, "before": before, "after": after,
            "reason": reason, "reason_en": reason_en}


EXPORT_ACTION = "export.downloaded"


def record_download(actor, obj, what: str, fmt: str, rows: int | None = None) -> None:
    """The export log: who downloaded or opened a list with personal data (an attendee list,
    its CSV/XLSX, badges), of what (`obj`, e.g. the event), and when. Commits."""
    record_event(actor, obj, EXPORT_ACTION, after={"what": what, "format": fmt, "rows": rows})
    db.session.commit()
