"""Officials: the actions of their department, due and overdue first, and progress posted on
one or several of them at once."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...accounts.access import role_required
from ...accounts.models import Role
from ...core.forms import perform
from .. import services
from ..forms import ProgressForm
from ..queries import department_actions, today
from . import bp


def _actions():
    return department_actions(current_user.department_id,
                              everything=Role.ADMIN.value in current_user.roles)


def _page(form: ProgressForm | None = None, status: int = 200):
    actions = _actions()
    return render_template("deliberation/my_actions.html", actions=actions,
                           form=form or ProgressForm(actions, formdata=None),
                           department=current_user.department, today=today()), status


@bp.route("/forum/my-actions")
@role_required(Role.OFFICIAL.value, Role.ADMIN.value)
def my_actions():
    return _page()


@bp.route("/forum/my-actions", methods=["POST"])
@role_required(Role.OFFICIAL.value, Role.ADMIN.value)
def post_progress():
    actions = _actions()
    form = ProgressForm(actions)
    if perform(form, lambda: _post(form, [a for a in actions if a.id in form.action_ids.data])):
        flash(_("Progress is posted."), "success")
        return redirect(url_for("deliberation.my_actions"))
    return _page(form, 422)


def _post(form: ProgressForm, chosen: list):
    """One service call: progress on one action (with evidence), or the same on several."""
    values = {"status": form.status.data, "percent": form.percent.data,
              "note_mn": form.note_mn.data, "note_en": form.note_en.data}
    if len(chosen) == 1:
        return services.post_progress(current_user, chosen[0], **values,
                                      evidence_url=form.evidence_url.data,
                                      photos=form.prepared_photos)
    return services.post_progress_many(current_user, chosen, **values)
