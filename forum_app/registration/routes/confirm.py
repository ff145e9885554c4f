"""Confirming a held seat with the link from the e-mail, and sending that mail again.

The link (/r/<token>/confirm/<code>) opens a page with one button: following a link changes
nothing (mail scanners open links too); pressing the button, a POST with its CSRF token, does.
"""

from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ...core.forms import attempt
from ...errors import DomainError
from ...extensions import limiter
from ...i18n import utcnow
from ...security import PRIVATE, limit_guesses
from .. import services
from ..forms import ActionForm
from ..models import Registration, RegistrationState
from .public import bp, registration_or_404


def _outcome_message(confirmation: services.Confirmation) -> tuple[str, str]:
    registration = confirmation.registration
    outcome = confirmation.outcome
    if outcome == "already" and registration.state != RegistrationState.CONFIRMED:
        outcome = "proven"  # the address was confirmed before; the seat is still to come
    return {
        "confirmed": (_("Your seat is confirmed. Here is your ticket; we have also sent it to "
                        "%(email)s.", email=registration.email), "success"),
        "seat_after_expiry": (_("The time to confirm had passed, but a seat was still free: "
                                "it is yours. Here is your ticket."), "success"),
        "seat_gone": (_("The time to confirm has passed and the seat has gone to someone "
                        "else. You may register again: if the event is full, you join the "
                        "waiting list."), "error"),
        "proven": (_("Your e-mail address is confirmed. When a seat is given to you, your "
                     "ticket comes at once."), "success"),
        "already": (_("This registration is already confirmed."), "info"),
    }[outcome]


def _confirm_page(registration: Registration, token: str, code: str, *, problem=None,
                  status: int = 200):
    page = render_template(
        "registration/confirm.html", registration=registration, event=registration.event,
        token=token, code=code, form=ActionForm(), problem=problem,
        hold_live=registration.is_held and utcnow() < registration.hold_expires_at)
    response = make_response(page, status)
    response.headers.update(PRIVATE)
    return response


@bp.route("/r/<token>/confirm/<code>", methods=["GET", "POST"])
@limit_guesses()
def confirm(token: str, code: str):
    registration = registration_or_404(token)
    if not services.confirm_code_matches(registration, code):
        return _confirm_page(registration, token, "", problem=services.BAD_LINK, status=404)
    if request.method == "GET" or not ActionForm().validate():
        return _confirm_page(registration, token, code)
    try:
        confirmation = services.confirm_registration(registration, code)
    except DomainError as error:
        return _confirm_page(registration, token, code, problem=error.message, status=409)
    flash(*_outcome_message(confirmation))
    return redirect(url_for("registration.manage", token=token))


@bp.route("/r/<token>/resend", methods=["POST"])
@limit_guesses()
@limiter.limit(lambda: current_app.config["CONFIRMATION_RESEND_LIMIT"],
               key_func=lambda: f"resend:{request.view_args.get('token', '')}",
               deduct_when=lambda response: response.status_code in (302, 303))
def resend(token: str):
    registration = registration_or_404(token)
    if ActionForm().validate():
        attempt(lambda: services.resend_confirmation(registration),
                _("We have sent the confirmation link again to %(email)s.",
                  email=registration.email))
    return redirect(url_for("registration.manage", token=token))
