"""The staff side of issues: the officials' queue, status moves, forwarding to a department,
official answers, and typing in issues received on paper or by phone."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...accounts.access import role_required
from ...accounts.services import find_user_by_email
from ...core.forms import form_status, perform
from ...core.models import Department
from ...errors import DomainError, render_error
from ...events.models import Event
from ...extensions import db
from ...i18n import current_language
from .. import lifecycle, services
from ..forms import REASON_HINT, AnswerForm, AssignForm, MoveForm, StaffIssueForm
from ..models import CHANNELS, Issue
from ..photos import MAX_PHOTO_BYTES, MAX_PHOTOS
from ..queries import officials_queue
from . import bp

# The one visibility rule (access.can_view_issue): a hidden issue is 404 here as on its page.
from .public import MAX_SUBMIT_BYTES
from .public import _visible_issue as _issue_or_404

STAFF = ("organiser", "official")


def _back_to(issue: Issue):
    return redirect(url_for("issues.detail", issue_id=issue.id) + "#timeline")


@bp.app_template_global()
def issue_staff_forms(issue: Issue) -> dict:
    """Empty staff forms for the issue page (drawn only for the secretariat and officials)."""
    if not lifecycle.can_move(current_user):
        return {}
    return {"move": MoveForm(formdata=None, prefix="move").for_issue(issue),
            "assign": AssignForm(formdata=None, prefix="assign").for_issue(issue),
            "answer": AnswerForm(formdata=None, prefix="answer")
            if lifecycle.can_answer(current_user) else None,
            "reason_hint": REASON_HINT}


@bp.route("/staff/queue")
@role_required(*STAFF)
def staff_queue():
    department = current_user.department
    return render_template("issues/staff_queue.html", department=department,
                           **officials_queue(department.id if department else None))


@bp.route("/<int:issue_id>/status", methods=["GET", "POST"])
@role_required(*STAFF)
def move(issue_id: int):
    issue = _issue_or_404(issue_id)
    form = MoveForm(prefix="move").for_issue(issue)
    if perform(form, lambda: _move(issue, form)):
        flash(_("The issue is now “%(status)s”. Its author and followers are told.",
                status=issue.status_label), "success")
        return _back_to(issue)
    return render_template("issues/staff_move.html", issue=issue, form=form,
                           reason_hint=REASON_HINT), form_status()


def _move(issue: Issue, form) -> None:
    event = db.session.get(Event, form.forum_event_id.data) if form.forum_event_id.data else None
    target = db.session.get(Issue, form.merged_into_id.data) \
        if form.merged_into_id.data else None
    if form.merged_into_id.data and target is None:
        raise DomainError(_("There is no issue with this number."), "not_found",
                          "merged_into_id")
    lifecycle.move_issue(current_user, issue, form.to_status.data, form.reason.data,
                         forum_event=event, merged_into=target, reason_en=form.reason_en.data)


@bp.route("/<int:issue_id>/department", methods=["GET", "POST"])
@role_required(*STAFF)
def assign(issue_id: int):
    issue = _issue_or_404(issue_id)
    form = AssignForm(prefix="assign").for_issue(issue)
    if perform(form, lambda: lifecycle.assign_department(
            current_user, issue, _department(form.department_id.data), form.reason.data)):
        flash(_("The issue is forwarded to the department; it is now in its officials' "
                "queue."), "success")
        return _back_to(issue)
    return render_template("issues/staff_assign.html", issue=issue, form=form,
                           reason_hint=REASON_HINT), form_status()


def _department(department_id: int | None) -> Department | None:
    return db.session.get(Department, department_id) if department_id else None


@bp.route("/<int:issue_id>/answer", methods=["GET", "POST"])
@role_required("official")
def answer(issue_id: int):
    issue = _issue_or_404(issue_id)
    form = AnswerForm(prefix="answer")
    if perform(form, lambda: lifecycle.post_answer(current_user, issue, form.body_mn.data,
                                                   form.body_en.data)):
        flash(_("Your answer is published on the issue. Its author and followers are "
                "told."), "success")
        return _back_to(issue)
    status = form_status()
    return render_template("issues/staff_answer.html", issue=issue, form=form,
                           can_answer=lifecycle.can_answer(current_user)), status


def _enter_issue(form) -> Issue:
    author = find_user_by_email(form.author_email.data) if form.author_email.data else None
    if form.author_email.data and author is None:
        raise DomainError(_("No account has this e-mail address. Leave it empty and give the "
                            "citizen's name and phone instead."), "unknown_user", "author_email")
    return services.submit_issue(
        author, form.values() | {"language": current_language()}, form.prepared_photos,
        channel=form.channel.data, entered_by=current_user,
        contact_name=form.contact_name.data, contact_phone=form.contact_phone.data)


@bp.route("/staff/new", methods=["GET", "POST"])
@role_required(*services.STAFF_ENTRY_ROLES)
def staff_new():
    """An issue received on paper, by phone or at a meeting, typed in by the staff member."""
    if request.method == "POST" and (request.content_length or 0) > MAX_SUBMIT_BYTES:
        return render_error(413, _("Each photo may be at most 5 MB, and an issue may have at "
                                   "most %(n)d photos.", n=MAX_PHOTOS))
    form = StaffIssueForm()
    done = perform(form, lambda: _enter_issue(form))
    if done:
        flash(_("The issue is entered and published as received by %(channel)s.",
                channel=CHANNELS.get(done.value.channel, done.value.channel)), "success")
        return redirect(url_for("issues.detail", issue_id=done.value.id))
    status = 200
    if request.method == "POST":
        status = form.status_code if form.errors else 422
    return render_template("issues/staff_new.html", form=form, max_photos=MAX_PHOTOS,
                           max_photo_bytes=MAX_PHOTO_BYTES), status
