"""The export log for admins: every download or opening of a list with personal data."""

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..accounts.models import User
from ..audit.models import AuditEvent
from ..audit.services import EXPORT_ACTION
from ..database import TABLE_PAGE_SIZE, paginate
from ..events.models import Event
from ..extensions import db
from ..i18n import localized
from .forms import ExportLogFilterForm

EVENT_TYPE = "Event"
EXPORT_LABELS = {"attendees": _l("Attendee list"), "badges": _l("Badges")}


def _filter_form() -> ExportLogFilterForm:
    form = ExportLogFilterForm(request.args)
    logged = select(AuditEvent).where(AuditEvent.action == EXPORT_ACTION)
    people = db.session.scalars(select(User).where(
        User.id.in_(logged.with_only_columns(AuditEvent.actor_id))).order_by(User.stored_name))
    events = db.session.scalars(select(Event).where(Event.id.in_(
        logged.where(AuditEvent.object_type == EVENT_TYPE)
        .with_only_columns(AuditEvent.object_id))).order_by(Event.starts_at.desc()))
    form.person.choices = [("", "—")] + [(str(u.id), f"{u.name} ({u.email})") for u in people]
    form.event.choices = [("", "—")] + [(str(e.id), localized(e, "title")) for e in events]
    return form


def export_log():
    """/admin/exports (registered by routes.py)."""
    form = _filter_form()
    query = select(AuditEvent).where(AuditEvent.action == EXPORT_ACTION)
    if form.validate():
        if form.person.data:
            query = query.where(AuditEvent.actor_id == form.person.data)
        if form.event.data:
            query = query.where(AuditEvent.object_type == EVENT_TYPE,
                                AuditEvent.object_id == form.event.data)
    page = paginate(query.order_by(AuditEvent.id.desc()), per_page=TABLE_PAGE_SIZE)
    ids = {row.object_id for row in page.items if row.object_type == EVENT_TYPE}
    events = {e.id: e for e in db.session.scalars(select(Event).where(Event.id.in_(ids)))}
    return render_template("admin/exports.html", form=form, page=page, events=events,
                           export_labels=EXPORT_LABELS)
