"""The registration pages: a person's own (public.py, blueprint "registration") and the
organisers' attendee pages (organiser.py, blueprint "attendees"). confirm.py adds the
confirmation of a held seat to the "registration" blueprint; erasure.py "delete my data";
lost_ticket.py "lost your ticket?"."""

from . import confirm, erasure, lost_ticket  # noqa: F401 - their routes join bp
from .organiser import organiser_bp
from .public import bp

__all__ = ["bp", "organiser_bp"]
