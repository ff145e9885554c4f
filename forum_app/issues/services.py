"""What people can do with issues: submit (on the web or typed in by staff), support, follow,
comment (and edit or delete one's own comment for a short while). Each function checks the
rules, commits once, and raises DomainError when a rule says no."""

import math
from collections.abc import Sequence
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, delete, exists, func, select, update
from sqlalchemy.exc import IntegrityError

from ..accounts.models import Role, User
from ..audit.services import record_event
from ..core.models import District
from ..errors import DomainError
from ..extensions import db
from ..i18n import current_language, utcnow
from .models import (
    CHANNELS,
    Category,
    Comment,
    CommentRevision,
    Follow,
    Issue,
    IssuePhoto,
    IssueSdg,
    IssueStatus,
    Support,
)
from .photos import (
    MAX_PHOTOS,
    PreparedPhoto,
    ensure_thumbnail,
    remove_photo_files,
    store_photo,
)

TITLE_LENGTH = (5, 200)
DESCRIPTION_LENGTH = (10, 5000)
COMMENT_LENGTH = 2000
SDG_NUMBERS = range(1, 18)
STAFF_ENTRY_ROLES = (Role.ORGANISER.value, Role.OFFICIAL.value, Role.MODERATOR.value)
# How many issues one person may raise, on the web and through the API together (a limit
# shared under SUBMIT_LIMIT_SCOPE, counted per "user:<id>").
SUBMIT_LIMIT = "5 per hour;20 per day"
SUBMIT_LIMIT_SCOPE = "issue-submit"


def _text(values: dict, key: str) -> str:
    return (values.get(key) or "").strip()


def _check_length(value: str, bounds: tuple[int, int], field: str, message) -> None:
    if not bounds[0] <= len(value) <= bounds[1]:
        raise DomainError(message, f"{field}_length", field)


def _check_issue_values(values: dict) -> dict:
    title, description = _text(values, "title"), _text(values, "description")
    _check_length(title, TITLE_LENGTH, "title", _l(
        "Please give a title of %(low)d to %(high)d characters.", low=TITLE_LENGTH[0],
        high=TITLE_LENGTH[1]))
    _check_length(description, DESCRIPTION_LENGTH, "description", _l(
        "Please describe the problem in %(low)d to %(high)d characters.",
        low=DESCRIPTION_LENGTH[0], high=DESCRIPTION_LENGTH[1]))
    category = db.session.get(Category, values.get("category_id") or 0)
    if category is None or not category.active:
        raise DomainError(_l("Please choose a category from the list."), "bad_category",
                          "category_id")
    district_id = values.get("district_id")
    if district_id is not None and db.session.get(District, district_id) is None:
        raise DomainError(_l("Please choose a district from the list."), "bad_district",
                          "district_id")
    sdgs = sorted({int(n) for n in values.get("sdgs") or []})
    if any(n not in SDG_NUMBERS for n in sdgs):
        raise DomainError(_l("Please choose goals from the list."), "bad_sdg", "sdgs")
    place = _text(values, "place_description")
    if len(place) > 300:
        raise DomainError(_l("Please describe the place in at most 300 characters."),
                          "place_length", "place_description")
    return {"title": title, "description": description, "category_id": category.id,
            "district_id": district_id, "place_description": place or None, "sdgs": sdgs,
            **_check_position(values), "anonymous": bool(values.get("anonymous")),
            "language": values.get("language") or current_language()}


def _coordinate(value, field: str, limit: int, message) -> float | None:
    """A typed or phone-given degree value ("49.48", "49,48"); None when left empty."""
    text = str(value).strip().replace(",", ".") if value is not None else ""
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        raise DomainError(message, f"bad_{field}", field) from None
    if not math.isfinite(number) or not -limit <= number <= limit:
        raise DomainError(message, f"bad_{field}", field)
    return round(number, 6)  # about 10 cm: more would be false precision


def _check_position(values: dict) -> dict:
    """Both coordinates or neither; shown in public only when the author chose so."""
    latitude = _coordinate(values.get("latitude"), "latitude", 90, _l(
        "Please give the latitude as a number of degrees from -90 to 90, for example 49.4867."))
    longitude = _coordinate(values.get("longitude"), "longitude", 180, _l(
        "Please give the longitude as a number of degrees from -180 to 180, for example "
        "105.9228."))
    if (latitude is None) != (longitude is None):
        field = "longitude" if longitude is None else "latitude"
        raise DomainError(_l("Please give both the latitude and the longitude, or leave both "
                             "empty."), "half_position", field)
    return {"latitude": latitude, "longitude": longitude,
            "location_public": latitude is not None and bool(values.get("location_public"))}


