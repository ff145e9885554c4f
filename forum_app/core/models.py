"""Reference tables: districts of Darkhan-Uul and the departments that answer for actions."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class District(db.Model):
    __tablename__ = "districts"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name_mn: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<District {self.slug}>"


class Department(db.Model):
    """A responsible body (governor's office, a city department); officials belong to one."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name_mn: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))

    def __repr__(self) -> str:
        return f"<Department {self.slug}>"
