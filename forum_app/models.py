"""Imports every domain's models so the metadata (and Alembic) sees all tables."""

from .accounts.models import LoginSession, User, UserRole  # noqa: F401
from .audit.models import AuditEvent  # noqa: F401
from .core.models import Department, District  # noqa: F401
from .notifications.models import OutboxMessage  # noqa: F401
