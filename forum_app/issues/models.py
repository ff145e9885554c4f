"""Citizens' issues (problems), their photos, supports, follows, comments, flags and answers."""

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..i18n import utcnow


class IssueStatus(StrEnum):
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    ACCEPTED = "accepted"  # accepted for a forum session
    MERGED = "merged"
    DECLINED = "declined"
    ANSWERED = "answered"  # answered directly by a department
    DISCUSSED = "discussed"
    SOLUTION_AGREED = "solution_agreed"
    IN_IMPLEMENTATION = "in_implementation"
    RESOLVED = "resolved"

    @property
    def label(self):
        return STATUS_LABELS[self]


STATUS_LABELS = {
    IssueStatus.SUBMITTED: _l("Submitted"),
    IssueStatus.UNDER_REVIEW: _l("Under review"),
    IssueStatus.ACCEPTED: _l("Accepted for a forum"),
    IssueStatus.MERGED: _l("Merged into another issue"),
    IssueStatus.DECLINED: _l("Declined"),
    IssueStatus.ANSWERED: _l("Answered by a department"),
    IssueStatus.DISCUSSED: _l("Discussed at the forum"),
    IssueStatus.SOLUTION_AGREED: _l("Solution agreed"),
    IssueStatus.IN_IMPLEMENTATION: _l("In implementation"),
    IssueStatus.RESOLVED: _l("Resolved"),
}

S = IssueStatus
# Which moves are allowed; every move needs a reason and is recorded.
TRANSITIONS: dict[IssueStatus, set[IssueStatus]] = {
    S.SUBMITTED: {S.UNDER_REVIEW, S.MERGED, S.DECLINED},
    S.UNDER_REVIEW: {S.ACCEPTED, S.MERGED, S.DECLINED, S.ANSWERED},
    S.ACCEPTED: {S.DISCUSSED, S.DECLINED},
    S.ANSWERED: {S.IN_IMPLEMENTATION, S.RESOLVED, S.UNDER_REVIEW},
    S.DISCUSSED: {S.SOLUTION_AGREED, S.DECLINED},
    S.SOLUTION_AGREED: {S.IN_IMPLEMENTATION},
    S.IN_IMPLEMENTATION: {S.RESOLVED},
    S.MERGED: set(),
    S.DECLINED: {S.UNDER_REVIEW},  # reopened on appeal
    S.RESOLVED: set(),
}

CHANNELS = {"web": _l("Web"), "paper": _l("Paper form"), "phone": _l("Phone call"),
            "meeting": _l("Public meeting")}
FLAG_REASONS = {"spam": _l("Spam"), "offensive": _l("Offensive"),
                "personal_data": _l("Personal data"), "off_topic": _l("Off topic")}
HIDE_AT_FLAGS = 3


