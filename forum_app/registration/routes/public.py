"""Registering for an event, the ticket, and managing a registration.

A guest reaches their registration only through the private manage link (/r/<token>); a
signed-in person also through /account/registrations/<id>. Both show the same ticket page.
"""


from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...core.forms import attempt, form_error, form_status
from ...core.service_workers import service_worker_response
from ...database import reads_first
from ...errors import DomainError
from ...events.lookup import event_or_404
from ...events.models import Event, EventState
from ...extensions import limiter
from ...i18n import utcnow
from ...security import PRIVATE, limit_guesses, limit_per_network
from .. import queries, services
from ..forms import CancelForm, registration_form
from ..models import Registration, RegistrationState
from ..pdf import build_ticket_pdf
from ..tickets import qr_png, ticket_qr_data_uri

bp = Blueprint("registration", __name__)


def _signed_in_user():
    return current_user if current_user.is_authenticated else None


@bp.app_context_processor
def _registration_helpers():
    """The event page (a lower package) asks for the reader's own registration this way."""
    return {"my_registration_for": lambda event: current_user.is_authenticated
            and queries.active_registration_of(current_user, event)}


def _event_or_404(slug: str) -> Event:
    event = event_or_404(slug)
    if event.state == EventState.DRAFT:
        abort(404)
    return event


def _registered_message(registration: Registration) -> str:
    if registration.state == RegistrationState.HELD:
        return _("We are holding a seat for you for %(minutes)d minutes. To confirm it, open "
                 "the e-mail we have sent to %(email)s and follow its link; your ticket comes "
                 "then. An unconfirmed seat goes to the next person.",
                 minutes=current_app.config["REGISTRATION_HOLD_MINUTES"],
                 email=registration.email)
    if registration.state == RegistrationState.CONFIRMED:
        if registration.email:
            return _("You are registered. Here is your ticket; we have also sent it to "
                     "%(email)s.", email=registration.email)
        return _("You are registered. Here is your ticket.")
    if registration.state == RegistrationState.WAITLISTED:
        message = _("The event is full, so you are on the waiting list, in place %(n)d. If a "
                    "seat becomes free, it is yours in turn and we will send you your ticket.",
                    n=services.waitlist_position(registration) or 0)
        if registration.proven_at is None:
            message += " " + _("Please confirm your e-mail address now with the link we have "
                               "sent to %(email)s, so that a seat given to you is yours at "
                               "once.", email=registration.email)
        return message
    return _("We have received your registration. The organisers approve each registration "
             "for this event; you will hear from them.")


def _your_ticket(registration_id: int):
    flash(_("You are already registered for this event. Here is your ticket."), "info")
    return redirect(url_for("registration.my_ticket", registration_id=registration_id))


def _register_page(event: Event, form=None, status: int = 200, **values):
    return render_template("registration/register.html", event=event, form=form,
                           **values), status


def _registration_form(event: Event, invite: str | None, user):
    form = registration_form(event)
    form.invite.data = invite
    if request.method == "GET":
        form.prefill(user)
    return form


def _submit(event: Event, form, user):
    """(the answer, None) once registered or refused outright, else (None, the problems to show
    above the form again)."""
    try:
        registration, token = services.register(event, form.to_input(), user=user)
    except services.AlreadyRegistered as error:
        if user and error.registration and error.registration.user_id == user.id:
            return _your_ticket(error.registration.id), None
        # Never show someone else's ticket: the link is in the e-mail sent back then.
        return None, [_("This e-mail address or phone number is already registered for this "
                        "event. We have sent the link to that registration again to its "
                        "e-mail address: there it can be seen or cancelled.")]
    except DomainError as error:
        if error.code != "invalid":
            return _register_page(event, closed=error.message, status=422), None
        # fields at fault: the form again, with the messages
        return None, [str(error.message), *form_error(form, error, flash_rest=False)]
    flash(_registered_message(registration), "success")
    return redirect(url_for("registration.manage", token=token)), None


