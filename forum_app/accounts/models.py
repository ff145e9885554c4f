"""Users, their roles and their login sessions."""

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.redaction import ErasableName
from ..extensions import db
from ..i18n import utcnow


class Role(StrEnum):
    CITIZEN = "citizen"
    ORGANISER = "organiser"
    MODERATOR = "moderator"
    OFFICIAL = "official"
    ADMIN = "admin"

    @property
    def label(self):
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.CITIZEN: _l("Citizen"),
    Role.ORGANISER: _l("Organiser"),
    Role.MODERATOR: _l("Moderator"),
    Role.OFFICIAL: _l("Official"),
    Role.ADMIN: _l("Administrator"),
}


class User(ErasableName, UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # Read and written as `name`; after the person deleted their account it reads "former
    # participant" (see `name`), so every page, list and export shows that and nothing else.
    stored_name: Mapped[str] = mapped_column("name", String(120))
    phone: Mapped[str | None] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(String(255))
    language: Mapped[str] = mapped_column(String(5), default="mn")
    stakeholder_kind: Mapped[str] = mapped_column(String(20), default="citizen")
    organisation: Mapped[str | None] = mapped_column(String(200))
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    email_verified_at: Mapped[datetime | None]
    blocked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Which privacy notice the person accepted at sign-up or acknowledged since, and when.
    consent_version: Mapped[str | None] = mapped_column(String(20))
    consent_at: Mapped[datetime | None]
    # Set when the person deleted their account: the personal fields are erased, the row
    # stays so that their public contributions keep an author ("former participant").
    erased_at: Mapped[datetime | None]

    district = relationship("District", lazy="joined")
    department = relationship("Department", lazy="joined")
    role_rows: Mapped[list["UserRole"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def roles(self) -> set[str]:
        return {Role.CITIZEN.value} | {row.role for row in self.role_rows}

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & {str(r) for r in roles}) or Role.ADMIN.value in self.roles

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_active(self) -> bool:
        return self.blocked_at is None

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class UserRole(db.Model):
    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))

    user: Mapped[User] = relationship(back_populates="role_rows")


class LoginSession(db.Model):
    """One signed-in browser. Logging out revokes it, so a copied cookie stops working."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    user_agent: Mapped[str | None] = mapped_column(String(200))


class ApiScope(StrEnum):
    """What a personal API token may do. `read`: the person's own data; `issues:write`: raise,
    support and follow issues; `registrations:write`: cancel their own registrations."""

    READ = "read"
    ISSUES_WRITE = "issues:write"
    REGISTRATIONS_WRITE = "registrations:write"

    @property
    def label(self):
        return API_SCOPE_LABELS[self]


API_SCOPE_LABELS = {
    ApiScope.READ: _l("Read my registrations, tickets and issues"),
    ApiScope.ISSUES_WRITE: _l("Raise, support and follow issues"),
    ApiScope.REGISTRATIONS_WRITE: _l("Cancel my registrations"),
}


class ApiToken(db.Model):
    """A personal API token: a person lets a program act for them, within its scopes, until it
    expires or they revoke it. Only the token's SHA-256 is stored; it is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    # The token's first characters ("fa_" and five more): enough to tell which one leaked.
    prefix: Mapped[str] = mapped_column(String(12))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[str] = mapped_column(String(100))  # space-separated ApiScope values
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

    @property
    def scope_labels(self) -> list:
        """What the token may do, in words (the known scopes, in their order)."""
        return [scope.label for scope in ApiScope if scope.value in self.scope_list]

    def is_expired(self, now: datetime) -> bool:
        return now >= self.expires_at
