"""Where an issue stands: status moves (each with a reason), department answers, the public
timeline drawn from the audit trail."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import defaultload

from ..accounts.models import Role, User
from ..audit.models import AuditEvent
from ..audit.services import record_event
from ..core.models import Department
from ..core.text import clean_text
from ..errors import DomainError
from ..events.models import Event, EventKind, EventState
from ..extensions import db
from ..i18n import ReaderText, for_reader, utcnow
from . import notices as issue_notices
from .models import STATUS_LABELS, TRANSITIONS, Issue, IssueStatus, OfficialAnswer

MOVE_ROLES = (Role.ORGANISER.value, Role.OFFICIAL.value)  # admins hold every role
REASON_MAX = 2000
ANSWER_MAX = 10000
STATUS_ACTION = "issue.status"
DEPARTMENT_ACTION = "issue.department"
ANSWER_ACTION = "issue.answer"


def can_move(user) -> bool:
    return bool(user and getattr(user, "is_authenticated", False) and user.has_role(*MOVE_ROLES))


def can_answer(user) -> bool:
    return bool(can_move(user) and user.has_role(Role.OFFICIAL.value) and user.department_id)


def allowed_moves(issue: Issue) -> list[IssueStatus]:
    allowed = TRANSITIONS.get(IssueStatus(issue.status), set())
    return [status for status in IssueStatus if status in allowed]


def _actor_facts(actor: User) -> dict:
    """How the public timeline names who acted: an official by name and department, anyone
    else on the staff as the forum secretariat. Kept as it was at the time of the act."""
    official = Role.OFFICIAL.value in {row.role for row in actor.role_rows}
    return {"by": "official" if official else "secretariat",
            "actor_department_id": actor.department_id if official else None}


def _clean_reason(reason: str | None) -> str:
    if not (reason or "").strip():
        raise DomainError(_l("Please give the reason for this step; it is shown on the issue's "
                             "public timeline."), "reason_required", "reason")
    return clean_text(reason, "reason", REASON_MAX,
                      too_long=_l("The reason is too long (at most %(n)d characters)."))


def _clean_reasons(reason_mn: str | None, reason_en: str | None) -> tuple[str | None, str | None]:
    """A status move's reason, as an official answer is written: in Mongolian, in English, or
    in both; at least one."""
    too_long = _l("The reason is too long (at most %(n)d characters).")
    reason_mn = clean_text(reason_mn, "reason", REASON_MAX, too_long=too_long)
    reason_en = clean_text(reason_en, "reason_en", REASON_MAX, too_long=too_long)
    if not (reason_mn or reason_en):
        raise DomainError(_l("Please give the reason for this step in Mongolian, in English, or "
                             "in both; it is shown on the issue's public timeline."),
                          "reason_required", "reason")
    return reason_mn, reason_en


def _require_staff(actor: User) -> None:
    if not can_move(actor):
        raise DomainError(_l("Only the forum secretariat and officials can change an issue's "
                             "status."), "forbidden")


def _move_details(issue: Issue, target: IssueStatus, forum_event: Event | None,
                  merged_into: Issue | None) -> dict:
    if target == IssueStatus.ACCEPTED:
        if forum_event is None:
            raise DomainError(_l("Please choose the forum session the issue is accepted for."),
                              "forum_event_required", "forum_event_id")
        if forum_event.kind != EventKind.CITY_FORUM or forum_event.state != EventState.PUBLISHED:
            raise DomainError(_l("Please choose a published Darkhan City Forum session."),
                              "bad_forum_event", "forum_event_id")
        return {"forum_event_id": forum_event.id}
    if target == IssueStatus.MERGED:
        if merged_into is None:
            raise DomainError(_l("Please give the number of the issue to merge this one into."),
                              "merged_into_required", "merged_into_id")
        if merged_into.id == issue.id:
            raise DomainError(_l("An issue cannot be merged into itself."),
                              "merged_into_self", "merged_into_id")
        if merged_into.status == IssueStatus.MERGED or merged_into.is_hidden:
            raise DomainError(_l("Issue %(n)d cannot take other issues: it is merged or hidden.",
                                 n=merged_into.id), "bad_merged_into", "merged_into_id")
        return {"merged_into_id": merged_into.id}
    return {}


def move_issue(actor: User, issue: Issue, to_status: str, reason: str | None,
               forum_event: Event | None = None, merged_into: Issue | None = None, *,
               reason_en: str | None = None) -> Issue:
    """Move an issue along TRANSITIONS; records who, when, from, to and why (`reason` in
    Mongolian, `reason_en` in English: one or both), and tells the author and followers.
    Nothing changes when any rule says no."""
    _require_staff(actor)
    try:
        target = IssueStatus(to_status)
    except ValueError:
        raise DomainError(_l("Please choose the new status from the list."),
                          "bad_status", "to_status") from None
    before = issue.status
    if target not in TRANSITIONS.get(IssueStatus(before), set()):
        raise DomainError(_l("An issue that is “%(before)s” cannot become “%(after)s”.",
                             before=STATUS_LABELS[IssueStatus(before)],
                             after=STATUS_LABELS[target]), "bad_transition", "to_status")
    reason, reason_en = _clean_reasons(reason, reason_en)
    details = _move_details(issue, target, forum_event, merged_into)
    now = utcnow()
    # Conditional on the status we read, so two staff moving it at once cannot both win.
    moved = db.session.execute(
        update(Issue).where(Issue.id == issue.id, Issue.status == before)
        .values(status=target.value, updated_at=now, **details)).rowcount
    if moved != 1:
        raise DomainError(_l("Someone else has just changed this issue. Please reload the page "
                             "and try again."), "stale")
    db.session.refresh(issue)
    # "bilingual": `reason` is known to be Mongolian (older rows' language is not known).
    record_event(actor, issue, STATUS_ACTION, before={"status": before},
                 after={"status": target.value, **details, **_actor_facts(actor),
                        "bilingual": True}, reason=reason, reason_en=reason_en)
    issue_notices.notify_status_change(issue, actor, before, target.value,
                                       {"mn": reason, "en": reason_en})
    db.session.commit()
    return issue


def assign_department(actor: User, issue: Issue, department: Department | None,
                      reason: str | None) -> Issue:
    """Forward the issue to the department that should answer it (its officials' queue)."""
    _require_staff(actor)
    if department is None:
        raise DomainError(_l("Please choose a department."), "department_required",
                          "department_id")
    if issue.department_id == department.id:
        raise DomainError(_l("The issue is already with this department."), "unchanged",
                          "department_id")
    reason = _clean_reason(reason)
    before = issue.department_id
    issue.department_id = department.id
    issue.updated_at = utcnow()
    db.session.flush()
    record_event(actor, issue, DEPARTMENT_ACTION, before={"department_id": before},
                 after={"department_id": department.id, **_actor_facts(actor)}, reason=reason)
    db.session.commit()
    return issue


def _clean_body(value: str | None, field: str) -> str | None:
    return clean_text(value, field, ANSWER_MAX,
                      too_long=_l("The answer is too long (at most %(n)d characters)."))


def post_answer(official: User, issue: Issue, body_mn: str | None,
                body_en: str | None) -> OfficialAnswer:
    """An official answers on behalf of their department, in one or both languages."""
    if not (official and official.has_role(Role.OFFICIAL.value)):
        raise DomainError(_l("Only officials can publish an answer."), "forbidden")
    if official.department_id is None:
        raise DomainError(_l("Your account is not linked to a department, so you cannot answer "
                             "on its behalf. Please ask an administrator."), "no_department")
    if issue.status == IssueStatus.MERGED:
        raise DomainError(_l("This issue was merged into another one; please answer that issue."),
                          "merged")
    body_mn, body_en = _clean_body(body_mn, "body_mn"), _clean_body(body_en, "body_en")
    if not (body_mn or body_en):
        raise DomainError(_l("Please write the answer in Mongolian, in English, or in both."),
                          "answer_required", "body_mn")
    answer = OfficialAnswer(issue_id=issue.id, department_id=official.department_id,
                            author_id=official.id, body_mn=body_mn, body_en=body_en)
    db.session.add(answer)
    issue.updated_at = utcnow()
    db.session.flush()
    record_event(official, issue, ANSWER_ACTION,
                 after={"answer_id": answer.id, "department_id": official.department_id})
    issue_notices.notify_answer(issue, answer, official)
    db.session.commit()
    return answer


@dataclass
class TimelineEntry:
    """One public step of an issue's journey."""

    kind: str  # "submitted" | "status" | "department" | "answer"
    at: datetime
    secretariat: bool = False
    actor_name: str | None = None
    actor_department: Department | None = None
    from_status: str | None = None
    to_status: str | None = None
    reason: str | None = None  # in Mongolian when `bilingual`, else as written
    reason_en: str | None = None
    bilingual: bool = False
    department: Department | None = None  # forwarded to
    merged_into: Issue | None = None
    forum_event: Event | None = None
    answer: OfficialAnswer | None = None

    @property
    def from_label(self):
        return STATUS_LABELS[IssueStatus(self.from_status)] if self.from_status else None

    @property
    def to_label(self):
        return STATUS_LABELS[IssueStatus(self.to_status)] if self.to_status else None

    def reason_for(self, language: str) -> ReaderText | None:
        """Why, in the reader's language when written in it, else in the other, marked."""
        if not self.bilingual:
            return ReaderText(self.reason, None) if self.reason else None
        return for_reader({"mn": self.reason, "en": self.reason_en}, language)


def _by_id(model, ids: set[int]) -> dict:
    if not ids:
        return {}
    return {row.id: row for row in db.session.scalars(select(model).where(model.id.in_(ids)))}


def _signs(official: User | None) -> bool:
    """An official signs their steps by name; once their account is deleted the department
    signs alone."""
    return official is not None and official.erased_at is None


# Built once (every issue page reads it): the status moves and forwardings, actors by name.
_JOURNEY = (select(AuditEvent)
            .where(AuditEvent.object_type == "Issue", AuditEvent.object_id == bindparam("issue_id"),
                   AuditEvent.action.in_((STATUS_ACTION, DEPARTMENT_ACTION)))
            .options(defaultload(AuditEvent.actor).lazyload(User.role_rows))
            .order_by(AuditEvent.created_at, AuditEvent.id))


def timeline(issue: Issue) -> list[TimelineEntry]:
    """Submission, every status move and forwarding (from the audit trail) and every answer,
    oldest first. A fixed number of queries however long the history."""
    events = db.session.scalars(_JOURNEY, {"issue_id": issue.id}).all()
    facts = [event.after or {} for event in events]
    departments = _by_id(Department, {f[key] for f in facts for key in
                                      ("actor_department_id", "department_id") if f.get(key)})
    merged = _by_id(Issue, {f["merged_into_id"] for f in facts if f.get("merged_into_id")})
    forums = _by_id(Event, {f["forum_event_id"] for f in facts if f.get("forum_event_id")})

    entries = [TimelineEntry(kind="submitted", at=issue.created_at,
                             to_status=IssueStatus.SUBMITTED.value)]
    for event, after in zip(events, facts, strict=True):
        secretariat = after.get("by") != "official"
        entry = TimelineEntry(
            kind="status" if event.action == STATUS_ACTION else "department",
            at=event.created_at, secretariat=secretariat, reason=event.reason,
            reason_en=event.reason_en, bilingual=bool(after.get("bilingual")),
            actor_name=None if secretariat or not _signs(event.actor) else event.actor.name,
            actor_department=departments.get(after.get("actor_department_id")))
        if event.action == STATUS_ACTION:
            entry.from_status = (event.before or {}).get("status")
            entry.to_status = after.get("status")
            entry.merged_into = merged.get(after.get("merged_into_id"))
            entry.forum_event = forums.get(after.get("forum_event_id"))
        else:
            entry.department = departments.get(after.get("department_id"))
        entries.append(entry)

    entries += [TimelineEntry(kind="answer", at=answer.created_at, answer=answer,
                              actor_name=answer.author.name if _signs(answer.author) else None,
                              actor_department=answer.department) for answer in issue.answers]
    # Stable: the submission first, then by time; same-time steps keep their recorded order.
    return sorted(entries, key=lambda entry: (entry.kind != "submitted", entry.at))
