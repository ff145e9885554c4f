"""An agenda item (the problem), the citizen issues it came from, what was said about it,
and the solution options."""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...extensions import db
from ...i18n import utcnow
from ..stages import ContributionKind, Stage

if TYPE_CHECKING:  # resolved by name in the mapper registry at run time
    from .outcome import Decision


class AgendaItem(db.Model):
    """One problem on a forum's agenda, from its presentation to its implementation."""

    __tablename__ = "agenda_items"
    __table_args__ = (Index("ix_agenda_items_event_position", "event_id", "position"),
                      Index("ix_agenda_items_stage", "stage"))

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("event_sessions.id", ondelete="SET NULL"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title_mn: Mapped[str | None] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    problem_mn: Mapped[str | None] = mapped_column(Text)  # the problem statement
    problem_en: Mapped[str | None] = mapped_column(Text)
    evidence_mn: Mapped[str | None] = mapped_column(Text)  # figures, sources
    evidence_en: Mapped[str | None] = mapped_column(Text)
    presenter: Mapped[str | None] = mapped_column(String(200))  # name and role, as announced
    presenter_kind: Mapped[str | None] = mapped_column(String(20))  # StakeholderKind
    stage: Mapped[str] = mapped_column(String(20), default=Stage.PROBLEM.value)
    stage_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Voting rules, set before voting opens. A secret ballot cannot become open later.
    allow_vote_change: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    event = relationship("Event", lazy="joined")
    session = relationship("EventSession")
    created_by = relationship("User")
    issue_links: Mapped[list["AgendaItemIssue"]] = relationship(
        back_populates="agenda_item", cascade="all, delete-orphan", lazy="selectin",
        order_by="AgendaItemIssue.id")
    options: Mapped[list["SolutionOption"]] = relationship(
        back_populates="agenda_item", cascade="all, delete-orphan",
        order_by="(SolutionOption.position, SolutionOption.id)")
    contributions: Mapped[list["Contribution"]] = relationship(
        back_populates="agenda_item", cascade="all, delete-orphan", order_by="Contribution.id")
    decision: Mapped["Decision | None"] = relationship(
        back_populates="agenda_item", uselist=False, cascade="all, delete-orphan")

    @property
    def issue_ids(self) -> list[int]:
        return [link.issue_id for link in self.issue_links]

    @property
    def stage_label(self):
        return Stage(self.stage).label

    @property
    def voting_open(self) -> bool:
        return self.stage == Stage.VOTING

    @property
    def is_sealed(self) -> bool:
        """Past voting: the ballot is closed for good, the options are fixed."""
        return Stage(self.stage).index > Stage.VOTING.index

    def __repr__(self) -> str:
        return f"<AgendaItem {self.id} {self.stage}>"


class AgendaItemIssue(db.Model):
    """A citizen issue this agenda item came from."""

    __tablename__ = "agenda_item_issues"
    __table_args__ = (UniqueConstraint("agenda_item_id", "issue_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"))
    issue_id: Mapped[int] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"), index=True)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    agenda_item: Mapped[AgendaItem] = relationship(back_populates="issue_links")
    issue = relationship("Issue")


class Contribution(db.Model):
    """Something said in the discussion: recorded by the facilitator or sent by a participant.
    Hidden with a reason, never deleted."""

    __tablename__ = "contributions"
    __table_args__ = (Index("ix_contributions_item", "agenda_item_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"))
    speaker_name: Mapped[str | None] = mapped_column(String(120))  # None: "a participant"
    stakeholder_kind: Mapped[str | None] = mapped_column(String(20))  # StakeholderKind
    kind: Mapped[str] = mapped_column(String(20))  # ContributionKind
    body: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(5), default="mn")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="SET NULL"))  # sent with a ticket
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str | None] = mapped_column(Text)

    agenda_item: Mapped[AgendaItem] = relationship(back_populates="contributions")
    author = relationship("User")

    @property
    def kind_label(self):
        return ContributionKind(self.kind).label


class SolutionOption(db.Model):
    """A proposed solution: who proposed it, pros and cons, cost, the department's view."""

    __tablename__ = "solution_options"
    __table_args__ = (Index("ix_solution_options_item", "agenda_item_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    title_mn: Mapped[str | None] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    description_mn: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    proposer: Mapped[str | None] = mapped_column(String(200))
    proposer_kind: Mapped[str | None] = mapped_column(String(20))  # StakeholderKind
    pros_mn: Mapped[str | None] = mapped_column(Text)
    pros_en: Mapped[str | None] = mapped_column(Text)
    cons_mn: Mapped[str | None] = mapped_column(Text)
    cons_en: Mapped[str | None] = mapped_column(Text)
    cost_estimate: Mapped[int | None] = mapped_column(BigInteger)  # tugriks (MNT)
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="SET NULL"))
    feasibility_mn: Mapped[str | None] = mapped_column(Text)  # the department's note
    feasibility_en: Mapped[str | None] = mapped_column(Text)
    from_question_id: Mapped[int | None] = mapped_column(
        ForeignKey("live_questions.id", ondelete="SET NULL"))  # promoted from the room
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None]  # before voting only; kept in the record

    agenda_item: Mapped[AgendaItem] = relationship(back_populates="options")
    department = relationship("Department", lazy="joined")