def _check_channel(author: User | None, channel: str, entered_by: User | None) -> None:
    if channel not in CHANNELS:
        raise DomainError(_l("Unknown channel."), "bad_channel", "channel")
    if channel == "web":
        if author is None or entered_by is not None:
            raise DomainError(_l("Please sign in to submit an issue."), "author_required")
    elif entered_by is None or not entered_by.has_role(*STAFF_ENTRY_ROLES):
        raise DomainError(_l("Only forum staff can enter issues received on paper or by "
                             "phone."), "staff_only")


def submit_issue(author: User | None, values: dict, photos: Sequence[PreparedPhoto] = (), *,
                 channel: str = "web", entered_by: User | None = None,
                 contact_name: str | None = None, contact_phone: str | None = None) -> Issue:
    """A new issue in status "submitted". On the web `author` is the signed-in citizen; from
    paper, a call or a meeting `entered_by` is the staff member who typed it in, and `author`
    is the citizen's account if they have one (else contact_name/phone, seen only by staff)."""
    _check_channel(author, channel, entered_by)
    clean = _check_issue_values(values)
    if len(photos) > MAX_PHOTOS:
        raise DomainError(_l("You can add at most %(n)d photos.", n=MAX_PHOTOS),
                          "too_many_photos", "photos")
    sdgs = clean.pop("sdgs")
    now = utcnow()
    issue = Issue(**clean, author_id=author.id if author else None, channel=channel,
                  entered_by_id=entered_by.id if entered_by else None,
                  contact_name=(contact_name or "").strip()[:120] or None,
                  contact_phone=(contact_phone or "").strip()[:32] or None,
                  created_at=now, updated_at=now)
    issue.sdg_rows = [IssueSdg(sdg=n) for n in sdgs]
    db.session.add(issue)
    db.session.flush()
    stored: list[str] = []
    try:
        for photo in photos:
            filename = store_photo(photo)
            stored.append(filename)
            ensure_thumbnail(filename)
            issue.photos.append(IssuePhoto(filename=filename, content_type=photo.content_type,
                                           width=photo.width, height=photo.height,
                                           size=photo.size))
        record_event(entered_by or author, issue, "issue.submitted",
                     after={"status": issue.status, "channel": channel,
                            "photos": len(stored)})
        db.session.commit()
    except BaseException:
        db.session.rollback()
        remove_photo_files(stored)
        raise
    return issue


# --- support and follow ----------------------------------------------------------------------

def _check_open(issue: Issue, action) -> None:
    if issue.is_hidden:
        raise DomainError(_l("This issue is hidden pending review."), "issue_hidden")
    if issue.status == IssueStatus.MERGED or issue.merged_into_id is not None:
        raise DomainError(action, "issue_merged")


def _recount_supports(issue: Issue) -> None:
    db.session.execute(update(Issue).where(Issue.id == issue.id).values(
        support_count=select(func.count(Support.id)).where(Support.issue_id == issue.id)
        .scalar_subquery()))


def _insert_once(row) -> bool:
    """Add a row guarded by a unique constraint; False when it is already there (a double
    click or two tabs at once), without spoiling the transaction."""
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        return False
    return True


def support_issue(user: User, issue: Issue) -> bool:
    """One support per person; True when this call added it."""
    _check_open(issue, _l("This issue was merged into another one. Please support that one."))
    existing = db.session.scalar(select(Support.id).where(Support.issue_id == issue.id,
                                                          Support.user_id == user.id))
    added = existing is None and _insert_once(Support(issue_id=issue.id, user_id=user.id))
    if added:
        _recount_supports(issue)
    db.session.commit()
    return added


def withdraw_support(user: User, issue: Issue) -> bool:
    removed = db.session.execute(delete(Support).where(
        Support.issue_id == issue.id, Support.user_id == user.id)).rowcount > 0
    if removed:
        _recount_supports(issue)
    db.session.commit()
    return removed


# Whether the viewer supports and follows an issue: one query, built once.
_STANCE = select(
    exists().where(Support.issue_id == bindparam("issue_id"),
                   Support.user_id == bindparam("user_id")),
    exists().where(Follow.issue_id == bindparam("issue_id"),
                   Follow.user_id == bindparam("user_id")))


def support_and_follow(user, issue: Issue) -> tuple[bool, bool]:
    """(the viewer supports the issue, the viewer follows it); never for someone not signed
    in."""
    if not getattr(user, "is_authenticated", False):
        return False, False
    supported, following = db.session.execute(
        _STANCE, {"issue_id": issue.id, "user_id": user.id}).one()
    return bool(supported), bool(following)


