"""The registration pages: a person's own (public.py, blueprint "registration") and the
organisers' attendee pages (organiser.py, blueprint "attendees"). confirm.py adds the
confirmation of a held seat to the "registration" blueprint."""

from . import erasure  # noqa: F401 - the guest's "delete my data" on the same blueprint
from . import confirm  # noqa: F401 - its routes join bp
from .organiser import organiser_bp
from .public import bp

__all__ = ["bp", "organiser_bp"]
