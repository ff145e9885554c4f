"""The public side of issues: the list, submitting one (with similar-issue suggestions), the
issue page, its photos, support, follow and comments."""

from flask import (
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required
from sqlalchemy import select

from ...core.forms import attempt, perform
from ...core.page_cache import public_page
from ...database import id_from_text, page_number
from ...errors import DomainError, render_error
from ...extensions import db, limiter
from ...i18n import current_language
from .. import lifecycle, services
from ..access import can_view_comment, can_view_issue, is_issue_staff
from ..forms import CommentForm, IssueFilterForm, IssueForm, sdg_label
from ..models import Comment, Issue, IssuePhoto
from ..photos import CONTENT_TYPES, MAX_PHOTO_BYTES, MAX_PHOTOS, ensure_thumbnail, photo_path
from ..queries import comment_threads, issue_for_page, list_issues
from ..search import suggest_similar
from . import bp

# Three photos of 5 MB and the text around them; beyond this the request is refused unread.
MAX_SUBMIT_BYTES = MAX_PHOTOS * MAX_PHOTO_BYTES + 512 * 1024


def _person_key() -> str:
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return get_remote_address()


def _redirected(response) -> bool:
    """Only what was really saved counts against a rate limit, not a form shown again."""
    return response.status_code in (302, 303)


def _visible_issue(issue_id: int, *, for_page: bool = False) -> Issue:
    issue = issue_for_page(issue_id) if for_page else db.session.get(Issue, issue_id)
    if issue is None or not can_view_issue(current_user, issue):
        abort(404)
    return issue


def _to_issue(issue: Issue, anchor: str = ""):
    return redirect(url_for("issues.detail", issue_id=issue.id) + anchor)


def _sign_in_first(issue: Issue):
    flash(_("Please sign in first."), "info")
    return redirect(url_for("accounts.login", next=url_for("issues.detail", issue_id=issue.id)))


# --- the list --------------------------------------------------------------------------------

@bp.route("/")
@public_page
def index():
    form = IssueFilterForm(request.args)
    valid = form.validate()
    filters = form.filters(page=page_number())
    form.sort.data = filters.sort
    page = list_issues(filters)
    query_args = {name: request.args[name] for name in IssueFilterForm.NAMES
                  if request.args.get(name) and not form[name].errors}
    return render_template("issues/list.html", form=form, page=page, filters=filters,
                           query_args=query_args, sdg_label=sdg_label), 200 if valid else 422


# --- submitting ------------------------------------------------------------------------------

@bp.route("/suggest")
@limiter.limit("120 per minute")
def suggest():
    query = (request.args.get("q") or "")[:200]
    suggestions = suggest_similar(query)
    if request.accept_mimetypes.best_match(["text/html", "application/json"]) == \
            "application/json":
        return jsonify(query=query, results=[{
            "id": issue.id, "title": issue.title, "status": str(issue.status_label),
            "supports": issue.support_count,
            "supports_label": ngettext("%(num)d support", "%(num)d supports",
                                       issue.support_count),
            "url": url_for("issues.detail", issue_id=issue.id)} for issue in suggestions])
    return render_template("issues/_suggestions.html", suggestions=suggestions, query=query)


@bp.route("/new", methods=["GET", "POST"])
@login_required
@limiter.shared_limit(services.SUBMIT_LIMIT, scope=services.SUBMIT_LIMIT_SCOPE,
                      methods=["POST"], key_func=_person_key, deduct_when=_redirected)
def new():
    if request.method == "POST" and (request.content_length or 0) > MAX_SUBMIT_BYTES:
        return render_error(413, _("Each photo may be at most 5 MB, and an issue may have at "
                                   "most %(n)d photos.", n=MAX_PHOTOS))
    form = IssueForm()
    checking = request.method == "POST" and request.form.get("action") == "check"
    done = None if checking else perform(form, lambda: services.submit_issue(
        current_user, form.values() | {"language": current_language()}, form.prepared_photos))
    if done:
        flash(_("Thank you. Your issue has been published; you can follow what becomes of it "
                "here."), "success")
        return _to_issue(done.value)
    suggestions = suggest_similar(form.title.data) if request.method == "POST" else []
    status = 200
    if request.method == "POST" and not checking:
        status = form.status_code if form.errors else 422
    return render_template("issues/new.html", form=form, suggestions=suggestions,
                           checked=checking, max_photos=MAX_PHOTOS,
                           max_photo_bytes=MAX_PHOTO_BYTES), status


# --- one issue -------------------------------------------------------------------------------

def _issue_page(issue: Issue, comment_form: CommentForm | None = None,
                reply_to: int | None = None, status: int = 200):
    supported, following = services.support_and_follow(current_user, issue)
    return render_template(
        "issues/detail.html", issue=issue, threads=comment_threads(issue),
        journey=lifecycle.timeline(issue),
        comment_form=comment_form if reply_to is None and comment_form else CommentForm(
            formdata=None),
        reply_form=comment_form if reply_to is not None else None, reply_to=reply_to,
        supported=supported, following=following,
        staff_view=is_issue_staff(current_user), can_view_comment=can_view_comment,
        sdg_label=sdg_label), status


@bp.route("/<int:issue_id>")
@public_page
def detail(issue_id: int):
    return _issue_page(_visible_issue(issue_id, for_page=True))


def _photo_row(issue_id: int, filename: str) -> tuple[Issue, IssuePhoto]:
    issue = _visible_issue(issue_id)
    row = db.session.scalar(select(IssuePhoto).where(IssuePhoto.issue_id == issue.id,
                                                     IssuePhoto.filename == filename))
    if row is None or filename.rpartition(".")[2] not in CONTENT_TYPES:
        abort(404)
    return issue, row


@bp.route("/<int:issue_id>/photos/<filename>")
def photo(issue_id: int, filename: str):
    issue, row = _photo_row(issue_id, filename)
    path = photo_path(row.filename)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=row.content_type, conditional=True)
    # Browsers only, and not for long: a photo hidden by moderation must stop being served.
    response.headers["Cache-Control"] = "private, no-store" if issue.is_hidden \
        else "private, max-age=3600"
    return response