@bp.route("/events/<slug>/register", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
@limit_per_network(lambda: current_app.config["REGISTRATION_NETWORK_LIMIT"])
@reads_first
def register(slug: str):
    event, user = _event_or_404(slug), _signed_in_user()
    invite = request.values.get("invite") or None
    existing = queries.active_registration_of(user, event) \
        if user and request.method == "GET" else None
    if existing is not None:
        return _your_ticket(existing.id)
    closed = services.registration_refusal(event, utcnow(), invite)
    if closed is not None:
        return _register_page(event, closed=closed, status=form_status())
    form = _registration_form(event, invite, user)
    if request.method == "GET":
        return _register_page(event, form)
    answer, problems = _submit(event, form, user) if form.validate() else (None, [])
    return answer or _register_page(event, form, status=422, problems=problems)


# --- the ticket ------------------------------------------------------------------------------

def registration_or_404(token: str) -> Registration:
    return services.registration_for_token(token) or abort(404)


def _valid_ticket(registration: Registration):
    ticket = registration.ticket
    return ticket if ticket is not None and ticket.is_valid else None


def _ticket_page(registration: Registration, token: str, *, cancel_action: str,
                 offline_scope: str, cancel_form: CancelForm | None = None, status: int = 200):
    ticket = _valid_ticket(registration)
    event = registration.event
    page = render_template(
        "registration/manage.html", registration=registration, event=event, token=token,
        ticket=ticket, qr=ticket_qr_data_uri(ticket.code) if ticket else None,
        position=services.waitlist_position(registration),
        can_cancel=registration.is_active and utcnow() < event.starts_at,
        cancel_form=cancel_form or CancelForm(), cancel_action=cancel_action,
        offline_scope=offline_scope, is_guest=registration.user_id is None)
    response = make_response(page, status)
    response.headers.update(PRIVATE)
    return response


def _manage_scope() -> str:
    """The path every manage link starts with ("/r/"): the service worker's scope."""
    sample = url_for("registration.manage", token="t")  # noqa: S106  # nosec B106  # not a secret
    return sample.rsplit("/", 1)[0] + "/"


@bp.route("/r/<token>")
@limit_guesses()
def manage(token: str):
    registration = registration_or_404(token)
    return _ticket_page(registration, token,
                        cancel_action=url_for("registration.cancel", token=token),
                        offline_scope=_manage_scope())


def _cancel(registration: Registration, back: str, render_again):
    form = CancelForm()
    if not form.validate():
        return render_again(form)
    owner = _signed_in_user()
    actor = owner if owner and owner.id == registration.user_id else None
    attempt(lambda: services.cancel_registration(registration, actor=actor),
            _("Your registration is cancelled and the ticket no longer works. Thank you for "
              "letting us know."))
    return redirect(back)


@bp.route("/r/<token>/cancel", methods=["POST"])
@limit_guesses()
def cancel(token: str):
    registration = registration_or_404(token)
    return _cancel(registration, url_for("registration.manage", token=token),
                   lambda form: _ticket_page(
                       registration, token, cancel_form=form, status=422,
                       cancel_action=url_for("registration.cancel", token=token),
                       offline_scope=_manage_scope()))


@bp.route("/r/<token>/ticket.pdf")
@limit_guesses()
def ticket_pdf(token: str):
    registration = registration_or_404(token)
    ticket = _valid_ticket(registration) or abort(404)
    filename = f"ticket-{registration.event.slug}.pdf"
    return Response(build_ticket_pdf(registration, ticket), mimetype="application/pdf",
                    headers={**PRIVATE, "Content-Disposition": f'inline; filename="{filename}"'})


@bp.route("/r/<token>/qr.png")
@limit_guesses()
def qr_image(token: str):
    registration = registration_or_404(token)
    ticket = _valid_ticket(registration) or abort(404)
    return Response(qr_png(ticket.code), mimetype="image/png", headers=PRIVATE)


@bp.route("/ticket-sw.js")
def service_worker():
    """Served from the root so that it may control the ticket pages (/r/, /account/...)."""
    return service_worker_response("ticket-sw.js")


# --- a signed-in person's registrations ------------------------------------------------------

@bp.route("/account/registrations")
@login_required
def my_registrations():
    mine = queries.registrations_of(current_user, utcnow())
    event_ids = {r.event_id for r in [*mine.upcoming, *mine.past]}
    return render_template("registration/my_registrations.html", mine=mine,
                           positions=services.waitlist_positions(event_ids))


def _my_ticket_page(registration: Registration, **kwargs):
    return _ticket_page(
        registration, services.manage_token(registration),
        cancel_action=url_for("registration.my_cancel", registration_id=registration.id),
        offline_scope=url_for("registration.my_registrations") + "/", **kwargs)


@bp.route("/account/registrations/<int:registration_id>")
@login_required
def my_ticket(registration_id: int):
    registration = queries.own_registration(current_user, registration_id) or abort(404)
    return _my_ticket_page(registration)


@bp.route("/account/registrations/<int:registration_id>/cancel", methods=["POST"])
@login_required
def my_cancel(registration_id: int):
    registration = queries.own_registration(current_user, registration_id) or abort(404)
    return _cancel(registration,
                   url_for("registration.my_ticket", registration_id=registration.id),
                   lambda form: _my_ticket_page(registration, cancel_form=form, status=422))
