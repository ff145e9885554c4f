"""Telling an issue's author and followers what happened to it: an in-app notice, and e-mail
as each person chose (at once, in a daily digest, or not at all). Written in the caller's
transaction, so a move or an answer and its notices are saved together or not at all."""

from collections import defaultdict
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import or_, select, update

from ..accounts.models import User
from ..core.urls import external_url
from ..database import begin_write
from ..extensions import db
from ..i18n import current_language, for_reader, localized, utcnow
from ..notifications.inbox import EMAIL_CHOICES
from ..notifications.models import Notification, NotificationPreference
from ..notifications.notices import describes, issue_link
from ..notifications.services import queue_email
from .models import STATUS_LABELS, Follow, Issue, IssueStatus, OfficialAnswer

STATUS_CHANGED = "issue.status_changed"
ANSWERED = "issue.answered"


def _recipients(issue: Issue, actor: User | None) -> list[tuple[User, NotificationPreference]]:
    """The author and every follower, once each, never the person who acted."""
    followers = select(Follow.user_id).where(Follow.issue_id == issue.id)
    rows = db.session.execute(
        select(User, NotificationPreference)
        .outerjoin(NotificationPreference, NotificationPreference.user_id == User.id)
        .where(or_(User.id == issue.author_id, User.id.in_(followers)),
               User.blocked_at.is_(None))
        .order_by(User.id)).all()
    actor_id = getattr(actor, "id", None)
    return [(user, preference or NotificationPreference(email="immediate", in_app=True))
            for user, preference in rows if user.id != actor_id]


def _notify(issue: Issue, actor: User | None, kind: str, payload: dict, template: str,
            mail_values) -> None:
    now = utcnow()
    for user, preference in _recipients(issue, actor):
        email = preference.email if preference.email in EMAIL_CHOICES else "immediate"
        notice = None
        # A notice waiting for the digest needs its row even when the page is switched off;
        # such a row is born read, so it never counts as unread.
        if preference.in_app or email == "daily":
            notice = Notification(
                user_id=user.id, kind=kind, object_type="Issue", object_id=issue.id,
                payload=payload | {"digest": email == "daily"}, created_at=now,
                read_at=None if preference.in_app else now)
            db.session.add(notice)
        if email == "immediate":
            queue_email(user.email, user.language, template, name=user.name, issue=issue,
                        link=issue_link(issue.id, external=True),
                        preferences_link=external_url("notifications.preferences"),
                        **mail_values(user.language))
            if notice is not None:
                notice.emailed_at = now


def notify_status_change(issue: Issue, actor: User | None, before: str, after: str,
                         reasons: dict[str, str | None]) -> None:
    """`reasons`: the move's reason by language ({"mn": ..., "en": ...}, one may be None);
    each person reads it in their language, else in the other."""
    payload = {"issue_title": issue.title, "from": before, "to": after,
               "reason": reasons.get("mn") or reasons.get("en"),
               "reason_mn": reasons.get("mn"), "reason_en": reasons.get("en")}
    if issue.merged_into_id and after == IssueStatus.MERGED:
        payload["merged_into_id"] = issue.merged_into_id
    if issue.forum_event_id and after == IssueStatus.ACCEPTED:
        payload["forum_event_id"] = issue.forum_event_id

    def mail_values(language: str) -> dict:
        why = for_reader(reasons, "en" if language == "en" else "mn")
        values = {"before_label": STATUS_LABELS[IssueStatus(before)],
                  "after_label": STATUS_LABELS[IssueStatus(after)],
                  "reason": why.text if why else "", "reason_language": why and why.language,
                  "merged_link": None, "forum_title": None, "forum_link": None}
        if "merged_into_id" in payload:
            values["merged_link"] = issue_link(issue.merged_into_id, external=True)
        if "forum_event_id" in payload:
            values["forum_title"] = localized(issue.forum_event, "title", language)
            values["forum_link"] = external_url("events.detail", slug=issue.forum_event.slug)
        return values

    _notify(issue, actor, STATUS_CHANGED, payload, "issues/status_changed", mail_values)


def notify_answer(issue: Issue, answer: OfficialAnswer, actor: User | None) -> None:
    department = answer.department
    payload = {"issue_title": issue.title, "answer_id": answer.id,
               "department_mn": department.name_mn, "department_en": department.name_en}

    def mail_values(language: str) -> dict:
        body = for_reader({"mn": answer.body_mn, "en": answer.body_en},
                          "en" if language == "en" else "mn")
        return {"department": localized(department, "name", language),
                "body": body.text if body else "", "body_language": body and body.language}

    _notify(issue, actor, ANSWERED, payload, "issues/answered", mail_values)


@describes(STATUS_CHANGED, ANSWERED)
def describe_issue_notice(notice: Notification) -> str:
    payload = notice.payload or {}
    if notice.kind == STATUS_CHANGED:
        return _("The status changed from “%(before)s” to “%(after)s”.",
                 before=_status_label(payload.get("from")),
                 after=_status_label(payload.get("to")))
    language = current_language()
    department = (payload.get(f"department_{language}") or payload.get("department_mn")
                  or payload.get("department_en") or "")
    return _("%(department)s published an answer.", department=department)


def _status_label(code: str | None) -> str:
    try:
        return str(STATUS_LABELS[IssueStatus(code)])
    except ValueError:
        return code or ""


def send_daily_digests(now: datetime | None = None) -> int:
    """Queue one e-mail per person on the daily digest with the notices not yet e-mailed to
    them. Safe to run twice at once: each notice is claimed by one run only."""
    now = now or utcnow()
    begin_write()
    rows = db.session.execute(
        select(Notification, User)
        .join(User, User.id == Notification.user_id)
        .join(NotificationPreference, NotificationPreference.user_id == User.id)
        .where(Notification.emailed_at.is_(None), NotificationPreference.email == "daily",
               User.blocked_at.is_(None))
        .order_by(Notification.user_id, Notification.created_at, Notification.id)).all()
    waiting: dict[User, list[Notification]] = defaultdict(list)
    for notice, user in rows:
        if (notice.payload or {}).get("digest"):
            waiting[user].append(notice)
    sent = 0
    for user, notices in waiting.items():
        claimed = set(db.session.scalars(
            update(Notification)
            .where(Notification.id.in_([notice.id for notice in notices]),
                   Notification.emailed_at.is_(None))
            .values(emailed_at=now).returning(Notification.id)
            .execution_options(synchronize_session=False)))
        notices = [notice for notice in notices if notice.id in claimed]
        if not notices:
            continue  # another run took them
        items = [{"title": (notice.payload or {}).get("issue_title", ""), "notice": notice,
                  "link": issue_link(notice.object_id, external=True)
                  if notice.object_type == "Issue" else None} for notice in notices]
        queue_email(user.email, user.language, "notifications/digest", name=user.name,
                    items=items, count=len(items),
                    link=external_url("notifications.index"),
                    preferences_link=external_url("notifications.preferences"))
        sent += 1
    db.session.commit()
    return sent
