"""Organisers: the agenda of an event (its sessions)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...accounts.access import role_required
from ...accounts.models import Role
from ...core.forms import attempt, perform
from .. import services
from ..forms import SessionForm
from ..models import EventSession
from . import bp
from .common import child_or_404, form_status, managed_event


@bp.route("/<slug>/agenda", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def agenda(slug: str):
    event = managed_event(slug)
    form = SessionForm()
    if perform(form, lambda: services.add_session(current_user, event, form.values())):
        flash(_("The session has been added to the agenda."), "success")
        return redirect(url_for("events.agenda", slug=event.slug))
    return render_template("events/agenda.html", event=event, form=form), form_status()


@bp.route("/<slug>/agenda/<int:session_id>", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def edit_session(slug: str, session_id: int):
    event = managed_event(slug)
    session = child_or_404(EventSession, session_id, event)
    form = SessionForm()
    if request.method == "GET":
        form.fill_from(session)
    if perform(form, lambda: services.update_session(current_user, event, session, form.values())):
        flash(_("The session has been saved."), "success")
        return redirect(url_for("events.agenda", slug=event.slug))
    return render_template("events/session_edit.html", event=event, session=session,
                           form=form), form_status()


@bp.route("/<slug>/agenda/<int:session_id>/delete", methods=["POST"])
@role_required(Role.ORGANISER)
def delete_session(slug: str, session_id: int):
    event = managed_event(slug)
    session = child_or_404(EventSession, session_id, event)
    attempt(lambda: services.delete_session(current_user, event, session),
            _("The session has been removed from the agenda."))
    return redirect(url_for("events.agenda", slug=event.slug))
