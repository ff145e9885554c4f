"""What waits for the officials: issues nobody has answered for a week, and issues forwarded
to a department that has not answered them yet."""

from datetime import datetime, timedelta

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..i18n import utcnow
from .models import Issue, IssueStatus, OfficialAnswer

UNANSWERED_AFTER = timedelta(days=7)
QUEUE_LIMIT = 50
WAITING_STATUSES = (IssueStatus.SUBMITTED.value, IssueStatus.UNDER_REVIEW.value)
CLOSED_STATUSES = (IssueStatus.MERGED.value, IssueStatus.DECLINED.value,
                   IssueStatus.RESOLVED.value)


def _unanswered(now: datetime) -> Select:
    return select(Issue).where(
        Issue.status.in_(WAITING_STATUSES), Issue.created_at < now - UNANSWERED_AFTER,
        Issue.hidden_at.is_(None), ~exists().where(OfficialAnswer.issue_id == Issue.id))


def _for_department(department_id: int) -> Select:
    answered = exists().where(OfficialAnswer.issue_id == Issue.id,
                              OfficialAnswer.department_id == department_id)
    return select(Issue).where(Issue.department_id == department_id,
                               Issue.status.not_in(CLOSED_STATUSES), Issue.hidden_at.is_(None),
                               ~answered)


def _listed(query: Select, *order) -> tuple[list[Issue], int]:
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.scalars(query.options(selectinload(Issue.department))
                              .order_by(*order).limit(QUEUE_LIMIT)).all()
    return list(rows), total


def officials_queue(department_id: int | None, now: datetime | None = None) -> dict:
    """Oldest first in both lists, at most QUEUE_LIMIT each, with the full counts."""
    now = now or utcnow()
    unanswered, unanswered_total = _listed(_unanswered(now), Issue.created_at, Issue.id)
    waiting, waiting_total = ([], 0) if department_id is None else _listed(
        _for_department(department_id), Issue.updated_at, Issue.id)
    return {"unanswered": unanswered, "unanswered_total": unanswered_total,
            "waiting": waiting, "waiting_total": waiting_total, "now": now}
