"""The registration pages: a person's own (public.py, blueprint "registration") and the
organisers' attendee pages (organiser.py, blueprint "attendees")."""

from .organiser import organiser_bp
from .public import bp

__all__ = ["bp", "organiser_bp"]
