"""The scanner page and its no-JavaScript scan, the scanner's service worker, and the undo."""

from flask import (
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from ...core.forms import form_status, perform
from ...core.service_workers import service_worker_response
from ...database import reads_first
from ...errors import DomainError
from ...events.lookup import child_or_404, managed_event
from .. import services
from ..forms import AnnulForm, ScanForm
from ..models import CheckIn
from . import bp
from .common import EntryPoint, entry_point, new_nonce, present, scanner_page


def _point_or_home(event):
    point = entry_point(event)
    if point is None:
        flash(_("Please choose the session people are entering."), "error")
    return point


@bp.route("/<slug>/scanner")
def scanner(slug: str):
    event = managed_event(slug)
    point = _point_or_home(event)
    if point is None:
        return redirect(url_for("checkin.home", slug=event.slug))
    return scanner_page(event, point)


@bp.route("/<slug>/scan", methods=["POST"])
@reads_first
def scan(slug: str):
    """The scanner form without JavaScript (also the search page's "Check in" buttons). The
    form's nonce was made when it was drawn: sent again, it gets the first answer back."""
    event = managed_event(slug)
    point = _point_or_home(event)
    if point is None:
        return redirect(url_for("checkin.home", slug=event.slug))
    form = ScanForm()
    if not form.validate_on_submit():
        return scanner_page(event, point, form=form, status=422)
    try:
        outcome = _check_in(event, point, form.code.data, form.nonce.data)
    except DomainError as error:
        flash(str(error.message), "error")
        return scanner_page(event, point, form=form, status=422)
    return scanner_page(event, point, result=present(outcome), form=form)


def _check_in(event, point: EntryPoint, code: str, nonce: str):
    try:
        return services.check_in(code, event=event, device=None, staff=current_user,
                                 nonce=nonce, gate=point.gate, session_id=point.session_id)
    except DomainError as error:
        if error.code != "nonce_reused":
            raise
    # An old copy of the form (the back button) sent with another code: a new scan.
    return services.check_in(code, event=event, device=None, staff=current_user,
                             nonce=new_nonce(), gate=point.gate, session_id=point.session_id)


@bp.route("/<slug>/scanner-sw.js")
def service_worker(slug: str):
    """Served beside the scanner page so that its scope may cover it."""
    managed_event(slug)
    return service_worker_response("scanner-sw.js")


@bp.route("/<slug>/checkins/<int:checkin_id>/annul", methods=["GET", "POST"])
def annul(slug: str, checkin_id: int):
    """Undo a check-in (within 15 minutes, with a reason that is recorded)."""
    event = managed_event(slug)
    checkin = child_or_404(CheckIn, checkin_id, event)
    point = EntryPoint(checkin.gate, checkin.session)
    form = AnnulForm()
    if perform(form, lambda: services.annul_check_in(current_user, checkin,
                                                     form.reason.data.strip())):
        flash(_("The check-in has been undone."), "success")
        return redirect(url_for("checkin.scanner", slug=event.slug, **point.query()))
    return render_template("checkin/annul.html", event=event, checkin=checkin, form=form,
                           point=point), form_status()
