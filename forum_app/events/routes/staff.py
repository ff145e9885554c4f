"""Organisers: who else runs an event."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...accounts.access import role_required
from ...accounts.models import Role, User
from ...errors import DomainError
from ...extensions import db
from .. import services
from ..forms import StaffForm
from . import bp
from .common import form_error, form_status, managed_event


@bp.route("/<slug>/staff", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def staff(slug: str):
    event = managed_event(slug)
    form = StaffForm()
    if form.validate_on_submit():
        try:
            row = services.add_staff(current_user, event, form.email.data)
        except DomainError as error:
            form_error(form, error)
        else:
            flash(_("%(name)s now runs this event too.", name=row.user.name), "success")
            return redirect(url_for("events.staff", slug=event.slug))
    creator = db.session.get(User, event.created_by_id) if event.created_by_id else None
    return render_template("events/staff.html", event=event, form=form,
                           creator=creator), form_status()


@bp.route("/<slug>/staff/<int:user_id>/remove", methods=["POST"])
@role_required(Role.ORGANISER)
def remove_staff(slug: str, user_id: int):
    event = managed_event(slug)
    try:
        services.remove_staff(current_user, event, user_id)
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(_("The person no longer staffs this event."), "success")
    return redirect(url_for("events.staff", slug=event.slug))