def follow_issue(user: User, issue: Issue) -> bool:
    if issue.is_hidden:
        raise DomainError(_l("This issue is hidden pending review."), "issue_hidden")
    existing = db.session.scalar(select(Follow.id).where(Follow.issue_id == issue.id,
                                                         Follow.user_id == user.id))
    added = existing is None and _insert_once(Follow(issue_id=issue.id, user_id=user.id))
    db.session.commit()
    return added


def unfollow_issue(user: User, issue: Issue) -> bool:
    removed = db.session.execute(delete(Follow).where(
        Follow.issue_id == issue.id, Follow.user_id == user.id)).rowcount > 0
    db.session.commit()
    return removed


# --- comments --------------------------------------------------------------------------------

def _clean_comment(body: str | None) -> str:
    body = (body or "").strip()
    if not body:
        raise DomainError(_l("Please write a comment."), "comment_required", "body")
    if len(body) > COMMENT_LENGTH:
        raise DomainError(_l("Please keep a comment under %(n)d characters.", n=COMMENT_LENGTH),
                          "comment_length", "body")
    return body


def add_comment(user: User, issue: Issue, body: str, parent: Comment | None = None) -> Comment:
    """A comment, or a reply to one. Replies go one level deep: answering a reply adds to the
    conversation of the comment it belongs to."""
    _check_open(issue, _l("This issue was merged into another one. Please comment there."))
    body = _clean_comment(body)
    parent_id = None
    if parent is not None:
        if parent.issue_id != issue.id:
            raise DomainError(_l("You can only reply to a comment on this issue."),
                              "bad_parent")
        if parent.hidden_at is not None:
            raise DomainError(_l("This comment was hidden by moderation; it takes no replies."),
                              "parent_hidden")
        if parent.is_deleted:
            raise DomainError(_l("This comment was deleted by its author; it takes no "
                                 "replies."), "parent_deleted")
        parent_id = parent.parent_id or parent.id
    comment = Comment(issue_id=issue.id, author_id=user.id, parent_id=parent_id, body=body,
                      created_at=utcnow())
    db.session.add(comment)
    db.session.flush()
    recount_comments(issue.id, updated_at=utcnow())
    db.session.commit()
    return comment


def recount_comments(issue_id: int, **values) -> None:
    """Issue.comment_count is the number of visible comments (neither hidden by moderation nor
    deleted by their author); callers commit."""
    db.session.flush()
    db.session.execute(update(Issue).where(Issue.id == issue_id).values(
        comment_count=select(func.count(Comment.id)).where(
            Comment.issue_id == issue_id, Comment.hidden_at.is_(None),
            Comment.deleted_at.is_(None)).scalar_subquery(),
        **values))


# --- a comment's author changes their mind (within COMMENT_EDIT_MINUTES) --------------------

def comment_edit_window() -> timedelta:
    return timedelta(minutes=current_app.config["COMMENT_EDIT_MINUTES"])


def comment_change_refusal(user, comment: Comment, now: datetime | None = None):
    """Why `user` may not edit or delete the comment now (a message), or None when they may:
    only its author, only while the window is open, never once hidden or deleted."""
    if not getattr(user, "is_authenticated", False) or comment.author_id != user.id:
        return _l("Only the author of a comment can edit or delete it.")
    if comment.hidden_at is not None:
        return _l("This comment was hidden by moderation; it cannot be edited or deleted.")
    if comment.is_deleted:
        return _l("This comment was already deleted.")
    if (now or utcnow()) > comment.created_at + comment_edit_window():
        return _l("A comment can be edited or deleted only within %(n)d minutes of publishing "
                  "it.", n=current_app.config["COMMENT_EDIT_MINUTES"])
    return None


def can_change_comment(user, comment: Comment) -> bool:
    return comment_change_refusal(user, comment) is None


def _check_changeable(user: User, comment: Comment) -> None:
    refusal = comment_change_refusal(user, comment)
    if refusal is not None:
        raise DomainError(refusal, "comment_locked")


def edit_comment(user: User, comment: Comment, body: str) -> Comment:
    """The author's new text; the one it replaces is kept as a revision (seen by moderators,
    officials and the author), and the thread marks the comment as edited."""
    _check_changeable(user, comment)
    body = _clean_comment(body)
    if body == comment.body:
        return comment
    now = utcnow()
    comment.revisions.append(CommentRevision(body=comment.body,
                                             written_at=comment.edited_at or comment.created_at,
                                             replaced_at=now))
    comment.body, comment.edited_at = body, now
    db.session.commit()
    return comment


def delete_comment(user: User, comment: Comment) -> Comment:
    """The author withdraws their comment: the thread keeps its place ("deleted by its
    author") and its replies; the text stays for moderators, as a hidden comment's does."""
    _check_changeable(user, comment)
    comment.deleted_at = utcnow()
    recount_comments(comment.issue_id)
    db.session.commit()
    return comment
