"""Live questions from the room, their upvotes and reports."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...extensions import db
from ...i18n import utcnow
from ..stages import QuestionState


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
