"""The registration pages: a person's own (public.py, blueprint "registration") and the
organisers' attendee pages (organiser.py, blueprint "attendees")."""

from . import erasure  # noqa: F401 - the guest's "delete my data" on the same blueprint
from .organiser import organiser_bp
from .public import bp

__all__ = ["bp", "organiser_bp"]
