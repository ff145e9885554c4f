"""At the desk: find a registration and check it in, register a walk-in, watch the figures."""

from datetime import UTC, datetime

from flask import jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from ...core.forms import form_error, form_status
from ...core.reference import STAKEHOLDER_LABELS
from ...errors import DomainError
from ...events.lookup import managed_event
from ...i18n import current_language, local_datetime
from ...registration.models import REGISTRATION_STATE_LABELS
from ...registration.services import AlreadyRegistered, RegistrationInput
from .. import services
from ..forms import SearchForm, WalkInForm
from ..models import RESULT_LABELS
from . import bp
from .common import entry_point, new_nonce, present, scanner_page

VISIBLE_FIELDS = ("name", "phone", "email", "stakeholder_kind", "organisation", "consent")
BAR_STEPS = 20  # bar widths go in steps of 5 %, as classes (no style attributes under CSP)


@bp.route("/<slug>/checkin/search")
def search(slug: str):
    event = managed_event(slug)
    point = entry_point(event)
    if point is None:
        return redirect(url_for("checkin.home", slug=event.slug))
    form = SearchForm(request.args)
    query = (form.q.data or "").strip() if form.validate() else ""
    results = services.search_attendees(event, query) if query else []
    return render_template("checkin/search.html", event=event, point=point, form=form,
                           query=query, results=results, nonces=[new_nonce() for _ in results],
                           state_labels=REGISTRATION_STATE_LABELS,
                           held_message=services.HELD_AT_THE_DOOR)


def _walk_in_input(form: WalkInForm) -> RegistrationInput:
    return RegistrationInput(
        name=form.name.data or "", phone=form.phone.data or None, email=form.email.data or None,
        language=current_language(), stakeholder_kind=form.stakeholder_kind.data or "citizen",
        organisation=form.organisation.data or None, consent=bool(form.consent.data))


def _walk_in(event, point, form: WalkInForm):
    """The door's outcome, or None with the refusal shown on the form: a full event asks for
    the organiser's reason; a field the form does not show goes to the name or a flash."""
    try:
        return services.walk_in(
            event, current_user, _walk_in_input(form), gate=point.gate,
            session_id=point.session_id, nonce=form.nonce.data,
            over_capacity_reason=(form.over_capacity_reason.data or "").strip() or None)
    except AlreadyRegistered as error:
        form.name.errors = [*form.name.errors, str(error.message)]
    except DomainError as error:
        form.full = error.code == "full"
        if form.full:
            error = DomainError(error.message, error.code, "over_capacity_reason")
        elif error.code != "invalid" and error.field not in VISIBLE_FIELDS:
            error = DomainError(error.message, error.code)
        form_error(form, error, fallback=form.name)
    return None


def _walk_in_page(event, point, form: WalkInForm):
    if not form.nonce.data:
        form.nonce.data = new_nonce()
    form.gate.data = point.gate or ""
    form.session_id.data = point.session_id or ""
    full = getattr(form, "full", False)
    show_reason = full or bool(form.over_capacity_reason.data)
    return render_template("checkin/walk_in.html", event=event, point=point, form=form,
                           show_reason=show_reason, full=full), form_status()


@bp.route("/<slug>/checkin/walk-in", methods=["GET", "POST"])
def walk_in(slug: str):
    """Register a person at the door and check them in, in one step. A full event stays full
    unless the organiser gives a reason, which is recorded."""
    event = managed_event(slug)
    point = entry_point(event)
    if point is None:
        return redirect(url_for("checkin.home", slug=event.slug))
    form = WalkInForm()
    outcome = _walk_in(event, point, form) if form.validate_on_submit() else None
    if outcome is not None:
        return scanner_page(event, point, result=present(outcome))
    return _walk_in_page(event, point, form)



def _slot_label(at: str) -> str:
    try:
        moment = datetime.fromisoformat(at)
    except (TypeError, ValueError):
        return str(at)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return local_datetime(moment, "time")


def figures_view(event) -> dict:
    """The live figures with what the page shows ready-made: the same for the page and for
    its script, so both say the same thing in the same words."""
    numbers = services.live_figures(event)
    slots = numbers.get("per_10_minutes") or []
    most = max((slot["count"] for slot in slots), default=0)
    return numbers | {
        "slots": [{"label": _slot_label(slot["at"]), "count": slot["count"],
                   "step": round(slot["count"] / most * BAR_STEPS) if most else 0}
                  for slot in slots],
        "kinds": [{"kind": kind, "label": str(STAKEHOLDER_LABELS.get(kind, kind)),
                   "count": count}
                  for kind, count in sorted((numbers.get("by_stakeholder") or {}).items(),
                                            key=lambda item: (-item[1], item[0]))],
        "recent": [scan | {"at_label": _slot_label(scan.get("at")),
                           "label": str(RESULT_LABELS.get(scan.get("result"),
                                                          scan.get("result")))}
                   for scan in numbers.get("recent") or []],
    }


@bp.route("/<slug>/checkin/figures")
def figures(slug: str):
    event = managed_event(slug)
    return render_template("checkin/figures.html", event=event, figures=figures_view(event),
                           point=entry_point(event))


@bp.route("/<slug>/checkin/figures.json")
def figures_json(slug: str):
    """The live figures for the page's script (read only; the signed-in session suffices)."""
    response = jsonify(figures_view(managed_event(slug)))
    response.headers["Cache-Control"] = "no-store"
    return response
