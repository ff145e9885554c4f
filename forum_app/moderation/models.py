"""An author's appeal against the hiding of their issue or comment: one per hiding."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..i18n import utcnow

MAX_APPEAL = 1000
KEPT = "kept"  # outcome: the moderator kept it hidden
RESTORED = "restored"  # outcome: the moderator showed it again


class Appeal(db.Model):
    """`hidden_at` names the hiding appealed (the target's hidden_at when the author wrote):
    a hiding is appealed once; hidden again later, it can be appealed again."""

    __tablename__ = "moderation_appeals"
    __table_args__ = (UniqueConstraint("target_type", "target_id", "hidden_at",
                                       name="uq_moderation_appeals_hiding"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(String(10))  # "issue" | "comment"
    target_id: Mapped[int]
    hidden_at: Mapped[datetime]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(String(MAX_APPEAL))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    outcome: Mapped[str | None] = mapped_column(String(10))  # KEPT | RESTORED
    decision_reason: Mapped[str | None] = mapped_column(Text)

    @property
    def is_open(self) -> bool:
        return self.decided_at is None
