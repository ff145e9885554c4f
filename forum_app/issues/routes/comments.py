"""A comment's author edits or deletes it within the window (config COMMENT_EDIT_MINUTES);
the earlier texts are kept, for the author, moderators and officials to read."""

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...core.forms import attempt, form_status, perform
from ...errors import render_error
from ...extensions import db
from .. import services
from ..access import can_view_comment, is_issue_staff
from ..forms import CommentEditForm
from ..models import Comment
from . import bp
from .public import _visible_issue


def _comment_or_404(comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is None or not can_view_comment(current_user, comment):
        abort(404)
    _visible_issue(comment.issue_id)
    return comment


def _in_thread(comment: Comment):
    return redirect(url_for("issues.detail", issue_id=comment.issue_id)
                    + f"#comment-{comment.id}")


def _changeable_comment(comment_id: int) -> Comment:
    """The comment its author may still change; else 404, or 403 saying why in the reader's
    language (someone else's, hidden, deleted, or the window has closed)."""
    comment = _comment_or_404(comment_id)
    refusal = services.comment_change_refusal(current_user, comment)
    if refusal is not None:
        abort(make_response(render_error(403, refusal)))
    return comment


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit_comment(comment_id: int):
    comment = _changeable_comment(comment_id)
    form = CommentEditForm(data={"body": comment.body} if request.method == "GET" else None)
    if perform(form, lambda: services.edit_comment(current_user, comment, form.body.data)):
        flash(_("Your comment is updated. It is marked as edited."), "success")
        return _in_thread(comment)
    return render_template("issues/comment_edit.html", comment=comment, form=form), \
        form_status()


@bp.route("/comments/<int:comment_id>/delete", methods=["GET", "POST"])
@login_required
def delete_comment(comment_id: int):
    """GET asks to confirm (no script needed); POST deletes."""
    comment = _changeable_comment(comment_id)
    if request.method == "POST" and attempt(
            lambda: services.delete_comment(current_user, comment),
            _("Your comment is deleted. The thread says it was deleted by its author.")):
        return _in_thread(comment)
    return render_template("issues/comment_delete.html", comment=comment)


@bp.route("/comments/<int:comment_id>/history")
@login_required
def comment_history(comment_id: int):
    """The earlier texts of an edited comment: for its author, moderators and officials."""
    comment = _comment_or_404(comment_id)
    if comment.author_id != current_user.id and not is_issue_staff(current_user):
        abort(403)
    return render_template("issues/comment_history.html", comment=comment)
