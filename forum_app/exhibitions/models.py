"""Exhibitors of an exhibition event ("Made in Darkhan")."""

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..extensions import db
from ..i18n import utcnow


class ExhibitorState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


SECTORS = {
    "food": _l("Food and agriculture"),
    "light-industry": _l("Light industry, wool and leather"),
    "heavy-industry": _l("Heavy industry and metallurgy"),
    "construction": _l("Construction and materials"),
    "energy": _l("Energy and utilities"),
    "it": _l("Information technology"),
    "tourism": _l("Tourism and services"),
    "education": _l("Education and research"),
    "crafts": _l("Crafts and design"),
    "other": _l("Other"),
}


_ACTIVE_SQL = text("state IN ('pending', 'approved')")


def company_key(name: str) -> str:
    return " ".join((name or "").lower().split())


class Exhibitor(db.Model):
    __tablename__ = "exhibitors"
    __table_args__ = (
        # One pending or approved application per company and exhibition, even under races.
        Index("uq_exhibitors_active_company", "event_id", "company_key", unique=True,
              sqlite_where=_ACTIVE_SQL, postgresql_where=_ACTIVE_SQL),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"),
                                          index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    company_name: Mapped[str] = mapped_column(String(200))
    company_key: Mapped[str] = mapped_column(String(200))
    sector: Mapped[str] = mapped_column(String(30), index=True)
    products_mn: Mapped[str | None] = mapped_column(Text)
    products_en: Mapped[str | None] = mapped_column(Text)
    website: Mapped[str | None] = mapped_column(String(300))
    contact_name: Mapped[str] = mapped_column(String(120))
    contact_email: Mapped[str] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    booth_needs: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(5), default="mn")
    state: Mapped[str] = mapped_column(String(20), default=ExhibitorState.PENDING.value)
    decision_reason: Mapped[str | None] = mapped_column(Text)
    booth_number: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]

    event = relationship("Event")

    @validates("company_name")
    def _keep_company_key(self, key, value):
        self.company_key = company_key(value)
        return value
