"""Telling an author what moderation did: an in-app notice and an e-mail, queued in the
caller's transaction. These are service messages about the person's own content or account,
so they are sent whatever the person chose for issue updates."""

from flask_babel import gettext as _

from ..accounts.models import User
from ..core.urls import external_url
from ..extensions import db
from ..i18n import utcnow
from ..issues.models import Comment, Issue
from ..notifications.models import Notification
from ..notifications.notices import describes, issue_link
from ..notifications.services import queue_email

SENTENCES = {
    "moderation.hidden": lambda what: _("The moderators hid your %(what)s.", what=what),
    "moderation.hidden_pending": lambda what: _(
        "Your %(what)s is hidden until the moderators review the reports about it.", what=what),
    "moderation.restored": lambda what: _("The moderators restored your %(what)s.", what=what),
    "moderation.appeal_refused": lambda what: _(
        "The moderators reviewed your appeal: your %(what)s stays hidden.", what=what),
    "moderation.blocked": lambda what: _("Your account was blocked by the moderators."),
}


@describes(*SENTENCES)
def describe_moderation_notice(notice: Notification) -> str:
    payload = notice.payload or {}
    what = _("comment") if payload.get("target_type") == "comment" else _("issue")
    return SENTENCES[notice.kind](what)


def _issue_of(target: Issue | Comment) -> Issue | None:
    return target if isinstance(target, Issue) else db.session.get(Issue, target.issue_id)


def appeal_link(target: Issue | Comment) -> str:
    """Where the author reads why their content is hidden and may appeal."""
    target_type = "issue" if isinstance(target, Issue) else "comment"
    return external_url("moderation.appeal", target_type=target_type, target_id=target.id)


def tell_author(target: Issue | Comment, kind: str, reason: str | None) -> None:
    """`kind`: "hidden", "hidden_pending" (three flags), "restored" or "appeal_refused"."""
    author = db.session.get(User, target.author_id) if target.author_id else None
    if author is None:
        return  # entered by staff for someone without an account
    issue = _issue_of(target)
    target_type = "issue" if isinstance(target, Issue) else "comment"
    title = issue.title if issue is not None else ""
    db.session.add(Notification(
        user_id=author.id, kind=f"moderation.{kind}", object_type=target_type,
        object_id=target.id, emailed_at=utcnow(),
        payload={"reason": reason or "", "issue_id": issue.id if issue else None,
                 "title": title, "target_type": target_type}))
    queue_email(author.email, author.language, f"moderation/{kind}", name=author.name,
                target_type=target_type, title=title, reason=reason or "",
                link=issue_link(issue.id, external=True) if issue else external_url("home.index"),
                appeal_link=appeal_link(target))


def tell_blocked(user: User, reason: str) -> None:
    db.session.add(Notification(user_id=user.id, kind="moderation.blocked", object_type="user",
                                object_id=user.id, emailed_at=utcnow(),
                                payload={"reason": reason}))
    queue_email(user.email, user.language, "moderation/blocked", name=user.name, reason=reason)
