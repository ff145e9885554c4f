"""Attendees: the QR shown in the room, the start page where a ticket code gives the personal
link, and the personal link itself, where the survey is answered once. No JavaScript needed."""

from flask import current_app, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...core.forms import perform
from ...core.qr import qr_data_uri
from ...core.urls import external_url
from ...errors import DomainError
from ...extensions import limiter
from ...i18n import utcnow
from .. import invitations, services
from ..forms import TicketCodeForm
from . import bp
from .common import PRIVATE, form_error, form_status, public_survey


@bp.route("/<slug>/room")
def room(slug: str):
    """Shown on the screen in the room: scan, then type your ticket code."""
    survey = public_survey(slug)
    start_url = external_url("feedback.start", slug=survey.event.slug)
    return render_template("feedback/room.html", survey=survey, event=survey.event,
                           start_url=start_url, qr=qr_data_uri(start_url),
                           is_open=survey.is_open_at(utcnow()))


def _start_limit() -> str:
    return current_app.config.get("SURVEY_START_LIMIT", "20 per 10 minutes")


def _start_page(survey, form, status: int = 200):
    response = make_response(render_template(
        "feedback/start.html", survey=survey, event=survey.event, form=form,
        is_open=survey.is_open_at(utcnow()),
        mine=invitations.attended_registration_of(survey, current_user)), status)
    response.headers.update(PRIVATE)
    return response


@bp.route("/<slug>/start", methods=["GET", "POST"])
@limiter.limit(_start_limit, methods=["POST"])
def start(slug: str):
    survey = public_survey(slug)
    form = TicketCodeForm()
    done = perform(form, lambda: invitations.token_for_ticket(survey, form.code.data))
    if done:
        return redirect(url_for("feedback.respond", token=done.value))
    return _start_page(survey, form, form_status())


@bp.route("/<slug>/start/mine", methods=["POST"])
@login_required
def start_mine(slug: str):
    survey = public_survey(slug)
    form = TicketCodeForm(formdata=None)
    try:
        token = invitations.token_for_user(survey, current_user)
    except DomainError as error:
        form_error(form, error)
        return _start_page(survey, form, 422)
    return redirect(url_for("feedback.respond", token=token))


def _respond_page(invitation, token, *, errors=None, submitted=None, status: int = 200):
    survey = invitation.survey
    response = make_response(render_template(
        "feedback/respond.html", survey=survey, event=survey.event, token=token,
        used=invitation.used_at is not None, is_open=survey.is_open_at(utcnow()),
        errors=errors or {}, submitted=submitted or {}), status)
    response.headers.update(PRIVATE)
    return response


@bp.route("/t/<token>", methods=["GET", "POST"])
def respond(token: str):
    invitation = invitations.invitation_for_token(token)
    if invitation is None:
        return _not_found()
    if request.method == "GET":
        return _respond_page(invitation, token)
    # The CSRF token is checked for every POST by CSRFProtect; the service checks the rest.
    try:
        services.submit_response(invitation, request.form)
    except DomainError as error:
        status = 409 if error.code == "already_answered" else 422
        errors = error.fields if error.code == "invalid" and error.fields \
            else {"form": str(error.message)}
        return _respond_page(invitation, token, errors=errors, submitted=request.form,
                             status=status)
    return redirect(url_for("feedback.thanks", slug=invitation.survey.event.slug))


def _not_found():
    response = make_response(render_template(
        "errors/error.html", status=404, title=_("This survey link is not valid"),
        hint=_("Please open the link exactly as it is in the e-mail, or ask for the survey "
               "in the room.")), 404)
    response.headers.update(PRIVATE)
    return response


@bp.route("/<slug>/thanks")
def thanks(slug: str):
    survey = public_survey(slug)
    return render_template("feedback/thanks.html", survey=survey, event=survey.event)

