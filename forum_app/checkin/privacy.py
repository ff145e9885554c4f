"""Check-ins' part of "My data". A check-in holds no name (only the ticket code), so erasure
keeps it for the attendance figures; a scanner named after its staff member is renamed."""

from sqlalchemy import select

from ..core.personal import row_dict
from ..core.redaction import redact_rows
from ..core.signals import personal_data_erasing, personal_data_requested
from ..extensions import db
from ..registration.models import Registration, Ticket
from .models import CheckIn, Device


@personal_data_erasing.connect
def erase_scanner_names(sender, user=None, registrations=(), traces=frozenset()):
    return "checkins", redact_rows(Device, ["name"], set(traces))


@personal_data_requested.connect
def checkins_held(sender, user):
    rows = db.session.scalars(
        select(CheckIn).join(Ticket, Ticket.id == CheckIn.ticket_id)
        .join(Registration, Registration.id == Ticket.registration_id)
        .where(Registration.user_id == user.id).order_by(CheckIn.id))
    return "checkins", [row_dict(c, ("event_id", "session_id", "gate", "result", "scanned_at",
                                     "annulled_at")) for c in rows]
