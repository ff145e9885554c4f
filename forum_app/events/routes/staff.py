"""Organisers: who else runs an event."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...accounts.access import role_required
from ...accounts.models import Role, User
from ...core.forms import attempt, perform
from ...extensions import db
from .. import services
from ..forms import StaffForm
from . import bp
from .common import form_status, managed_event


@bp.route("/<slug>/staff", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def staff(slug: str):
    event = managed_event(slug)
    form = StaffForm()
    done = perform(form, lambda: services.add_staff(current_user, event, form.email.data))
    if done:
        flash(_("%(name)s now runs this event too.", name=done.value.user.name), "success")
        return redirect(url_for("events.staff", slug=event.slug))
    creator = db.session.get(User, event.created_by_id) if event.created_by_id else None
    return render_template("events/staff.html", event=event, form=form,
                           creator=creator), form_status()


@bp.route("/<slug>/staff/<int:user_id>/remove", methods=["POST"])
@role_required(Role.ORGANISER)
def remove_staff(slug: str, user_id: int):
    event = managed_event(slug)
    attempt(lambda: services.remove_staff(current_user, event, user_id),
            _("The person no longer staffs this event."))
    return redirect(url_for("events.staff", slug=event.slug))
