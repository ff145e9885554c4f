"""Surveys after events: the organisers' builder and results (manage.py) and the attendees'
pages: the room QR, the ticket-code start page and the personal answer link (public.py)."""

from flask import Blueprint

bp = Blueprint("feedback", __name__, url_prefix="/feedback")

from . import manage, public  # noqa: E402, F401 - attach the views
