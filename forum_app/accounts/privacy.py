"""A person's rights over their data: what is held ("My data"), deleting the account, and
acknowledging a changed privacy notice. The packages above answer by signals
(core.signals.personal_data_requested / personal_data_erasing)."""

import secrets

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from ..audit.services import record_event
from ..core.personal import iso, row_dict
from ..core.privacy import current_notice
from ..core.redaction import traces_of
from ..core.signals import personal_data_erasing, personal_data_requested
from ..errors import DomainError
from ..extensions import db
from ..i18n import localized, utcnow
from .api_tokens import delete_tokens_of, tokens_held
from .models import LoginSession, Role, User, UserRole
from .passwords import hash_password
from .services import _check_current_password

ACCOUNT_FIELDS = ("id", "name", "email", "phone", "language", "stakeholder_kind",
                  "organisation", "email_verified_at", "blocked_at", "created_at",
                  "last_login_at", "consent_version", "consent_at")


@personal_data_requested.connect
def account_held(sender, user):
    sessions = db.session.scalars(select(LoginSession).where(
        LoginSession.user_id == user.id).order_by(LoginSession.id))
    return "account", row_dict(user, ACCOUNT_FIELDS) | {
        "district": localized(user.district, "name") if user.district else None,
        "department": localized(user.department, "name") if user.department else None,
        "roles": sorted(user.roles),
        "login_sessions": [row_dict(s, ("created_at", "revoked_at", "user_agent"))
                           for s in sessions],
        "api_tokens": tokens_held(user),  # never their secrets, nor the hashes
    }


def personal_data(user: User) -> dict:
    """Everything held about `user`, section by section, as one JSON-ready dict."""
    data = {"generated_at": iso(utcnow()), "privacy_notice": current_notice().version,
            "consents": [{"for": "account", "version": user.consent_version,
                          "at": iso(user.consent_at)}]}
    for _receiver, (section, value) in personal_data_requested.send(
            current_app._get_current_object(), user=user):
        data[section] = value
    return data


def acknowledge_notice(user: User) -> None:
    """The person has read the changed privacy notice: it is the version they now accept."""
    if user.consent_version == current_notice().version:
        return
    before = {"consent_version": user.consent_version}
    user.consent_version, user.consent_at = current_notice().version, utcnow()
    record_event(user, user, "user.notice_acknowledged", before=before,
                 after={"consent_version": user.consent_version})
    db.session.commit()


def _other_admins(user: User) -> int:
    return db.session.scalar(select(func.count(UserRole.id)).join(User).where(
        UserRole.role == Role.ADMIN.value, User.id != user.id, User.erased_at.is_(None),
        User.blocked_at.is_(None))) or 0


def delete_account(user: User, password: str | None) -> dict[str, int]:
    """Erases the account's personal fields and, through the packages, everything else that
    identifies the person; their public contributions stay, shown as "former participant",
    and every count in the figures stays the same. Returns what each package erased."""
    _check_current_password(user, password)
    if Role.ADMIN.value in {row.role for row in user.role_rows} and not _other_admins(user):
        raise DomainError(_l("You are the only administrator. Make someone else an "
                             "administrator before you delete your account."), "last_admin")
    traces = traces_of(user.stored_name, user.email, user.phone)
    # The packages first: cancelling a future registration frees its seat (and commits).
    counts = dict(result for _receiver, result in personal_data_erasing.send(
        current_app._get_current_object(), user=user, registrations=[], traces=traces))
    user.stored_name, user.phone, user.organisation = "", None, None
    user.email = f"erased-{user.id}@erased.invalid"
    user.password_hash = hash_password(secrets.token_urlsafe(32))  # nobody can sign in
    user.erased_at = utcnow()
    user.role_rows.clear()  # an official's department answers stay, signed by the department
    counts["login_sessions"] = db.session.execute(delete(LoginSession).where(
        LoginSession.user_id == user.id)).rowcount
    counts["api_tokens"] = delete_tokens_of(user)
    record_event(user, user, "user.erased")
    db.session.commit()
    return counts