class Category(db.Model):
    """Admin-managed list: waste and environment, education and youth, safety, ..."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name_mn: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


class Issue(db.Model):
    __tablename__ = "issues"
    __table_args__ = (
        Index("ix_issues_status_created", "status", "created_at"),
        # The public list's three orders, with what its filter reads, so that a deep page
        # skips index entries, not rows (queries.list_query); the first also holds what the
        # reports count per period (reports.figures).
        Index("ix_issues_list_created", "created_at", "id", "status", "hidden_at", "category_id",
              "district_id"),
        Index("ix_issues_list_supported", "support_count", "id", "status", "hidden_at"),
        Index("ix_issues_list_updated", "updated_at", "id", "status", "hidden_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(5), default="mn")  # the author's language
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), index=True)
    place_description: Mapped[str | None] = mapped_column(String(300))
    # Where, from the phone's location or typed in (WGS 84 degrees). A home address is
    # personal data: shown in public only when the author ticked location_public.
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    location_public: Mapped[bool] = mapped_column(default=False, server_default=false())
    status: Mapped[str] = mapped_column(String(30), default=IssueStatus.SUBMITTED.value)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                  index=True)
    # Shown as "anonymous citizen" in public; moderators and officials still see who.
    anonymous: Mapped[bool] = mapped_column(default=False)
    channel: Mapped[str] = mapped_column(String(20), default="web")
    entered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))  # staff who typed in a paper/phone issue
    contact_name: Mapped[str | None] = mapped_column(String(120))  # staff-entered, no account
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("issues.id"))
    forum_event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="SET NULL"))  # the forum session it was accepted for
    # The department the secretariat forwarded it to (its officials' queue); set by lifecycle.
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="SET NULL"), index=True)
    support_count: Mapped[int] = mapped_column(default=0)
    comment_count: Mapped[int] = mapped_column(default=0)
    flag_count: Mapped[int] = mapped_column(default=0)
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)  # last public change

    category = relationship("Category", lazy="joined")
    district = relationship("District", lazy="joined")
    author = relationship("User", foreign_keys=[author_id])
    entered_by = relationship("User", foreign_keys=[entered_by_id])
    merged_into = relationship("Issue", remote_side=[id])
    forum_event = relationship("Event")
    department = relationship("Department")
    photos: Mapped[list["IssuePhoto"]] = relationship(
        back_populates="issue", cascade="all, delete-orphan", order_by="IssuePhoto.id")
    sdg_rows: Mapped[list["IssueSdg"]] = relationship(
        back_populates="issue", cascade="all, delete-orphan", lazy="selectin")
    answers: Mapped[list["OfficialAnswer"]] = relationship(
        back_populates="issue", cascade="all, delete-orphan", order_by="OfficialAnswer.id")

    @property
    def sdgs(self) -> list[int]:
        return sorted(row.sdg for row in self.sdg_rows)

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def status_label(self):
        return STATUS_LABELS[IssueStatus(self.status)]

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class IssueSdg(db.Model):
    __tablename__ = "issue_sdgs"
    __table_args__ = (UniqueConstraint("issue_id", "sdg"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"))
    sdg: Mapped[int] = mapped_column(index=True)  # 1..17

    issue: Mapped[Issue] = relationship(back_populates="sdg_rows")


class IssuePhoto(db.Model):
    """A re-encoded photo (metadata stripped) stored under a generated name."""

    __tablename__ = "issue_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"),
                                          index=True)
    filename: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(30))
    width: Mapped[int]
    height: Mapped[int]
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    issue: Mapped[Issue] = relationship(back_populates="photos")


class Support(db.Model):
    __tablename__ = "supports"
    __table_args__ = (UniqueConstraint("issue_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Follow(db.Model):
    __tablename__ = "follows"
    __table_args__ = (UniqueConstraint("issue_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Comment(db.Model):
    __tablename__ = "comments"
    __table_args__ = (Index("ix_comments_issue_created", "issue_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    flag_count: Mapped[int] = mapped_column(default=0)
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]  # the last edit by its author (earlier texts: revisions)
    deleted_at: Mapped[datetime | None]  # deleted by its author: a placeholder in the thread

    author = relationship("User")
    replies: Mapped[list["Comment"]] = relationship(order_by="Comment.id")
    revisions: Mapped[list["CommentRevision"]] = relationship(
        back_populates="comment", cascade="all, delete-orphan",
        order_by="CommentRevision.id")

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class CommentRevision(db.Model):
    """A comment's text as it was before its author edited or deleted it (append-only)."""

    __tablename__ = "comment_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"),
                                            index=True)
    body: Mapped[str] = mapped_column(Text)
    written_at: Mapped[datetime]  # when this text was published
    replaced_at: Mapped[datetime] = mapped_column(default=utcnow)

    comment: Mapped[Comment] = relationship(back_populates="revisions")


class Flag(db.Model):
    """Someone signed in reports an issue or a comment; once per person and target."""

    __tablename__ = "flags"
    __table_args__ = (UniqueConstraint("target_type", "target_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(String(10))  # "issue" | "comment"
    target_id: Mapped[int]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]


class OfficialAnswer(db.Model):
    """Written by an official on behalf of their department; bilingual; public."""

    __tablename__ = "official_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"),
                                          index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body_mn: Mapped[str | None] = mapped_column(Text)
    body_en: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    issue: Mapped[Issue] = relationship(back_populates="answers")
    department = relationship("Department", lazy="joined")
    author = relationship("User")
