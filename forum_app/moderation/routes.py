"""Reporting content (anyone signed in), the author's appeal against a hiding, and the
moderators' pages: the queue, one item with its flags, appeal and history, hide / restore
with a reason, block the author."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.routing import BuildError

from ..accounts.access import role_required
from ..accounts.models import Role, User
from ..core.forms import attempt, form_status, perform
from ..core.urls import safe_next
from ..errors import DomainError
from ..extensions import db, limiter
from ..issues.models import FLAG_REASONS
from . import queries, services
from .forms import AppealForm, BlockForm, DecisionForm, FlagForm

bp = Blueprint("moderation", __name__, url_prefix="/moderation")
TARGET = "<any(issue, comment):target_type>/<int:target_id>"


@bp.app_context_processor
def flag_partial_context():
    """What templates/issues/_flag.html and templates/moderation/_appeal.html need on any page
    that includes them."""
    return {"flag_reasons": FLAG_REASONS, "appeal_of": services.appeal_of,
            "new_appeal_form": lambda: AppealForm(formdata=None)}


def issue_path(issue_id: int) -> str:
    """The public page of an issue (the issues part owns that route)."""
    try:
        return url_for("issues.detail", issue_id=issue_id)
    except BuildError:
        return f"/issues/{issue_id}"


def _flag_limit() -> str:
    return current_app.config.get("FLAG_RATE_LIMIT", "10 per hour")


def _per_person() -> str:
    return f"flag:{current_user.get_id()}"


def _target_or_404(target_type: str, target_id: int):
    return services.load_target(target_type, target_id) or abort(404)


# --- reporting -------------------------------------------------------------------------------

@bp.route(f"/flag/{TARGET}", methods=["GET", "POST"])
@login_required
@limiter.limit(_flag_limit, methods=["POST"], key_func=_per_person)
def flag(target_type: str, target_id: int):
    target = _target_or_404(target_type, target_id)
    if target.hidden_at is not None:
        abort(404)  # hidden content is not public, so there is nothing to report
    form = FlagForm()
    if form.validate_on_submit():
        attempt(lambda: services.flag_content(current_user, target_type, target_id,
                                              form.reason.data, form.note.data),
                _("Thank you. The moderators will look at your report."))
        return redirect(safe_next(form.next.data))
    issue = target if target_type == "issue" else services.load_target("issue", target.issue_id)
    status = 422 if form.is_submitted() else 200
    return render_template("moderation/flag.html", form=form, target=target,
                           target_type=target_type, issue=issue,
                           issue_path=issue_path), status


# --- the author's appeal ---------------------------------------------------------------------

def _own_target_or_404(target_type: str, target_id: int):
    """Only the author reaches the appeal of their content; anyone else finds nothing."""
    target = _target_or_404(target_type, target_id)
    if target.author_id is None or target.author_id != current_user.id:
        abort(404)
    return target


@bp.route(f"/appeal/{TARGET}", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per hour", methods=["POST"], key_func=_per_person)
def appeal(target_type: str, target_id: int):
    target = _own_target_or_404(target_type, target_id)
    issue = target if target_type == "issue" else services.load_target("issue", target.issue_id)
    if target.hidden_at is None:
        flash(str(services.NOTHING_TO_APPEAL), "info")
        return redirect(issue_path(issue.id))
    form = AppealForm()
    if perform(form, lambda: services.appeal_hiding(current_user, target, form.text.data)):
        flash(_("Your appeal has been sent. A moderator will review it, and we will tell you "
                "what they decide."), "success")
        return redirect(url_for("moderation.appeal", target_type=target_type,
                                target_id=target_id))
    return render_template("moderation/appeal.html", target=target, target_type=target_type,
                           issue=issue, issue_path=issue_path, appeal_form=form), form_status()


# --- moderators ------------------------------------------------------------------------------

@bp.route("/")
@role_required(Role.MODERATOR)
def queue():
    return render_template("moderation/queue.html", pending=queries.pending_items(),
                           hidden=queries.hidden_items(), flag_reasons=FLAG_REASONS,
                           issue_path=issue_path)


def _item_page(target, decision_form=None, block_form=None, status: int = 200):
    return render_template(
        "moderation/item.html", item=queries.item_for(target), flags=queries.flags_of(target),
        history=queries.history_of(target), flag_reasons=FLAG_REASONS, issue_path=issue_path,
        decision_form=decision_form or DecisionForm(),
        block_form=block_form or BlockForm(prefix="block")), status


@bp.route(f"/{TARGET}")
@role_required(Role.MODERATOR)
def item(target_type: str, target_id: int):
    return _item_page(_target_or_404(target_type, target_id))


def _decide(target_type: str, target_id: int, service, done_message: str):
    target = _target_or_404(target_type, target_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _item_page(target, decision_form=form, status=422)
    try:
        service(current_user, target, form.reason.data)
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(url_for("moderation.item", target_type=target_type, target_id=target_id))
    flash(done_message, "success")
    return redirect(url_for("moderation.queue"))


@bp.route(f"/{TARGET}/hide", methods=["POST"])
@role_required(Role.MODERATOR)
def hide(target_type: str, target_id: int):
    return _decide(target_type, target_id, services.hide_content,
                   _("It is hidden, and the author has been told why."))


@bp.route(f"/{TARGET}/restore", methods=["POST"])
@role_required(Role.MODERATOR)
def restore(target_type: str, target_id: int):
    return _decide(target_type, target_id, services.restore_content,
                   _("It is visible again and its reports are closed."))


@bp.route(f"/{TARGET}/block-author", methods=["POST"])
@role_required(Role.MODERATOR)
def block_author(target_type: str, target_id: int):
    target = _target_or_404(target_type, target_id)
    author = db.session.get(User, target.author_id) if target.author_id else None
    if author is None:
        abort(404)
    form = BlockForm(prefix="block")
    if not form.validate_on_submit():
        return _item_page(target, block_form=form, status=422)
    attempt(lambda: services.block_user(current_user, author, form.reason.data),
            _("%(name)s is blocked and has been told why.", name=author.name))
    return redirect(url_for("moderation.item", target_type=target_type, target_id=target_id))
