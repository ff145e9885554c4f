"""Events, their agenda sessions, tags, staff and custom registration questions."""

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..i18n import utcnow


class EventKind(StrEnum):
    CITY_FORUM = "city_forum"
    BEST_PRACTICE_FORUM = "best_practice_forum"
    EXHIBITION = "exhibition"
    TRAINING = "training"
    DEMO_DAY = "demo_day"
    STUDY_VISIT = "study_visit"
    NETWORK_MEETING = "network_meeting"
    OTHER = "other"

    @property
    def label(self):
        return EVENT_KIND_LABELS[self]


EVENT_KIND_LABELS = {
    EventKind.CITY_FORUM: _l("Darkhan City Forum session"),
    EventKind.BEST_PRACTICE_FORUM: _l("Best practice forum"),
    EventKind.EXHIBITION: _l("Exhibition"),
    EventKind.TRAINING: _l("Training"),
    EventKind.DEMO_DAY: _l("Demo day"),
    EventKind.STUDY_VISIT: _l("Study visit"),
    EventKind.NETWORK_MEETING: _l("Network meeting"),
    EventKind.OTHER: _l("Other event"),
}


class EventState(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class RegistrationMode(StrEnum):
    OPEN = "open"
    APPROVAL = "approval"
    INVITATION = "invitation"


REGISTRATION_MODE_LABELS = {
    RegistrationMode.OPEN: _l("Open to everyone"),
    RegistrationMode.APPROVAL: _l("Organisers approve each registration"),
    RegistrationMode.INVITATION: _l("By invitation only"),
}

ENTRY_MODE_LABELS = {
    "event": _l("Once for the whole event"),
    "day": _l("Once per day"),
    "session": _l("Once per session"),
}

# Tags: the 17 SDGs ("sdg-1" … "sdg-17") and the FRIENDSHIP programme's four pillars.
SDG_TAGS = [f"sdg-{n}" for n in range(1, 18)]
PILLAR_TAGS = {
    "pillar-network": _l("Network building"),
    "pillar-governance": _l("Participatory governance"),
    "pillar-innovation": _l("EU-Darkhan Innovation and Entrepreneurship Hub"),
    "pillar-pilots": _l("Pilot projects"),
}


class Event(db.Model):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(30), default=EventKind.OTHER.value)
    state: Mapped[str] = mapped_column(String(20), default=EventState.DRAFT.value, index=True)
    title_mn: Mapped[str | None] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    summary_mn: Mapped[str | None] = mapped_column(Text)
    summary_en: Mapped[str | None] = mapped_column(Text)
    description_mn: Mapped[str | None] = mapped_column(Text)  # Markdown, sanitised on output
    description_en: Mapped[str | None] = mapped_column(Text)
    venue_name_mn: Mapped[str | None] = mapped_column(String(300))
    venue_name_en: Mapped[str | None] = mapped_column(String(300))
    venue_address_mn: Mapped[str | None] = mapped_column(String(500))
    venue_address_en: Mapped[str | None] = mapped_column(String(500))
    starts_at: Mapped[datetime] = mapped_column(index=True)  # UTC
    ends_at: Mapped[datetime]
    capacity: Mapped[int | None]  # None: no limit
    # Kept equal to the number of confirmed registrations by conditional UPDATEs, so that
    # "never more confirmed than capacity" holds under any concurrency.
    confirmed_count: Mapped[int] = mapped_column(default=0)
    registration_opens_at: Mapped[datetime | None]
    registration_closes_at: Mapped[datetime | None]
    registration_mode: Mapped[str] = mapped_column(String(20), default=RegistrationMode.OPEN.value)
    invitation_code: Mapped[str | None] = mapped_column(String(64))
    # Check-in: "event" (once per event), "day" (once per day) or "session" (per session).
    entry_mode: Mapped[str] = mapped_column(String(10), default="event")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str | None] = mapped_column(Text)

    sessions: Mapped[list["EventSession"]] = relationship(
        back_populates="event", cascade="all, delete-orphan",
        order_by="(EventSession.starts_at, EventSession.position)")
    tag_rows: Mapped[list["EventTag"]] = relationship(
        back_populates="event", cascade="all, delete-orphan", lazy="selectin")
    staff: Mapped[list["EventStaff"]] = relationship(
        back_populates="event", cascade="all, delete-orphan")
    questions: Mapped[list["Question"]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Question.position")

    @property
    def tags(self) -> list[str]:
        return sorted(row.tag for row in self.tag_rows)

    @property
    def seats_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.confirmed_count, 0)

    @property
    def is_published(self) -> bool:
        return self.state == EventState.PUBLISHED

    @property
    def is_cancelled(self) -> bool:
        return self.state == EventState.CANCELLED

    @property
    def accepts_booth_applications(self) -> bool:
        """A published exhibition that has not ended takes booth applications."""
        return (self.kind == EventKind.EXHIBITION and self.state == EventState.PUBLISHED
                and self.ends_at > utcnow())

    def __repr__(self) -> str:
        return f"<Event {self.slug}>"


class EventSession(db.Model):
    """One slot of an event's agenda."""

    __tablename__ = "event_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    title_mn: Mapped[str | None] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    room: Mapped[str | None] = mapped_column(String(120))
    speakers: Mapped[str | None] = mapped_column(Text)
    capacity: Mapped[int | None]
    position: Mapped[int] = mapped_column(default=0)

    event: Mapped[Event] = relationship(back_populates="sessions")


class EventTag(db.Model):
    __tablename__ = "event_tags"
    __table_args__ = (UniqueConstraint("event_id", "tag"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    tag: Mapped[str] = mapped_column(String(40), index=True)

    event: Mapped[Event] = relationship(back_populates="tag_rows")


class EventStaff(db.Model):
    """An organiser who runs this event (sees its attendees, checks people in)."""

    __tablename__ = "event_staff"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    event: Mapped[Event] = relationship(back_populates="staff")
    user = relationship("User")


class QuestionKind(StrEnum):
    TEXT = "text"
    SINGLE = "single"
    MULTIPLE = "multiple"
    YES_NO = "yes_no"


class Question(db.Model):
    """A custom registration question an organiser adds to an event."""

    __tablename__ = "questions"
    __table_args__ = (Index("ix_questions_event_position", "event_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    label_mn: Mapped[str | None] = mapped_column(String(500))
    label_en: Mapped[str | None] = mapped_column(String(500))
    # For single/multiple choice: [{"mn": "...", "en": "..."}, ...]; answers store the index.
    options: Mapped[list] = mapped_column(JSON, default=list)
    required: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)

    event: Mapped[Event] = relationship(back_populates="questions")
