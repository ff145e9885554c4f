"""Short surveys after events: questions, personal invitations and anonymous responses.

A response is not linked to the person who gave it: the invitation only records the day it was
used, and the response keeps no time finer than the day either (so neither times nor the order
of the invitations' uses can pair them up).
"""

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..i18n import utcnow


class SurveyQuestionKind(StrEnum):
    RATING = "rating"  # 1 to 5
    SINGLE = "single"  # one option of a list
    TEXT = "text"  # free text

    @property
    def label(self):
        return SURVEY_QUESTION_KIND_LABELS[self]


SURVEY_QUESTION_KIND_LABELS = {
    SurveyQuestionKind.RATING: _l("Rating from 1 to 5"),
    SurveyQuestionKind.SINGLE: _l("One choice from a list"),
    SurveyQuestionKind.TEXT: _l("Free text"),
}
RATING_VALUES = (1, 2, 3, 4, 5)


class Survey(db.Model):
    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"),
                                          unique=True)
    title_mn: Mapped[str | None] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    # Answers are taken from this moment (UTC); None: from the start of the event.
    opens_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    event = relationship("Event", lazy="joined")
    questions: Mapped[list["SurveyQuestion"]] = relationship(
        back_populates="survey", cascade="all, delete-orphan",
        order_by="(SurveyQuestion.position, SurveyQuestion.id)")

    def open_from(self) -> datetime:
        return self.opens_at or self.event.starts_at

    def is_open_at(self, moment: datetime) -> bool:
        return moment >= self.open_from() and self.event.state != "cancelled"


class SurveyQuestion(db.Model):
    __tablename__ = "survey_questions"
    __table_args__ = (Index("ix_survey_questions_survey_position", "survey_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    label_mn: Mapped[str | None] = mapped_column(String(500))
    label_en: Mapped[str | None] = mapped_column(String(500))
    # For "single": [{"mn": "...", "en": "..."}, ...]; answers store the option's index.
    options: Mapped[list] = mapped_column(JSON, default=list)
    required: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)

    survey: Mapped[Survey] = relationship(back_populates="questions")


class SurveyInvitation(db.Model):
    """One attendee's personal link. The token is derived from SECRET_KEY (see services), so
    the e-mailed link and the one fetched in the room are the same; only its hash is kept."""

    __tablename__ = "survey_invitations"
    __table_args__ = (UniqueConstraint("survey_id", "registration_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]  # e-mailed
    used_at: Mapped[datetime | None]  # the day it was answered (once); no finer time

    survey: Mapped[Survey] = relationship()
    registration = relationship("Registration")


class SurveyResponse(db.Model):
    """One attendee's answers, on purpose not linked to the attendee."""

    __tablename__ = "survey_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"),
                                           index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)  # the day only

    answers: Mapped[list["SurveyAnswer"]] = relationship(
        back_populates="response", cascade="all, delete-orphan")


class SurveyAnswer(db.Model):
    __tablename__ = "survey_answers"
    __table_args__ = (UniqueConstraint("response_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("survey_responses.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(
        ForeignKey("survey_questions.id", ondelete="CASCADE"), index=True)
    # rating: int 1-5; single: option index; text: str
    value: Mapped[object] = mapped_column(JSON)

    response: Mapped[SurveyResponse] = relationship(back_populates="answers")

