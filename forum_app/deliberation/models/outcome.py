"""The decision, its actions and their progress. An action's status and percent are read
from its latest progress update; overdue is computed when read."""

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    and_,
    func,
    not_,
    select,
)
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from ...extensions import db
from ...i18n import utcnow
from ..stages import CLOSED_STATUSES, ActionStatus
from .agenda import AgendaItem


class Decision(db.Model):
    """What was agreed. One per agenda item; a revision keeps the old text in the audit trail."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"), unique=True)
    text_mn: Mapped[str | None] = mapped_column(Text)
    text_en: Mapped[str | None] = mapped_column(Text)
    method: Mapped[str] = mapped_column(String(20))  # DecisionMethod
    rationale_mn: Mapped[str | None] = mapped_column(Text)
    rationale_en: Mapped[str | None] = mapped_column(Text)
    dissent_mn: Mapped[str | None] = mapped_column(Text)
    dissent_en: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(300))  # the body, as announced
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
    review_on: Mapped[date | None]

    agenda_item: Mapped[AgendaItem] = relationship(back_populates="decision")
    option_links: Mapped[list["DecisionOption"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin")
    actions: Mapped[list["Action"]] = relationship(
        back_populates="decision", cascade="all, delete-orphan", order_by="Action.id")

    @property
    def option_ids(self) -> list[int]:
        return sorted(link.option_id for link in self.option_links)


class DecisionOption(db.Model):
    """An option the decision agreed on (one or several)."""

    __tablename__ = "decision_options"
    __table_args__ = (UniqueConstraint("decision_id", "option_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"))
    option_id: Mapped[int] = mapped_column(ForeignKey("solution_options.id", ondelete="CASCADE"))


class ProgressUpdate(db.Model):
    """Append-only: each update states its own status and percent; the action's current
    status and percent are those of its latest update."""

    __tablename__ = "progress_updates"
    __table_args__ = (
        CheckConstraint("percent BETWEEN 0 AND 100", name="percent"),
        Index("ix_progress_updates_action", "action_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20))  # ActionStatus
    percent: Mapped[int]
    note_mn: Mapped[str | None] = mapped_column(Text)
    note_en: Mapped[str | None] = mapped_column(Text)
    evidence_url: Mapped[str | None] = mapped_column(String(500))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author = relationship("User", lazy="joined")
    photos: Mapped[list["ProgressPhoto"]] = relationship(
        cascade="all, delete-orphan", order_by="ProgressPhoto.id")


class ProgressPhoto(db.Model):
    """A photo as evidence of progress: re-encoded like an issue photo (issues.photos)."""

    __tablename__ = "progress_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(
        ForeignKey("progress_updates.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(30))
    width: Mapped[int]
    height: Mapped[int]
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def _latest_update(column, default):
    return func.coalesce(
        select(column).where(ProgressUpdate.action_id == Action.id)
        .order_by(ProgressUpdate.id.desc()).limit(1).correlate_except(ProgressUpdate)
        .scalar_subquery(), default)


class Action(db.Model):
    """What a department does to carry out a decision, by when, and how success is measured.
    `status` and `percent` are read from the latest ProgressUpdate (planned, 0 without one)."""

    __tablename__ = "actions"
    __table_args__ = (Index("ix_actions_department_due", "department_id", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"),
                                             index=True)
    title_mn: Mapped[str | None] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    lead_official_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    lead_name: Mapped[str | None] = mapped_column(String(200))  # when the lead has no account
    due_on: Mapped[date]
    budget: Mapped[int | None] = mapped_column(BigInteger)  # tugriks (MNT)
    indicator_mn: Mapped[str | None] = mapped_column(Text)  # how success is measured
    indicator_en: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    decision: Mapped[Decision] = relationship(back_populates="actions")
    department = relationship("Department", lazy="joined")
    lead_official = relationship("User", foreign_keys=[lead_official_id])
    updates: Mapped[list[ProgressUpdate]] = relationship(
        cascade="all, delete-orphan", order_by=ProgressUpdate.id)

    @property
    def status_label(self):
        return ActionStatus(self.status).label

    def is_overdue(self, today: date) -> bool:
        """Past its due date (Darkhan's `today`, see i18n.local_date) and not done or
        cancelled. Due today is not overdue yet."""
        return self.due_on < today and self.status not in CLOSED_STATUSES

    @classmethod
    def overdue_clause(cls, today: date):
        """The same rule in SQL, for filters and counts."""
        return and_(cls.due_on < today, not_(cls.status.in_(CLOSED_STATUSES)))


Action.status = column_property(_latest_update(ProgressUpdate.status,
                                               ActionStatus.PLANNED.value))
Action.percent = column_property(_latest_update(ProgressUpdate.percent, 0))


@db.event.listens_for(ProgressUpdate, "before_update")
@db.event.listens_for(ProgressUpdate, "before_delete")
def _refuse_change(mapper, connection, target):
    raise RuntimeError(f"{type(target).__name__} rows are append-only")
