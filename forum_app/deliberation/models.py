"""The forum record: agenda items (problems), what was said, the options, the secret ballot,
the decision, its actions and their progress.

History lives in forum_app.audit (AuditEvent, append-only): every stage move, decision and
action change writes one there. Rows that are history themselves (ballots, receipts, hand
tallies, progress updates) refuse UPDATE and DELETE through the ORM.

The secret ballot is two tables that share nothing but the agenda item:
`ballot_receipts` says that a registration voted (once: UNIQUE), `ballots` says that an option
got a vote. A ballot has no voter, no time and a random key, and on SQLite the table is
WITHOUT ROWID (stored in key order), so neither columns nor storage order pair the two.
"""

import secrets
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

from ..extensions import db
from ..i18n import utcnow
from .stages import (  # noqa: F401 - re-exported: the vocabulary belongs with the rows
    CLOSED_STATUSES,
    ActionStatus,
    ContributionKind,
    DecisionMethod,
    QuestionState,
    Stage,
    VoteChannel,
    move_kind,
    needs_reason,
    next_stage,
)


def _ballot_key() -> str:
    return secrets.token_hex(16)


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


class LiveQuestion(db.Model):
    """A question from the room: pending → visible → answered, or hidden (never deleted).
    `anonymous` hides the asker from the room; the row still keeps who asked, for staff."""

    __tablename__ = "live_questions"
    __table_args__ = (Index("ix_live_questions_item_state", "agenda_item_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20), default=QuestionState.PENDING.value)
    pinned: Mapped[bool] = mapped_column(default=False)
    anonymous: Mapped[bool] = mapped_column(default=False)
    display_name: Mapped[str | None] = mapped_column(String(120))  # shown unless anonymous
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="SET NULL"))
    # "registration:<id>" or "user:<id>": who asked, in the same terms as upvotes.
    asker_key: Mapped[str] = mapped_column(String(40))
    upvote_count: Mapped[int] = mapped_column(default=0)  # kept equal by atomic UPDATEs
    report_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    state_changed_at: Mapped[datetime | None]
    moderated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    hidden_reason: Mapped[str | None] = mapped_column(Text)

    agenda_item = relationship("AgendaItem")
    author = relationship("User", foreign_keys=[author_id])

    @property
    def state_label(self):
        return QuestionState(self.state).label


class QuestionUpvote(db.Model):
    """One upvote per question and person (a checked-in ticket or a signed-in user)."""

    __tablename__ = "question_upvotes"
    __table_args__ = (UniqueConstraint("question_id", "voter_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("live_questions.id", ondelete="CASCADE"))
    voter_key: Mapped[str] = mapped_column(String(40))  # "registration:<id>" or "user:<id>"
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class QuestionReport(db.Model):
    """Anyone in the room can report a question once; staff decide."""

    __tablename__ = "question_reports"
    __table_args__ = (UniqueConstraint("question_id", "reporter_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("live_questions.id", ondelete="CASCADE"))
    reporter_key: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


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


class BallotReceipt(db.Model):
    """That a registration voted on an agenda item, and how, never for what. UNIQUE: once."""

    __tablename__ = "ballot_receipts"
    __table_args__ = (UniqueConstraint("agenda_item_id", "registration_id",
                                       name="uq_ballot_receipts_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(20), default=VoteChannel.PHONE.value)
    # Only for paper and assisted votes: the staff member who entered it.
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # No time: with live counts on the projector, a time would pair a voter with a choice.


class Ballot(db.Model):
    """One entry in the ballot box: an option and +1, or -1 when a changed vote takes its
    earlier ballot back. No voter, no time, a random key; insert-only.

    A vote can be changed (when the item allows it) only with the change key the voter got,
    which the server keeps as a hash on the ballot and nowhere near the voter. Both hash
    columns are UNIQUE, so one key takes one ballot back once, under any concurrency."""

    __tablename__ = "ballots"
    __table_args__ = (
        CheckConstraint("weight IN (1, -1)", name="weight"),
        Index("ix_ballots_item_option", "agenda_item_id", "option_id"),
        {"sqlite_with_rowid": False},
    )

    key: Mapped[str] = mapped_column(String(32), primary_key=True, default=_ballot_key)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"))
    option_id: Mapped[int] = mapped_column(ForeignKey("solution_options.id", ondelete="CASCADE"))
    weight: Mapped[int] = mapped_column(default=1)
    change_key_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    revokes_key_hash: Mapped[str | None] = mapped_column(String(64), unique=True)


class HandTally(db.Model):
    """A count of raised hands or cards in the room for one option and stakeholder kind.
    A correction is a new row; the latest row per (option, kind) is the standing count."""

    __tablename__ = "hand_tallies"
    __table_args__ = (
        CheckConstraint("count >= 0", name="count"),
        Index("ix_hand_tallies_item", "agenda_item_id", "option_id", "stakeholder_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"))
    option_id: Mapped[int] = mapped_column(ForeignKey("solution_options.id", ondelete="CASCADE"))
    stakeholder_kind: Mapped[str] = mapped_column(String(20))
    count: Mapped[int]
    note: Mapped[str | None] = mapped_column(Text)  # why a correction was made
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    option = relationship("SolutionOption")
    recorded_by = relationship("User")


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


def vote_counts_query(agenda_item_ids):
    """(agenda_item_id, option_id, votes) of the secret ballot; options without votes are
    missing. Sums the weights, so a changed vote counts once, for the new option."""
    return (select(Ballot.agenda_item_id, Ballot.option_id, func.sum(Ballot.weight))
            .where(Ballot.agenda_item_id.in_(list(agenda_item_ids)))
            .group_by(Ballot.agenda_item_id, Ballot.option_id))


def vote_counts(agenda_item_id: int) -> dict[int, int]:
    """Option id -> votes of one agenda item."""
    rows = db.session.execute(vote_counts_query([agenda_item_id]))
    return {option_id: int(votes or 0) for _item, option_id, votes in rows}


def latest_tallies_query(agenda_item_id: int):
    """The standing hand tallies: the latest row per option and stakeholder kind."""
    latest = (select(func.max(HandTally.id))
              .where(HandTally.agenda_item_id == agenda_item_id)
              .group_by(HandTally.option_id, HandTally.stakeholder_kind))
    return (select(HandTally).where(HandTally.id.in_(latest))
            .order_by(HandTally.option_id, HandTally.stakeholder_kind))


@db.event.listens_for(Ballot, "before_update")
@db.event.listens_for(Ballot, "before_delete")
@db.event.listens_for(BallotReceipt, "before_update")
@db.event.listens_for(BallotReceipt, "before_delete")
@db.event.listens_for(HandTally, "before_update")
@db.event.listens_for(HandTally, "before_delete")
@db.event.listens_for(ProgressUpdate, "before_update")
@db.event.listens_for(ProgressUpdate, "before_delete")
def _refuse_change(mapper, connection, target):
    raise RuntimeError(f"{type(target).__name__} rows are append-only")
