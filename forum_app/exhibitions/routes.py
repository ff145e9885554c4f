"""Booth applications, their review, and the public exhibitor directory."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..core.forms import form_status, perform
from ..database import paginate
from ..events.lookup import child_or_404
from ..events.models import Event, EventKind
from ..events.services import can_view
from ..extensions import db, limiter
from ..i18n import current_language
from . import services
from .forms import (
    STATE_LABELS,
    ApplicationsFilterForm,
    ApplyForm,
    ApproveForm,
    DeclineForm,
    DirectoryFilterForm,
)
from .models import SECTORS, Exhibitor

bp = Blueprint("exhibitions", __name__, url_prefix="/exhibitions")
APPLY_FIELDS = ("company_name", "sector", "products_mn", "products_en", "website",
                "contact_name", "contact_email", "contact_phone", "booth_needs", "language")


def _exhibition_or_404(slug: str) -> Event:
    event = db.session.scalar(select(Event).where(Event.slug == slug,
                                                  Event.kind == EventKind.EXHIBITION.value))
    if event is None:
        abort(404)
    if not can_view(current_user, event):
        abort(404)
    return event


def _managed_exhibition_or_403(slug: str) -> Event:
    event = _exhibition_or_404(slug)
    if not services.can_manage(current_user, event):
        abort(403)
    return event


def _prefill(form: ApplyForm) -> None:
    form.language.data = current_language()
    if current_user.is_authenticated:
        form.contact_name.data = current_user.name
        form.contact_email.data = current_user.email
        form.contact_phone.data = current_user.phone
        form.company_name.data = current_user.organisation
        form.language.data = current_user.language


@bp.route("/<event_slug>/apply", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def apply(event_slug: str):
    event = _exhibition_or_404(event_slug)
    form = ApplyForm()
    if request.method == "GET":
        _prefill(form)
    done = perform(form, lambda: services.apply_for_booth(
        event, {name: getattr(form, name).data for name in APPLY_FIELDS},
        current_user if current_user.is_authenticated else None))
    if done:
        flash(_("Thank you. We have received the application of %(company)s and sent a "
                "confirmation to %(email)s. The organisers will let you know their decision.",
                company=done.value.company_name, email=done.value.contact_email), "success")
        return redirect(url_for("exhibitions.directory", event_slug=event.slug))
    return render_template("exhibitions/apply.html", event=event, form=form,
                           open=services.accepts_applications(event)), \
        form_status()


@bp.route("/<event_slug>/")
def directory(event_slug: str):
    event = _exhibition_or_404(event_slug)
    form = DirectoryFilterForm(request.args)
    form.validate()
    text = form.q.data if not form.q.errors else None
    sector = form.sector.data if form.sector.data in SECTORS else None
    page = paginate(services.directory_query(event, sector, text))
    return render_template("exhibitions/directory.html", event=event, form=form, page=page,
                           sectors=SECTORS, filtered=bool(text or sector),
                           open=services.accepts_applications(event),
                           can_manage=services.can_manage(current_user, event))


@bp.route("/<event_slug>/applications")
@login_required
def applications(event_slug: str):
    event = _managed_exhibition_or_403(event_slug)
    form = ApplicationsFilterForm(request.args)
    state = form.state.data if form.state.data in STATE_LABELS else None
    page = paginate(services.applications_query(event, state))
    return render_template("exhibitions/applications.html", event=event, form=form, page=page,
                           state=state or "", sectors=SECTORS, state_labels=STATE_LABELS,
                           counts=services.state_counts(event))


def _render_application(event, exhibitor, approve_form=None, decline_form=None, status=200):
    return render_template("exhibitions/application.html", event=event, exhibitor=exhibitor,
                           approve_form=approve_form or ApproveForm(),
                           decline_form=decline_form or DeclineForm(), sectors=SECTORS,
                           state_labels=STATE_LABELS), status


@bp.route("/<event_slug>/applications/<int:exhibitor_id>")
@login_required
def application(event_slug: str, exhibitor_id: int):
    event = _managed_exhibition_or_403(event_slug)
    return _render_application(event, child_or_404(Exhibitor, exhibitor_id, event))


@bp.route("/<event_slug>/applications/<int:exhibitor_id>/approve", methods=["POST"])
@login_required
def approve(event_slug: str, exhibitor_id: int):
    event = _managed_exhibition_or_403(event_slug)
    exhibitor = child_or_404(Exhibitor, exhibitor_id, event)
    form = ApproveForm()
    if perform(form, lambda: services.approve_exhibitor(current_user, exhibitor,
                                                        form.booth_number.data)):
        flash(_("%(company)s is approved and now appears in the directory.",
                company=exhibitor.company_name), "success")
        return redirect(url_for("exhibitions.applications", event_slug=event.slug))
    return _render_application(event, exhibitor, approve_form=form, status=422)


@bp.route("/<event_slug>/applications/<int:exhibitor_id>/decline", methods=["POST"])
@login_required
def decline(event_slug: str, exhibitor_id: int):
    event = _managed_exhibition_or_403(event_slug)
    exhibitor = child_or_404(Exhibitor, exhibitor_id, event)
    form = DeclineForm()
    if perform(form, lambda: services.decline_exhibitor(current_user, exhibitor, form.reason.data)):
        flash(_("The application of %(company)s is declined; the applicant has been told "
                "why.", company=exhibitor.company_name), "success")
        return redirect(url_for("exhibitions.applications", event_slug=event.slug))
    return _render_application(event, exhibitor, decline_form=form, status=422)
