"""The signed-in person's data: "My data" (what is held, a JSON download), deleting the
account, and acknowledging a changed privacy notice."""

import json

from flask import Blueprint, Response, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, logout_user

from ..core.forms import form_status, perform
from ..core.privacy import current_notice, needs_notice_of_change
from ..core.urls import safe_next
from ..security import PRIVATE
from . import privacy
from .forms import AcknowledgeNoticeForm, DeleteAccountForm

bp = Blueprint("my_data", __name__, url_prefix="/account")
SECTION_LABELS = {
    "consents": _l("Privacy notices you accepted"),
    "account": _l("Your account and its sign-ins"),
    "registrations": _l("Registrations for events, with your answers"),
    "checkins": _l("Check-ins at the door"),
    "issues": _l("Issues you raised"),
    "comments": _l("Comments"),
    "supports": _l("Issues you support"),
    "follows": _l("Issues you follow"),
    "flags": _l("Reports of inappropriate content you made"),
    "forum": _l("Questions and contributions in forum sessions, and the items you voted on"),
    "survey_answers": _l("Feedback survey answers"),
    "notifications": _l("Notices and e-mails sent to you"),
    "exhibitor_applications": _l("Exhibition applications"),
    "event_staff": _l("Events you help run"),
    "actions_recorded": _l("What you did, as the audit trail records it"),
}


@bp.app_context_processor
def notice_of_change():
    """Whether the signed-in person should be told that the privacy notice has changed."""
    def privacy_notice_changed() -> bool:
        return (current_user.is_authenticated
                and needs_notice_of_change(current_user.consent_version))
    return {"privacy_notice_changed": privacy_notice_changed,
            "acknowledge_form": AcknowledgeNoticeForm}


def _sections(data: dict) -> dict:
    """How many entries each section of the download holds, for the page."""
    def size(value):
        if isinstance(value, list):
            return len(value)
        if isinstance(value, dict):
            return sum(size(v) for v in value.values() if isinstance(v, list)) or 1
        return 1
    return {section: size(value) for section, value in data.items()
            if section not in {"generated_at", "privacy_notice"}}


@bp.route("/data")
@login_required
def my_data():
    data = privacy.personal_data(current_user)
    response = Response(render_template("accounts/my_data.html", sections=_sections(data),
                                        section_labels=SECTION_LABELS))
    response.headers.update(PRIVATE)
    return response


@bp.route("/data.json")
@login_required
def download():
    body = json.dumps(privacy.personal_data(current_user), ensure_ascii=False, indent=2,
                      default=str)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="my-data.json"'
    response.headers.update(PRIVATE)
    return response


@bp.route("/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    form = DeleteAccountForm()
    if perform(form, lambda: privacy.delete_account(current_user, form.current_password.data)):
        logout_user()
        session.clear()
        flash(_("Your account has been deleted and your personal data erased. What you "
                "published stays, signed “former participant”."), "success")
        return redirect(url_for("home.index"))
    return render_template("accounts/delete.html", form=form), form_status()


@bp.route("/privacy/acknowledge", methods=["POST"])
@login_required
def acknowledge_notice():
    form = AcknowledgeNoticeForm()
    if form.validate_on_submit():
        privacy.acknowledge_notice(current_user)
        flash(_("Thank you. You accept privacy notice version %(version)s.",
                version=current_notice().version), "success")
    return redirect(safe_next(form.next.data))
