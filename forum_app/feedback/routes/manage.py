"""Organisers build the survey of their event and send the links; organisers and officials
read the results and export them."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_, select

from ...accounts.access import role_required
from ...accounts.models import Role
from ...core.forms import attempt, perform
from ...errors import DomainError
from ...events.lookup import child_or_404
from ...events.models import Event, EventStaff, EventState
from ...extensions import db
from ...i18n import utcnow
from ...security import CSV, private_download
from .. import invitations, results, services
from ..forms import SurveyForm, SurveyQuestionForm
from ..models import SURVEY_QUESTION_KIND_LABELS, Survey, SurveyQuestion
from . import bp
from .common import edited_event, event_or_404, form_status

LIST_LIMIT = 100


@bp.route("/events")
@login_required
def index():
    """Events whose survey this person can build (organisers) or read (officials)."""
    if not current_user.has_role(Role.ORGANISER, Role.OFFICIAL):
        abort(403)
    query = (select(Event, Survey).outerjoin(Survey, Survey.event_id == Event.id)
             .where(Event.state != EventState.DRAFT)
             .order_by(Event.starts_at.desc(), Event.id.desc()).limit(LIST_LIMIT))
    if Role.ADMIN.value not in current_user.roles:
        mine = or_(Event.created_by_id == current_user.id, Event.id.in_(
            select(EventStaff.event_id).where(EventStaff.user_id == current_user.id)))
        if current_user.has_role(Role.OFFICIAL):
            mine = or_(mine, Survey.id.is_not(None))
        query = query.where(mine)
    rows = db.session.execute(query).all()
    return render_template("feedback/index.html", rows=rows, can_edit=services.can_edit_survey)


def _builder(event: Event, survey: Survey | None, form=None, question_form=None,
             status: int = 200):
    if form is None:
        form = SurveyForm(formdata=None)
        if survey is not None:
            form.fill_from(survey)
        else:
            form.title_mn.data = "Санал асуулга: " + (event.title_mn or event.title_en or "")
            form.title_en.data = "Feedback: " + (event.title_en or event.title_mn or "")
    answered = services.response_count(survey) if survey else 0
    return render_template(
        "feedback/manage.html", event=event, survey=survey, form=form,
        question_form=question_form or SurveyQuestionForm(formdata=None), answered=answered,
        counts=invitations.invitation_counts(survey) if survey else None,
        attendees=invitations.attendee_count(event), now=utcnow(),
        kind_labels=SURVEY_QUESTION_KIND_LABELS), status


@bp.route("/events/<slug>/survey", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def manage(slug: str):
    event = edited_event(slug)
    survey = services.survey_of(event)
    form = SurveyForm()
    if perform(form, lambda: services.save_survey(current_user, event, form.values())):
        flash(_("The survey is saved.") if survey else
              _("The survey is ready, with three starter questions you can change."),
              "success")
        return redirect(url_for("feedback.manage", slug=event.slug))
    if request.method == "GET":
        form = None
    return _builder(event, survey, form=form, status=form_status())


def _survey_or_404(event: Event) -> Survey:
    return services.survey_of(event) or abort(404)


@bp.route("/events/<slug>/survey/questions", methods=["POST"])
@role_required(Role.ORGANISER)
def add_question(slug: str):
    event = edited_event(slug)
    survey = _survey_or_404(event)
    form = SurveyQuestionForm()
    if perform(form, lambda: services.add_question(current_user, survey, form.values())):
        flash(_("The question has been added."), "success")
        return redirect(url_for("feedback.manage", slug=event.slug) + "#questions")
    return _builder(event, survey, question_form=form, status=422)


@bp.route("/events/<slug>/survey/questions/<int:question_id>/delete", methods=["POST"])
@role_required(Role.ORGANISER)
def delete_question(slug: str, question_id: int):
    event = edited_event(slug)
    survey = _survey_or_404(event)
    question = child_or_404(SurveyQuestion, question_id, survey, "survey_id")
    attempt(lambda: services.delete_question(current_user, survey, question),
            _("The question has been deleted."))
    return redirect(url_for("feedback.manage", slug=event.slug) + "#questions")


@bp.route("/events/<slug>/survey/questions/<int:question_id>/move", methods=["POST"])
@role_required(Role.ORGANISER)
def move_question(slug: str, question_id: int):
    event = edited_event(slug)
    survey = _survey_or_404(event)
    question = child_or_404(SurveyQuestion, question_id, survey, "survey_id")
    try:
        services.move_question(current_user, survey, question, request.form.get("direction", ""))
    except DomainError as error:
        flash(str(error.message), "error")
    return redirect(url_for("feedback.manage", slug=event.slug) + "#questions")


@bp.route("/events/<slug>/survey/send", methods=["POST"])
@role_required(Role.ORGANISER)
def send(slug: str):
    event = edited_event(slug)
    survey = _survey_or_404(event)
    try:
        count = invitations.send_invitations(current_user, survey)
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(_("Personal links sent by e-mail: %(n)d.", n=count) if count else
              _("Every attendee with an e-mail address already has a link."), "success")
    return redirect(url_for("feedback.manage", slug=event.slug))


def _readable_survey(slug: str) -> Survey:
    event = event_or_404(slug)
    if not services.can_see_results(current_user, event):
        abort(403)
    return _survey_or_404(event)


@bp.route("/events/<slug>/results")
@login_required
def results_page(slug: str):
    survey = _readable_survey(slug)
    return render_template("feedback/results.html", survey=survey, event=survey.event,
                           results=results.survey_results(survey),
                           responses=services.response_count(survey),
                           attendees=invitations.attendee_count(survey.event),
                           can_edit=services.can_edit_survey(current_user, survey.event))


@bp.route("/events/<slug>/results.csv")
@login_required
def results_csv(slug: str):
    survey = _readable_survey(slug)
    return private_download(results.results_csv(survey), CSV,
                            f"feedback-{survey.event.slug}.csv")
