"""Imports every domain's models so the metadata (and Alembic) sees all tables."""

from .accounts.models import LoginSession, User, UserRole  # noqa: F401
from .audit.models import AuditEvent  # noqa: F401
from .checkin.models import CheckIn, Device  # noqa: F401
from .core.models import Department, District  # noqa: F401
from .events.models import Event, EventSession, EventStaff, EventTag, Question  # noqa: F401
from .exhibitions.models import Exhibitor  # noqa: F401
from .notifications.models import OutboxMessage  # noqa: F401
from .registration.models import Answer, Registration, Ticket  # noqa: F401
