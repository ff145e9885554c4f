"""The check-in home of an event: where to scan, the scanner keys (devices), badges."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...audit.services import record_download
from ...core.forms import attempt
from ...database import MAX_ID
from ...errors import DomainError
from ...events.lookup import child_or_404, managed_event
from ...extensions import db
from ...i18n import local_datetime, localized
from ...registration.models import Registration, RegistrationState
from .. import badges, devices
from ..forms import ActionForm, DeviceForm, EntryPointForm
from ..models import Device
from . import bp
from .common import default_gate, entry_point

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
BADGE_LAYOUTS = ("a4", "label")


def _entry_form(event) -> EntryPointForm:
    form = EntryPointForm()
    form.session_id.choices = [("", _("— choose a session —"))] + [
        (str(s.id), f"{local_datetime(s.starts_at)} · {localized(s, 'title')}")
        for s in event.sessions]
    if not form.is_submitted():
        form.gate.data = default_gate()
    return form


def _home(event, entry_form=None, device_form=None, status=200):
    return render_template("checkin/home.html", event=event,
                           entry_form=entry_form or _entry_form(event),
                           device_form=device_form or DeviceForm(),
                           devices=devices.devices_of(event)), status


@bp.route("/<slug>/checkin")
def home(slug: str):
    return _home(managed_event(slug))


@bp.route("/<slug>/checkin/open", methods=["POST"])
def open_scanner(slug: str):
    """A scanner key for this phone and gate, handed to the page in the URL fragment only (a
    fragment never reaches a server or its logs)."""
    event = managed_event(slug)
    form = _entry_form(event)
    if not form.validate_on_submit():
        return _home(event, entry_form=form, status=422)
    point = entry_point(event, request.form)
    if point is None:
        form.session_id.errors = [_("Please choose the session people are entering.")]
        return _home(event, entry_form=form, status=422)
    place = localized(point.session, "title") if point.session else point.gate
    made = attempt(lambda: devices.create_device(current_user, event,
                                                 f"{current_user.name} — {place}"[:120]))
    if not made:
        return _home(event, entry_form=form, status=422)
    return redirect(url_for("checkin.scanner", slug=event.slug, **point.query(),
                            _anchor=f"token={made[1]}"))


@bp.route("/<slug>/devices", methods=["POST"])
def create_device(slug: str):
    event = managed_event(slug)
    form = DeviceForm()
    if not form.validate_on_submit():
        return _home(event, device_form=form, status=422)
    try:
        device, token = devices.create_device(current_user, event, form.name.data.strip())
    except DomainError as error:
        flash(str(error.message), "error")
        return _home(event, device_form=form, status=422)
    # The only time the key is shown: it is stored hashed, and this page is not cached.
    html = render_template("checkin/device_token.html", event=event, device=device, token=token)
    return Response(html, status=201, headers=NO_STORE)


@bp.route("/<slug>/devices/<int:device_id>/revoke", methods=["POST"])
def revoke_device(slug: str, device_id: int):
    event = managed_event(slug)
    device = child_or_404(Device, device_id, event)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        devices.revoke_device(current_user, device)
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(_("The scanner “%(name)s” can no longer check people in.", name=device.name),
              "success")
    return redirect(url_for("checkin.home", slug=event.slug))


def _badge_registrations(event) -> list[Registration]:
    """Everyone confirmed, by name; or the one registration asked for (a walk-in's badge)."""
    query = select(Registration).where(Registration.event_id == event.id,
                                       Registration.state == RegistrationState.CONFIRMED) \
        .options(selectinload(Registration.ticket))  # every badge prints its ticket's QR
    one = request.args.get("registration", type=int)
    if one is not None:
        query = query.where(Registration.id == min(max(one, 0), MAX_ID))
    return list(db.session.scalars(query.order_by(Registration.name, Registration.id)))


@bp.route("/<slug>/badges.pdf")
def badges_pdf(slug: str):
    event = managed_event(slug)
    layout = request.args.get("layout", "a4")
    if layout not in BADGE_LAYOUTS:
        abort(404)
    registrations = _badge_registrations(event)
    pdf = badges.badges_pdf(event, registrations, layout=layout)
    record_download(current_user, event, "badges", "pdf", len(registrations))
    return Response(pdf, mimetype="application/pdf",
                    headers={**NO_STORE, "Content-Disposition":
                             f'inline; filename="badges-{event.slug}-{layout}.pdf"'})
