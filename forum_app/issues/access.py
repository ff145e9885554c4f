"""Who may see what of an issue: hidden content and the names behind "anonymous citizen"."""

from flask_babel import lazy_gettext as _l

from ..accounts.models import Role
from .models import Comment, Issue

# Moderators and officials (and admins, who hold every role) see hidden issues and real names.
STAFF_ROLES = (Role.MODERATOR.value, Role.OFFICIAL.value)
ANONYMOUS = _l("Anonymous citizen")


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_issue_staff(user) -> bool:
    return _signed_in(user) and user.has_role(*STAFF_ROLES)


def is_author(user, issue: Issue) -> bool:
    return _signed_in(user) and issue.author_id is not None and issue.author_id == user.id


def can_view_issue(user, issue: Issue) -> bool:
    """Everyone sees a visible issue; a hidden one only its author, moderators and officials."""
    return not issue.is_hidden or is_author(user, issue) or is_issue_staff(user)


def can_view_comment(user, comment: Comment) -> bool:
    return comment.hidden_at is None or is_issue_staff(user) or (
        _signed_in(user) and comment.author_id == user.id)


def can_see_position(user, issue: Issue) -> bool:
    """A position can be someone's home: public only when its author chose so; the author and
    the staff who handle issues always see it."""
    return issue.has_location and (issue.location_public or is_author(user, issue) or (
        _signed_in(user) and user.has_role(*STAFF_ROLES, Role.ORGANISER.value)))


def issue_author_name(issue: Issue, viewer) -> str:
    """The name the viewer may see for the person who raised the issue."""
    staff = is_issue_staff(viewer)
    if issue.author is None:  # typed in by staff from paper or a call: the name stays internal
        if staff:
            return issue.contact_name or str(_l("Unnamed citizen"))
        return str(ANONYMOUS) if issue.anonymous else str(_l("A citizen"))
    if not issue.anonymous:
        return issue.author.name
    if staff:
        return str(_l("%(name)s (anonymous in public)", name=issue.author.name))
    return str(ANONYMOUS)


def comment_author_name(comment: Comment, issue: Issue, viewer) -> str:
    """A comment by the author of an anonymous issue stays anonymous too."""
    if comment.author is None:
        return str(_l("Former member"))
    if issue.anonymous and comment.author_id == issue.author_id:
        return issue_author_name(issue, viewer)
    return comment.author.name
