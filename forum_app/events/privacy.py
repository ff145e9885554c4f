"""Events' part of "My data": the events a person helps run; erasure ends that role."""

from sqlalchemy import delete, select

from ..core.signals import personal_data_erasing, personal_data_requested
from ..extensions import db
from ..i18n import localized
from .models import EventStaff


@personal_data_erasing.connect
def end_staff_roles(sender, user=None, registrations=(), traces=frozenset()):
    if user is None:
        return "event_staff", 0
    return "event_staff", db.session.execute(delete(EventStaff).where(
        EventStaff.user_id == user.id)).rowcount


@personal_data_requested.connect
def staff_roles_held(sender, user):
    rows = db.session.scalars(select(EventStaff).where(EventStaff.user_id == user.id))
    return "event_staff", [localized(row.event, "title") for row in rows]