@bp.route("/<int:issue_id>/photos/<filename>/thumbnail")
def photo_thumbnail(issue_id: int, filename: str):
    """The list's small square of a photo; made on first request for older photos. Its name
    never changes, so browsers keep it for a year (never shared caches, and not at all while
    the issue is hidden, which stops it being served to anyone but its author and staff)."""
    issue, row = _photo_row(issue_id, filename)
    path = ensure_thumbnail(row.filename)
    if path is None:
        abort(404)
    response = send_file(path, mimetype="image/jpeg", conditional=True)
    response.headers["Cache-Control"] = "private, no-store" if issue.is_hidden \
        else "private, max-age=31536000, immutable"
    return response


@bp.route("/<int:issue_id>/support", methods=["POST"])
@limiter.limit("60 per 10 minutes", key_func=_person_key)
def support(issue_id: int):
    issue = _visible_issue(issue_id)
    if not current_user.is_authenticated:
        return _sign_in_first(issue)
    try:
        added = services.support_issue(current_user, issue)
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(_("Thank you for your support.") if added
              else _("You already support this issue."), "success")
    return _to_issue(issue, "#support")


@bp.route("/<int:issue_id>/support/withdraw", methods=["POST"])
@limiter.limit("60 per 10 minutes", key_func=_person_key)
def withdraw_support(issue_id: int):
    issue = _visible_issue(issue_id)
    if not current_user.is_authenticated:
        return _sign_in_first(issue)
    if services.withdraw_support(current_user, issue):
        flash(_("Your support has been withdrawn."), "success")
    return _to_issue(issue, "#support")


@bp.route("/<int:issue_id>/follow", methods=["POST"])
@limiter.limit("60 per 10 minutes", key_func=_person_key)
def follow(issue_id: int):
    issue = _visible_issue(issue_id)
    if not current_user.is_authenticated:
        return _sign_in_first(issue)
    attempt(lambda: services.follow_issue(current_user, issue),
            _("You are following this issue. We will tell you when its status changes or "
              "an official answers."))
    return _to_issue(issue, "#support")


@bp.route("/<int:issue_id>/unfollow", methods=["POST"])
@limiter.limit("60 per 10 minutes", key_func=_person_key)
def unfollow(issue_id: int):
    issue = _visible_issue(issue_id)
    if not current_user.is_authenticated:
        return _sign_in_first(issue)
    if services.unfollow_issue(current_user, issue):
        flash(_("You no longer follow this issue."), "success")
    return _to_issue(issue, "#support")


@bp.route("/<int:issue_id>/comments", methods=["POST"])
@limiter.limit("10 per 10 minutes;60 per day", key_func=_person_key, deduct_when=_redirected)
def comment(issue_id: int):
    issue = _visible_issue(issue_id, for_page=True)
    if not current_user.is_authenticated:
        return _sign_in_first(issue)
    form = CommentForm()
    parent = None
    if form.parent_id.data:
        parent_id = id_from_text(form.parent_id.data)
        parent = db.session.get(Comment, parent_id) if parent_id else None
        if parent is None or parent.issue_id != issue.id or not can_view_comment(
                current_user, parent):
            abort(404)
    done = perform(form, lambda: services.add_comment(current_user, issue, form.body.data, parent))
    if done:
        flash(_("Your comment has been published."), "success")
        return _to_issue(issue, f"#comment-{done.value.id}")
    return _issue_page(issue, form, parent.id if parent else None, 422)
