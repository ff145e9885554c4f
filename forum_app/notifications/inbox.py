"""A person's notifications page and their choice of channels."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, bindparam, func, select, update

from ..errors import DomainError
from ..extensions import db
from ..i18n import utcnow
from .models import Notification, NotificationPreference

EMAIL_CHOICES = {
    "immediate": _l("Right away, one e-mail per update"),
    "daily": _l("Once a day, a summary of the day's updates"),
    "off": _l("No e-mail"),
}


def preference_for(user) -> NotificationPreference:
    """The person's saved choice, or the default (e-mail right away, in-app on) unsaved."""
    preference = db.session.scalar(
        select(NotificationPreference).where(NotificationPreference.user_id == user.id))
    return preference or NotificationPreference(user_id=user.id, email="immediate", in_app=True)


def update_preferences(user, email: str, in_app: bool) -> NotificationPreference:
    if email not in EMAIL_CHOICES:
        raise DomainError(_l("Please choose how often to receive e-mail."), "bad_choice", "email")
    preference = preference_for(user)
    preference.email, preference.in_app = email, bool(in_app)
    db.session.add(preference)
    db.session.commit()
    return preference


def notices_query(user) -> Select:
    return (select(Notification).where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc()))


# Built once: the header of every signed-in page asks it.
_UNREAD = select(func.count(Notification.id)).where(
    Notification.user_id == bindparam("user_id"), Notification.read_at.is_(None))


def unread_count(user) -> int:
    return db.session.scalar(_UNREAD, {"user_id": user.id}) or 0


def mark_all_read(user) -> int:
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow()).execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount
