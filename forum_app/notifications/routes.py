"""The notifications page (what happened to issues I follow) and my channel preferences."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.forms import form_status
from ..database import paginate
from ..errors import DomainError
from . import inbox
from .forms import MarkReadForm, PreferencesForm
from .notices import describe_notice, notice_reason, notice_target

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.app_context_processor
def notice_helpers():
    def unread_notice_count() -> int:
        # Called only where the header is drawn, for a signed-in person: one COUNT query.
        if not current_user.is_authenticated:
            return 0
        return inbox.unread_count(current_user)

    return {"unread_notice_count": unread_notice_count, "describe_notice": describe_notice,
            "notice_target": notice_target, "notice_reason": notice_reason}


@bp.route("/")
@login_required
def index():
    page = paginate(inbox.notices_query(current_user))
    return render_template("notifications/index.html", page=page, form=MarkReadForm(),
                           preference=inbox.preference_for(current_user))


@bp.route("/read", methods=["POST"])
@login_required
def mark_read():
    form = MarkReadForm()
    if form.validate_on_submit():
        count = inbox.mark_all_read(current_user)
        flash(_("%(n)d notifications marked as read.", n=count) if count
              else _("There was nothing unread."), "success")
    return redirect(url_for("notifications.index"))


@bp.route("/preferences", methods=["GET", "POST"])
@login_required
def preferences():
    preference = inbox.preference_for(current_user)
    form = PreferencesForm(obj=preference)
    if form.validate_on_submit():
        try:
            inbox.update_preferences(current_user, form.email.data, form.in_app.data)
        except DomainError as error:
            form.email.errors = [*form.email.errors, str(error.message)]
        else:
            flash(_("Your notification choices are saved."), "success")
            return redirect(url_for("notifications.preferences"))
    status = form_status()
    return render_template("notifications/preferences.html", form=form), status
