"""The organisers' attendee pages: list and search, approve, decline, cancel, export, write
to everyone. Only those who manage the event (events.services.can_manage) get in."""

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...audit.services import record_download
from ...core.forms import attempt, form_error, form_status, perform
from ...core.urls import safe_next
from ...database import TABLE_PAGE_SIZE, id_from_text, keyset_page, page_number
from ...errors import DomainError
from ...events.lookup import child_or_404, managed_event
from ...events.models import Event
from ...extensions import db
from ...i18n import current_language
from ...security import CSV, XLSX, private_download
from .. import export, services
from ..forms import ActionForm, AttendeeFilterForm, MessageForm, ReasonForm
from ..models import ACTIVE_STATES, Registration, RegistrationState
from ..services import organiser

organiser_bp = Blueprint("attendees", __name__, url_prefix="/manage/events")


@organiser_bp.before_request
@login_required
def require_login():
    return None


def _filters() -> tuple[AttendeeFilterForm, dict]:
    form = AttendeeFilterForm(request.args)
    form.validate()
    filters = {name: form[name].data or "" for name in ("q", "state") if not form[name].errors}
    return form, filters


def _cursor() -> tuple[dict, bool]:
    """?after= or ?before= (a registration id: the list pages by key, so a deep page costs what
    the first does), and whether one was given that no page could have made."""
    for name in ("after", "before"):
        if name in request.args:
            key = id_from_text(request.args[name])
            return ({name: key}, False) if key is not None else ({}, True)
    return {}, False


def _list_url(event: Event) -> str:
    """Back to the list as the organiser left it (search, filter, page), if that is local."""
    target = request.values.get("next")
    if target and safe_next(target) == target:
        return target
    return url_for("attendees.index", slug=event.slug)


@organiser_bp.route("/<slug>/attendees")
def index(slug: str):
    event = managed_event(slug)
    record_download(current_user, event, "attendees", "page")  # commits: before the rows load
    form, filters = _filters()
    query = organiser.attendee_query(event, filters.get("q"), filters.get("state"))
    cursor, cursor_invalid = _cursor()
    if not cursor and page_number() > 1:  # a link from before the list paged by key
        key = organiser.key_before_page(query, page_number(), TABLE_PAGE_SIZE)
        if key is not None:
            return redirect(url_for("attendees.index", slug=slug, after=key, **filters))
    page = keyset_page(query, Registration.id, **cursor, per_page=TABLE_PAGE_SIZE)
    questions = list(event.questions)
    answers = {registration.id: export.answers_by_question(registration, questions)
               for registration in page.items}
    return render_template(
        "attendees/index.html", event=event, form=form, filters=filters, page=page,
        cursor_invalid=cursor_invalid,
        counts=organiser.state_counts(event), positions=services.waitlist_positions([event.id]),
        questions=questions, answers=answers, action_form=ActionForm(),
        active_states=[str(s) for s in ACTIVE_STATES], states=list(RegistrationState))


@organiser_bp.route("/<slug>/attendees/<int:registration_id>/approve", methods=["POST"])
def approve(slug: str, registration_id: int):
    event = managed_event(slug)
    registration = child_or_404(Registration, registration_id, event)
    if not ActionForm().validate_on_submit():
        abort(400)
    attempt(lambda: services.approve_registration(current_user, registration), _approved)
    return redirect(_list_url(event))


def _approved(registration: Registration) -> str:
    if registration.state == RegistrationState.CONFIRMED:
        return _("%(name)s is confirmed and has been sent a ticket.", name=registration.name)
    return _("The event is full: %(name)s is on the waiting list and has been told.",
             name=registration.name)


def _reason_page(event: Event, registration: Registration, action: str):
    """Decline or cancel: both take a reason that the person reads."""
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            if action == "decline":
                services.decline_registration(current_user, registration, form.reason.data)
            else:
                services.cancel_registration(registration, actor=current_user,
                                             reason=form.reason.data.strip(), by_staff=True)
        except DomainError as error:
            form_error(form, error)
        else:
            flash(_("The registration of %(name)s has been declined; they have been told.",
                    name=registration.name) if action == "decline" else
                  _("The registration of %(name)s has been cancelled; they have been told.",
                    name=registration.name), "success")
            return redirect(_list_url(event))
    status = form_status()
    return render_template("attendees/reason.html", event=event, registration=registration,
                           form=form, action=action, list_url=_list_url(event)), status


@organiser_bp.route("/<slug>/attendees/<int:registration_id>/decline", methods=["GET", "POST"])
def decline(slug: str, registration_id: int):
    event = managed_event(slug)
    return _reason_page(event, child_or_404(Registration, registration_id, event), "decline")


@organiser_bp.route("/<slug>/attendees/<int:registration_id>/cancel", methods=["GET", "POST"])
def cancel(slug: str, registration_id: int):
    event = managed_event(slug)
    return _reason_page(event, child_or_404(Registration, registration_id, event), "cancel")


def _export_query(event: Event):
    _form, filters = _filters()
    return organiser.attendee_query(event, filters.get("q"), filters.get("state"))


@organiser_bp.route("/<slug>/attendees.csv")
def export_csv(slug: str):
    """Streamed: the header leaves at once, then the registrations, read 500 at a time (an
    event of 100,000 never sits whole in memory). The export log counts them first."""
    return _export(slug, "csv", CSV, export.csv_chunks)


@organiser_bp.route("/<slug>/attendees.xlsx")
def export_xlsx(slug: str):
    """Streamed as the CSV is: the spreadsheet's parts leave at once, then its rows compressed
    as they are read (registration/xlsx.py)."""
    return _export(slug, "xlsx", XLSX, lambda rows: export.xlsx_chunks(rows, _("Attendees")))


def _export(slug: str, file_format: str, content_type: str, write):
    event = managed_event(slug)
    query, filename = _export_query(event), f"{event.slug}-attendees.{file_format}"
    # The organiser's language is settled now, while their row is loaded: the stream runs
    # after this request's database session has closed.
    current_language()
    record_download(current_user, event, "attendees", file_format, organiser.count_of(query))
    return private_download(stream_with_context(_stream(event.id, query, write)),
                            content_type, filename)


def _stream(event_id: int, query, write):
    """Read while the answer is sent, after Flask has closed the view's database session:
    in a session of its own, closed at the end."""
    try:
        event = db.session.get(Event, event_id)
        yield from write(export.each_attendee_row(
            event, organiser.stream_of(query), services.waitlist_positions([event_id])))
    finally:
        db.session.remove()


@organiser_bp.route("/<slug>/attendees/message", methods=["GET", "POST"])
def message(slug: str):
    event = managed_event(slug)
    form = MessageForm()
    if request.method == "GET":
        form.states.data = [RegistrationState.CONFIRMED.value]
    done = perform(form, lambda: organiser.message_registrants(
        current_user, event, form.states.data, form.subject.data, form.body.data))
    if done:
        flash(_("Your message is on its way to %(n)d people.", n=done.value), "success")
        return redirect(url_for("attendees.index", slug=event.slug))
    counts = organiser.state_counts(event)
    return render_template("attendees/message.html", event=event, form=form, counts=counts), \
        form_status()
