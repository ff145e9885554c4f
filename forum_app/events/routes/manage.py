"""Organisers: their events, creating and editing one, publishing and cancelling."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import lazyload

from ...accounts.access import role_required
from ...accounts.models import Role
from ...core.forms import attempt, perform
from ...database import MANAGE_PAGE_SIZE, paginate
from .. import services
from ..forms import CancelForm, EventForm
from ..models import Event, EventStaff
from . import bp
from .common import form_status, managed_event


@bp.route("/manage")
@role_required(Role.ORGANISER)
def manage():
    query = select(Event).options(lazyload(Event.tag_rows)).order_by(  # tags not shown
        Event.starts_at.desc(), Event.id.desc())
    if Role.ADMIN.value not in current_user.roles:
        query = query.where(or_(
            Event.created_by_id == current_user.id,
            Event.id.in_(select(EventStaff.event_id).where(EventStaff.user_id ==
                                                           current_user.id))))
    page = paginate(query, per_page=MANAGE_PAGE_SIZE)
    return render_template("events/manage.html", page=page)


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def new():
    form = EventForm()
    done = perform(form, lambda: services.create_event(current_user, form.values()))
    if done:
        flash(_("The event is saved as a draft. Add its agenda, then publish it."),
              "success")
        return redirect(url_for("events.edit", slug=done.value.slug))
    return render_template("events/edit.html", form=form, event=None), form_status()


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def edit(slug: str):
    event = managed_event(slug)
    form = EventForm()
    if request.method == "GET":
        form.fill_from(event)
    if perform(form, lambda: services.update_event(current_user, event, form.values())):
        flash(_("The event has been saved."), "success")
        return redirect(url_for("events.edit", slug=event.slug))
    return render_template("events/edit.html", form=form, event=event), form_status()


@bp.route("/<slug>/publish", methods=["POST"])
@role_required(Role.ORGANISER)
def publish(slug: str):
    event = managed_event(slug)
    attempt(lambda: services.publish_event(current_user, event),
            _("The event is published: everyone can see it and register."))
    return redirect(url_for("events.edit", slug=event.slug))


@bp.route("/<slug>/cancel", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def cancel(slug: str):
    event = managed_event(slug)
    form = CancelForm()
    if perform(form, lambda: services.cancel_event(current_user, event, form.reason.data)):
        flash(_("The event is cancelled. Every registrant is being told by e-mail."),
              "success")
        return redirect(url_for("events.detail", slug=event.slug))
    return render_template("events/cancel.html", form=form, event=event), form_status()
