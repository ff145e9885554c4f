"""The public pages: the list of events, one event, and iCalendar downloads."""

from datetime import datetime

from flask import Response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ...core.page_cache import public_page
from ...database import CARD_PAGE_SIZE, paginate
from ...extensions import db
from ...i18n import current_language, supported_languages, utcnow
from .. import search
from ..forms import EventFilterForm, local_to_utc
from ..ics import build_calendar
from ..models import Event, EventState, EventTag
from ..services import can_manage, registration_status
from . import bp
from .common import register_url, visible_event

PUBLIC_STATES = (EventState.PUBLISHED.value, EventState.CANCELLED.value)


def _month_bounds(month: str) -> tuple[datetime, datetime]:
    """The UTC start and end of a calendar month in Darkhan."""
    start = datetime.strptime(month, "%Y-%m")
    end = start.replace(year=start.year + 1, month=1) if start.month == 12 \
        else start.replace(month=start.month + 1)
    return local_to_utc(start), local_to_utc(end)


def _filtered_query(form: EventFilterForm, now: datetime):
    query = select(Event).where(Event.state.in_(PUBLIC_STATES))
    past = form.when.data == "past"
    if past:
        query = query.where(Event.ends_at < now).order_by(Event.starts_at.desc(), Event.id)
    else:
        query = query.where(Event.ends_at >= now).order_by(Event.starts_at, Event.id)
    if form.kind.data and not form.kind.errors:
        query = query.where(Event.kind == form.kind.data)
    if form.tag.data and not form.tag.errors:
        query = query.where(Event.id.in_(select(EventTag.event_id)
                                         .where(EventTag.tag == form.tag.data)))
    if form.month.data and not form.month.errors:
        start, end = _month_bounds(form.month.data)
        query = query.where(Event.starts_at < end, Event.ends_at >= start)
    found = search.matching(form.q.data) if not form.q.errors else None
    return query if found is None else query.where(found)


@bp.route("/")
@public_page
def index():
    form = EventFilterForm(request.args)
    if not form.when.data:
        form.when.data = "upcoming"
    valid = form.validate()
    page = paginate(_filtered_query(form, utcnow()), per_page=CARD_PAGE_SIZE)
    filters = {name: form[name].data or "" for name in ("q", "when", "kind", "month", "tag")
               if not form[name].errors}
    return render_template("events/index.html", form=form, page=page, filters=filters,
                           now=utcnow()), 200 if valid else 422


@bp.route("/<slug>")
@public_page
def detail(slug: str):
    event = visible_event(slug)
    now = utcnow()
    return render_template("events/detail.html", event=event, now=now,
                           status=registration_status(event, now),
                           register_url=register_url(event),
                           accepts_booths=event.accepts_booth_applications,
                           manager=can_manage(current_user, event))


def _calendar_language() -> str:
    language = request.args.get("lang")
    return language if language in supported_languages() else current_language()


def _calendar_response(body: str, filename: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.route("/<slug>.ics")
def event_ics(slug: str):
    event = visible_event(slug)
    return _calendar_response(build_calendar([event], _calendar_language()), f"{event.slug}.ics")


@bp.route("/feed.ics")
def feed():
    events = db.session.scalars(select(Event).where(Event.state.in_(PUBLIC_STATES))
                                .order_by(Event.starts_at, Event.id)).all()
    body = build_calendar(events, _calendar_language(), name=_("Darkhan City Forum events"))
    response = _calendar_response(body, "darkhan-forum-events.ics")
    response.headers["Content-Disposition"] = 'inline; filename="darkhan-forum-events.ics"'
    return response
