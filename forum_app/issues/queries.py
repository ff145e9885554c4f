"""Reading issues for pages: the public list (filters, search, sort, pages) and one issue with
what its page shows. Everything a page shows is loaded eagerly, so the number of queries
does not grow with the data."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, bindparam, exists, func, select
from sqlalchemy.orm import joinedload, lazyload, selectinload

from ..accounts.models import User
from ..database import OrderKey, paginate
from ..extensions import db
from ..i18n import utcnow
from .models import Comment, Issue, IssueSdg, IssueStatus, OfficialAnswer
from .search import match_ranking, tokens

SORTS = ("newest", "supported", "updated", "relevance")


@dataclass
class IssueFilters:
    q: str = ""
    status: str = ""
    category_id: int | None = None
    district_id: int | None = None
    sdg: int | None = None
    sort: str = "newest"
    page: int = 1

    @property
    def words(self) -> list[str]:
        return tokens(self.q)


NEWEST = (OrderKey(Issue.created_at, descending=True), OrderKey(Issue.id, descending=True))
ORDERS = {"supported": (OrderKey(Issue.support_count, descending=True),
                        OrderKey(Issue.id, descending=True)),
          "updated": (OrderKey(Issue.updated_at, descending=True),
                      OrderKey(Issue.id, descending=True))}


def list_query(filters: IssueFilters) -> tuple[Select, tuple[OrderKey, ...]]:
    """The public list and its order (by the sort asked for; ties the newest first): never
    hidden issues; merged ones only when asked for by status. The web pages it by number,
    the API by key (database.seek)."""
    query = select(Issue).where(Issue.hidden_at.is_(None))
    if filters.status:
        query = query.where(Issue.status == filters.status)
    else:
        query = query.where(Issue.status != IssueStatus.MERGED.value)
    if filters.category_id:
        query = query.where(Issue.category_id == filters.category_id)
    if filters.district_id:
        query = query.where(Issue.district_id == filters.district_id)
    if filters.sdg:
        query = query.where(Issue.id.in_(select(IssueSdg.issue_id)
                                         .where(IssueSdg.sdg == filters.sdg)))
    order = ORDERS.get(filters.sort, NEWEST)
    if filters.words:
        matches, best_first = match_ranking(filters.words)
        query = query.join(matches, matches.c.issue_id == Issue.id)
        if filters.sort == "relevance":
            order = (best_first, OrderKey(Issue.id, descending=True))
    return query.options(selectinload(Issue.author), selectinload(Issue.photos)), order


def list_issues(filters: IssueFilters):
    query, order = list_query(filters)
    return paginate(query.order_by(*(key.ordering for key in order)), page=filters.page)


def _named(relationship):
    """A person shown by name beside what they wrote: joined to the row that names them,
    without their roles (the page never asks an author's roles; if code ever does, they
    load then)."""
    return joinedload(relationship).options(lazyload(User.role_rows), lazyload(User.district),
                                            lazyload(User.department))


# Built once: the page's statements are the same on every request, only the id differs.
# Photos (at most MAX_PHOTOS), goals and answers are few per issue: joined to its row (a
# handful of rows) costs less than a query each. Who typed it in and the issue it was merged
# into are asked only when there are.
ISSUE_FOR_PAGE = select(Issue).where(Issue.id == bindparam("issue_id")).options(
    _named(Issue.author), selectinload(Issue.entered_by), selectinload(Issue.merged_into),
    joinedload(Issue.photos), joinedload(Issue.sdg_rows),
    joinedload(Issue.answers).options(_named(OfficialAnswer.author)))
COMMENT_THREADS = (
    select(Comment).where(Comment.issue_id == bindparam("issue_id"), Comment.parent_id.is_(None))
    .options(_named(Comment.author), selectinload(Comment.replies).options(_named(Comment.author)))
    .order_by(Comment.created_at, Comment.id))


def issue_for_page(issue_id: int) -> Issue | None:
    """The issue with what its page shows, in one query (two more for an issue typed in by
    staff or merged into another)."""
    return db.session.execute(ISSUE_FOR_PAGE, {"issue_id": issue_id}).unique() \
        .scalar_one_or_none()


def comment_threads(issue: Issue) -> list[Comment]:
    """Top-level comments, oldest first, each with its replies (one level), authors loaded."""
    return list(db.session.scalars(COMMENT_THREADS, {"issue_id": issue.id}))


# --- what waits for the officials -----------------------------------------------------------------

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


def latest_issues_of(author, limit: int) -> list[Issue]:
    """The `limit` newest issues the person raised, hidden ones too (for the API): what they
    raised is theirs to see, whatever moderation decided."""
    return list(db.session.scalars(select(Issue).where(Issue.author_id == author.id)
                                   .order_by(Issue.id.desc()).limit(limit)))
