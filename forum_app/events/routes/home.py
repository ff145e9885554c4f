"""The home page: what is coming up."""

from flask import Blueprint, render_template
from sqlalchemy import select

from ...core.page_cache import public_page
from ...extensions import db
from ...i18n import utcnow
from ..models import Event, EventState

bp = Blueprint("home", __name__)


@bp.route("/")
@public_page
def index():
    upcoming = db.session.scalars(
        select(Event).where(Event.state == EventState.PUBLISHED, Event.ends_at >= utcnow())
        .order_by(Event.starts_at).limit(4)).all()
    return render_template("events/home.html", upcoming=upcoming)
