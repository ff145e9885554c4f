"""The organisers' check-in pages: the check-in home of an event (gate, devices, badges), the
scanner (works without JavaScript; with it: camera, sound, offline), search, walk-ins, live
figures and the undo of a check-in. Only those who manage the event get in."""

from flask import Blueprint
from flask_login import login_required

bp = Blueprint("checkin", __name__, url_prefix="/manage/events")


@bp.before_request
@login_required
def require_login():
    return None


from . import desk, home, scanner  # noqa: E402, F401 - attach the views
