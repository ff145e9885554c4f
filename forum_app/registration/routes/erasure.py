"""A guest deletes their registration's data through its manage link (/r/<token>/delete):
a confirmation step, then the personal fields are erased (an active registration is first
cancelled, so its seat goes to the waiting list); the anonymous statistics stay."""

from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _

from ...core.forms import form_status, perform
from ...security import PRIVATE, limit_guesses
from .. import services
from ..forms import DeleteDataForm
from ..privacy import erase_registrations
from .public import bp


@bp.route("/r/<token>/delete", methods=["GET", "POST"])
@limit_guesses()
def delete_data(token: str):
    registration = services.registration_for_token(token) or abort(404)
    form = DeleteDataForm()
    if perform(form, lambda: erase_registrations([registration])):
        flash(_("Your data has been erased from this registration. The link no longer "
                "works."), "success")
        return redirect(url_for("events.index"))
    response = make_response(render_template(
        "registration/delete_data.html", registration=registration, event=registration.event,
        form=form, token=token), form_status())
    response.headers.update(PRIVATE)
    return response
