"""Organisers: the custom questions people answer when they register."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...accounts.access import role_required
from ...accounts.models import Role
from ...core.forms import attempt, perform
from ...errors import DomainError
from .. import services
from ..forms import QuestionForm
from ..models import Question
from ..questions import QUESTION_KIND_LABELS
from . import bp
from .common import child_or_404, form_status, managed_event


@bp.route("/<slug>/questions", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def questions(slug: str):
    event = managed_event(slug)
    form = QuestionForm()
    if perform(form, lambda: services.save_question(current_user, event, form.values())):
        flash(_("The question has been added."), "success")
        return redirect(url_for("events.questions", slug=event.slug))
    return render_template("events/questions.html", event=event, form=form,
                           question_kind_labels=QUESTION_KIND_LABELS), form_status()


@bp.route("/<slug>/questions/<int:question_id>", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def edit_question(slug: str, question_id: int):
    event = managed_event(slug)
    question = child_or_404(Question, question_id, event)
    form = QuestionForm()
    if request.method == "GET":
        form.fill_from(question)
    if perform(form, lambda: services.save_question(current_user, event, form.values(), question)):
        flash(_("The question has been saved."), "success")
        return redirect(url_for("events.questions", slug=event.slug))
    return render_template("events/question_edit.html", event=event, question=question,
                           form=form), form_status()


@bp.route("/<slug>/questions/<int:question_id>/delete", methods=["POST"])
@role_required(Role.ORGANISER)
def delete_question(slug: str, question_id: int):
    event = managed_event(slug)
    question = child_or_404(Question, question_id, event)
    attempt(lambda: services.delete_question(current_user, event, question),
            _("The question has been deleted."))
    return redirect(url_for("events.questions", slug=event.slug))


@bp.route("/<slug>/questions/<int:question_id>/move", methods=["POST"])
@role_required(Role.ORGANISER)
def move_question(slug: str, question_id: int):
    event = managed_event(slug)
    question = child_or_404(Question, question_id, event)
    try:
        services.move_question(current_user, event, question, request.form.get("direction", ""))
    except DomainError as error:
        flash(str(error.message), "error")
    return redirect(url_for("events.questions", slug=event.slug))
