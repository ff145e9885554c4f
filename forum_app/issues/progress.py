"""The stages of an issue's lifecycle, for the progress bar above its timeline: the way it
goes (through a forum, or answered by a department), each stage done, current or still to
come, and an honest end when it was declined or merged (never shown as "done").

Drawn from the current status and the statuses the issue has reached (the audit trail's
status moves: one query however long the history)."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..audit.models import AuditEvent
from ..extensions import db
from .lifecycle import STATUS_ACTION
from .models import STATUS_LABELS, Issue, IssueStatus

S = IssueStatus
FORUM_WAY = (S.SUBMITTED, S.UNDER_REVIEW, S.ACCEPTED, S.DISCUSSED, S.SOLUTION_AGREED,
             S.IN_IMPLEMENTATION, S.RESOLVED)
DEPARTMENT_WAY = (S.SUBMITTED, S.UNDER_REVIEW, S.ANSWERED, S.IN_IMPLEMENTATION, S.RESOLVED)
FORUM_ONLY = {S.ACCEPTED, S.DISCUSSED, S.SOLUTION_AGREED}
ENDS = {S.DECLINED, S.MERGED}  # stopped: the way ends here, not done
TAKEN_UP = "taken_up"  # before the way is known: to a forum, or a department's answer
TAKEN_UP_LABEL = _l("Accepted for a forum or answered by a department")


UNDECIDED_WAY = (S.SUBMITTED, S.UNDER_REVIEW, TAKEN_UP, S.IN_IMPLEMENTATION, S.RESOLVED)


@dataclass(frozen=True)
class Stage:
    key: str  # a status, or TAKEN_UP
    label: str
    done: bool = False
    current: bool = False
    stopped: bool = False  # declined or merged: the way ended here, not done


def reached_statuses(issue: Issue, journey: list | None = None) -> set[IssueStatus]:
    """Every status the issue has had, the current one included; read from `journey` (its
    lifecycle.timeline, drawn from the same status moves) when the page has it already."""
    if journey is not None:
        moves = [{"status": entry.to_status} for entry in journey if entry.kind == "status"]
    else:
        moves = db.session.scalars(select(AuditEvent.after).where(
            AuditEvent.object_type == "Issue", AuditEvent.object_id == issue.id,
            AuditEvent.action == STATUS_ACTION)).all()
    known = {status.value for status in S}
    statuses = {(after or {}).get("status") for after in moves} & known
    return {S.SUBMITTED, S(issue.status)} | {S(status) for status in statuses}


def _way(status: IssueStatus, reached: set[IssueStatus], forum_event_id) -> tuple:
    if status in FORUM_ONLY:
        return FORUM_WAY
    if status == S.ANSWERED:
        return DEPARTMENT_WAY
    by_forum = bool(reached & FORUM_ONLY)
    if status in (S.IN_IMPLEMENTATION, S.RESOLVED):
        return FORUM_WAY if by_forum or forum_event_id else DEPARTMENT_WAY
    if status in ENDS and by_forum:
        return FORUM_WAY
    if status in ENDS and S.ANSWERED in reached:
        return DEPARTMENT_WAY
    return UNDECIDED_WAY  # submitted, under review (also when reopened)


def _label(key) -> str:
    return str(TAKEN_UP_LABEL if key == TAKEN_UP else STATUS_LABELS[key])


def lifecycle_stages(issue: Issue, reached: set[IssueStatus] | None = None) -> list[Stage]:
    """The stages in order: those before the current one done, the current one marked (a
    resolved issue's too, and done), the rest to come. A declined or merged issue shows the
    stages it reached, then where it stopped."""
    status = S(issue.status)
    reached = reached_statuses(issue) if reached is None else reached
    way = _way(status, reached, issue.forum_event_id)
    if status in ENDS:
        stages = [Stage(str(key), _label(key), done=True) for key in way if key in reached]
        return [*stages, Stage(status.value, _label(status), current=True, stopped=True)]
    here = way.index(status)
    return [Stage(str(key), _label(key), done=index < here or status == S.RESOLVED,
                  current=index == here) for index, key in enumerate(way)]
