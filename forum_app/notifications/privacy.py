"""What the notifications package holds on a person ("My data"), and erasing it."""

from sqlalchemy import delete, func, or_, select

from ..core.personal import row_dict
from ..core.redaction import redact_rows
from ..core.signals import personal_data_erasing, personal_data_requested
from ..extensions import db
from .models import Notification, NotificationPreference, OutboxMessage

OUTBOX_TEXTS = ["recipient", "subject", "body_text", "body_html", "payload", "attachments",
                "last_error"]


def erase_outbox(traces: set[str]) -> int:
    """Mails addressed to the person are deleted (sent or not: the outbox is a delivery
    queue, not a record); their name, e-mail or phone in any other mail is redacted."""
    addresses = {trace.lower() for trace in traces if "@" in trace}
    deleted = db.session.execute(delete(OutboxMessage).where(
        func.lower(OutboxMessage.recipient).in_(addresses))).rowcount if addresses else 0
    return deleted + redact_rows(OutboxMessage, OUTBOX_TEXTS, traces)


@personal_data_erasing.connect
def erase_notifications(sender, user=None, registrations=(), traces=frozenset()):
    count = erase_outbox(set(traces))
    if user is not None:
        count += db.session.execute(delete(Notification).where(
            Notification.user_id == user.id)).rowcount
        db.session.execute(delete(NotificationPreference).where(
            NotificationPreference.user_id == user.id))
    return "notifications", count


@personal_data_requested.connect
def notifications_held(sender, user):
    notices = db.session.scalars(select(Notification).where(
        Notification.user_id == user.id).order_by(Notification.id))
    preference = db.session.scalar(select(NotificationPreference).where(
        NotificationPreference.user_id == user.id))
    mails = db.session.scalars(select(OutboxMessage).where(or_(
        func.lower(OutboxMessage.recipient) == user.email.lower())).order_by(OutboxMessage.id))
    return "notifications", {
        "notices": [row_dict(n, ("kind", "object_type", "object_id", "payload", "created_at",
                                 "read_at", "emailed_at")) for n in notices],
        "preferences": row_dict(preference, ("email", "in_app")) if preference else None,
        "emails": [row_dict(m, ("created_at", "sent_at", "recipient", "subject", "template"))
                   for m in mails],
    }
