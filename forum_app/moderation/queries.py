"""What the moderators' pages read: the queue of reported and appealed content and what is
hidden. A fixed number of queries however long the queue is."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..audit.models import AuditEvent
from ..extensions import db
from ..issues.models import Comment, Flag, Issue
from .models import Appeal
from .services import TARGET_MODELS, appeal_of, target_type_of

HIDDEN_LIMIT = 50


@dataclass
class QueueItem:
    target_type: str
    target: Issue | Comment
    issue: Issue | None  # the issue itself, or the one a comment belongs to
    open_flags: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    first_flagged_at: datetime | None = None
    appeal: Appeal | None = None  # the author's appeal against the current hiding

    @property
    def hidden(self) -> bool:
        return self.target.hidden_at is not None

    @property
    def appealed(self) -> bool:
        """The author appealed and no moderator has decided yet."""
        return self.appeal is not None and self.appeal.is_open

    @property
    def author(self):
        return self.target.author


def _load(keys: list[tuple[str, int]]) -> dict[tuple[str, int], Issue | Comment]:
    """Issues and comments by (type, id), authors loaded, in one query per type."""
    found = {}
    for target_type, model in TARGET_MODELS.items():
        ids = [target_id for kind, target_id in keys if kind == target_type]
        if ids:
            rows = db.session.scalars(select(model).where(model.id.in_(ids))
                                      .options(selectinload(model.author)))
            found.update({(target_type, row.id): row for row in rows})
    return found


def _issues_of(targets) -> dict[int, Issue]:
    ids = {t.issue_id for t in targets if isinstance(t, Comment)}
    ids -= {t.id for t in targets if isinstance(t, Issue)}
    issues = {t.id: t for t in targets if isinstance(t, Issue)}
    if ids:
        issues.update({row.id: row for row in db.session.scalars(
            select(Issue).where(Issue.id.in_(ids)))})
    return issues


def _items(keys, flags_by_key, appeals=None) -> list[QueueItem]:
    targets = _load(keys)
    appeals = appeals or {}
    issues = _issues_of(list(targets.values()))
    items = []
    for key in keys:
        target = targets.get(key)
        if target is None:
            continue  # deleted since it was flagged
        reasons = flags_by_key.get(key, {})
        issue_id = target.id if isinstance(target, Issue) else target.issue_id
        items.append(QueueItem(key[0], target, issues.get(issue_id),
                               open_flags=sum(r[0] for r in reasons.values()),
                               reasons={k: r[0] for k, r in reasons.items()},
                               first_flagged_at=min((r[1] for r in reasons.values()),
                                                    default=None)))
        appeal = appeals.get(key)
        if appeal is not None and appeal.hidden_at == target.hidden_at:
            items[-1].appeal = appeal
    return items


def _open_appeals() -> dict[tuple[str, int], Appeal]:
    rows = db.session.scalars(select(Appeal).where(Appeal.decided_at.is_(None)))
    return {(row.target_type, row.target_id): row for row in rows}


def pending_items() -> list[QueueItem]:
    """Reported content not yet decided and appealed hidings: appeals first, then hidden ones
    (three flags), oldest first."""
    rows = db.session.execute(
        select(Flag.target_type, Flag.target_id, Flag.reason, func.count(Flag.id),
               func.min(Flag.created_at))
        .where(Flag.resolved_at.is_(None))
        .group_by(Flag.target_type, Flag.target_id, Flag.reason)).all()
    flags_by_key: dict[tuple[str, int], dict[str, tuple[int, datetime]]] = defaultdict(dict)
    for target_type, target_id, reason, count, first in rows:
        flags_by_key[(target_type, target_id)][reason] = (count, first)
    appeals = _open_appeals()
    keys = list(flags_by_key) + [key for key in appeals if key not in flags_by_key]
    items = [item for item in _items(keys, flags_by_key, appeals)
             if item.open_flags or item.appealed]
    items.sort(key=lambda item: (not item.appealed, not item.hidden,
                                 item.appeal.created_at if item.appealed
                                 else item.first_flagged_at or datetime.max))
    return items


def hidden_items(limit: int = HIDDEN_LIMIT) -> list[QueueItem]:
    """Content a moderator decided to hide, latest first (they can restore it)."""
    keys = []
    for target_type, model in TARGET_MODELS.items():
        rows = db.session.execute(
            select(model.id, model.hidden_at)
            .where(model.hidden_at.is_not(None), model.flag_count == 0)
            .order_by(model.hidden_at.desc()).limit(limit)).all()
        keys += [(row.hidden_at, target_type, row.id) for row in rows]
    keys.sort(reverse=True)
    return _items([(kind, target_id) for _at, kind, target_id in keys[:limit]], {})


def item_for(target: Issue | Comment) -> QueueItem:
    key = (target_type_of(target), target.id)
    rows = db.session.execute(
        select(Flag.reason, func.count(Flag.id), func.min(Flag.created_at))
        .where(Flag.target_type == key[0], Flag.target_id == key[1],
               Flag.resolved_at.is_(None))
        .group_by(Flag.reason)).all()
    [item] = _items([key], {key: {reason: (count, first) for reason, count, first in rows}})
    item.appeal = appeal_of(target)
    return item


def flags_of(target: Issue | Comment) -> list[tuple[Flag, User]]:
    """Every flag on `target`, decided ones too, with who raised it (moderators see that)."""
    return list(db.session.execute(
        select(Flag, User).join(User, User.id == Flag.user_id)
        .where(Flag.target_type == target_type_of(target), Flag.target_id == target.id)
        .order_by(Flag.created_at.desc(), Flag.id.desc())).all())


def history_of(target: Issue | Comment) -> list[AuditEvent]:
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == type(target).__name__,
                                 AuditEvent.object_id == target.id,
                                 AuditEvent.action.like("moderation.%"))
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())))
