"""What a person can do with an account."""

import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import joinedload

from ..audit.services import record_event
from ..core.models import Department, District
from ..core.reference import StakeholderKind
from ..core.urls import external_url
from ..errors import DomainError
from ..extensions import db
from ..i18n import utcnow
from ..notifications.services import queue_email
from . import tokens
from .models import LoginSession, Role, User, UserRole
from .passwords import check_password_rules, hash_password, needs_rehash, verify_password

PROFILE_FIELDS = ("name", "email", "phone", "language", "stakeholder_kind", "organisation",
                  "district_id")


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    # Every writer stores the address normalised, so the unique index answers this.
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def _check_profile_values(values: dict) -> None:
    if values.get("language") not in current_app.config["LANGUAGES"]:
        raise DomainError(_l("Please choose a language."), "bad_language", "language")
    if values.get("stakeholder_kind") not in {k.value for k in StakeholderKind}:
        raise DomainError(_l("Please choose who you are."), "bad_stakeholder", "stakeholder_kind")
    district_id = values.get("district_id")
    if district_id is not None and db.session.get(District, district_id) is None:
        raise DomainError(_l("Please choose a district from the list."), "bad_district",
                          "district_id")


def register_user(*, email: str, password: str, name: str, language: str = "mn",
                  stakeholder_kind: str = "citizen", phone: str | None = None,
                  organisation: str | None = None, district_id: int | None = None,
                  roles: tuple[str, ...] = (), verified: bool = False,
                  send_verification: bool = True, consent_version: str | None = None) -> User:
    """A new account; `consent_version` is the privacy notice the person accepted (sign-up),
    None for accounts made by staff."""
    email = normalise_email(email)
    name = (name or "").strip()
    if not name:
        raise DomainError(_l("Please enter your name."), "name_required", "name")
    values = dict(language=language, stakeholder_kind=stakeholder_kind, district_id=district_id)
    _check_profile_values(values)
    check_password_rules(password, email=email, name=name)
    if find_user_by_email(email):  # checked last: every other answer is the same either way
        raise DomainError(_l("An account with this e-mail already exists. "
                             "Sign in, or reset your password."), "email_taken", "email")
    user = User(email=email, name=name, phone=(phone or "").strip() or None,
                organisation=(organisation or "").strip() or None,
                password_hash=hash_password(password), **values,
                email_verified_at=utcnow() if verified else None,
                consent_version=consent_version, consent_at=utcnow() if consent_version else None)
    for role in roles:
        if role not in {r.value for r in Role}:
            raise DomainError(_l("Unknown role."), "bad_role")
        if role != Role.CITIZEN:
            user.role_rows.append(UserRole(role=role))
    db.session.add(user)
    db.session.flush()
    record_event(None, user, "user.registered", after={"roles": sorted(user.roles)})
    if send_verification and not verified:
        _queue_verification(user)
    db.session.commit()
    return user


def sign_up(**values) -> None:
    """Sign-up from the public form (the values of register_user). It answers the same
    whether or not the address already has an account, so nobody learns who has one: a new
    address gets its account and a confirmation link; a taken one gets nothing new, and its
    owner a mail saying someone tried, with the ways to sign in or reset the password."""
    try:
        register_user(**values)
    except DomainError as error:
        if error.code != "email_taken":
            raise
        holder = find_user_by_email(values["email"])
        hash_password(values["password"])  # the work of a real sign-up: no faster answer
        record_event(None, holder, "user.signup_with_taken_address")
        _tell_address_taken(holder, "signup")
        db.session.commit()


def _tell_address_taken(holder: User, attempt: str) -> None:
    """`attempt`: "signup" (someone tried to create an account with the address) or
    "email_change" (another account asked to move to it)."""
    queue_email(holder.email, holder.language, "accounts/address_taken", name=holder.name,
                attempt=attempt, login_link=external_url("accounts.login"),
                reset_link=external_url("accounts.forgot_password"))


def _queue_verification(user: User) -> None:
    token = tokens.make_token(tokens.VERIFY_SALT, {"uid": user.id, "email": user.email})
    queue_email(user.email, user.language, "accounts/verify_email", name=user.name,
                link=external_url("accounts.verify_email", token=token))


def resend_verification(user: User) -> None:
    if user.is_verified:
        raise DomainError(_l("Your e-mail address is already confirmed."), "already_verified")
    _queue_verification(user)
    db.session.commit()


def _read_link(salt: str, token: str, max_age_setting: str,
               expired_message) -> tuple[User | None, dict]:
    """The account an e-mail link names and the link's payload ({} when the link is not
    genuine); an expired link is refused with `expired_message`."""
    payload, problem = tokens.read_token(salt, token, current_app.config[max_age_setting])
    if problem == "expired":
        raise DomainError(expired_message, "token_expired")
    return (db.session.get(User, payload["uid"]) if payload else None), payload or {}


def verify_email(token: str) -> User:
    user, payload = _read_link(
        tokens.VERIFY_SALT, token, "TOKEN_MAX_AGE_VERIFY",
        _l("This confirmation link has expired. Sign in to get a new one."))
    if user is None or user.email != payload.get("email"):
        raise DomainError(_l("This confirmation link is not valid."), "token_invalid")
    if not user.is_verified:
        user.email_verified_at = utcnow()
        record_event(user, user, "user.email_verified")
        db.session.commit()
    return user


def authenticate(email: str, password: str) -> User:
    """The user whose credentials these are, or DomainError. Same message for every failure."""
    user = find_user_by_email(email)
    if not verify_password(user.password_hash if user else None, password or ""):
        raise DomainError(_l("The e-mail or password is not correct."), "bad_credentials")
    if not user.is_active:
        raise DomainError(_l("This account has been blocked. Please contact the forum "
                             "secretariat."), "blocked")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def start_login_session(user: User, user_agent: str | None = None) -> str:
    token = secrets.token_urlsafe(32)
    db.session.add(LoginSession(token=token, user_id=user.id, user_agent=(user_agent or "")[:200]))
    user.last_login_at = utcnow()
    db.session.commit()
    return token


# Built once (every signed-in request runs it; only the values differ).
SIGNED_IN_USER = (
    select(User).join(LoginSession, LoginSession.user_id == User.id)
    .where(User.id == bindparam("user_id"), LoginSession.token == bindparam("token"),
           LoginSession.revoked_at.is_(None))
    .options(joinedload(User.role_rows)))


def signed_in_user(user_id: int, token: str | None) -> User | None:
    """The user of a request's session: theirs only while its login session is not revoked.
    One query (the user with their roles, district and department, joined to the session),
    on every signed-in request."""
    if not token:
        return None
    return db.session.execute(SIGNED_IN_USER, {"user_id": user_id, "token": token}) \
        .unique().scalar_one_or_none()


def purge_revoked_sessions(older_than: timedelta) -> int:
    """Delete login sessions revoked more than `older_than` ago; returns how many."""
    result = db.session.execute(delete(LoginSession).where(
        LoginSession.revoked_at < utcnow() - older_than))
    db.session.commit()
    return result.rowcount


def end_login_session(token: str | None) -> None:
    if token:
        db.session.execute(update(LoginSession).where(LoginSession.token == token,
                                                      LoginSession.revoked_at.is_(None))
                           .values(revoked_at=utcnow()))
        db.session.commit()


def _revoke_all_sessions(user: User, keep: str | None = None) -> None:
    """Ends every login session of the account, except the one whose token is `keep`."""
    query = update(LoginSession).where(LoginSession.user_id == user.id,
                                       LoginSession.revoked_at.is_(None))
    if keep:
        query = query.where(LoginSession.token != keep)
    db.session.execute(query.values(revoked_at=utcnow()))


def request_password_reset(email: str) -> None:
    """Queues a reset link when the account exists; says nothing either way."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return
    token = tokens.make_token(tokens.RESET_SALT, {
        "uid": user.id, "fp": tokens.password_fingerprint(user.password_hash)})
    queue_email(user.email, user.language, "accounts/reset_password", name=user.name,
                link=external_url("accounts.reset_password", token=token))
    db.session.commit()


def user_for_reset_token(token: str) -> User:
    user, payload = _read_link(tokens.RESET_SALT, token, "TOKEN_MAX_AGE_RESET",
                               _l("This reset link has expired. Please ask for a new one."))
    if user is None or payload.get("fp") != tokens.password_fingerprint(user.password_hash):
        raise DomainError(_l("This reset link is not valid or has already been used."),
                          "token_invalid")
    return user


def reset_password(token: str, new_password: str) -> User:
    user = user_for_reset_token(token)
    check_password_rules(new_password, email=user.email, name=user.name)
    user.password_hash = hash_password(new_password)
    # Whoever could read the inbox proved they own the address.
    user.email_verified_at = user.email_verified_at or utcnow()
    _revoke_all_sessions(user)
    record_event(user, user, "user.password_reset")
    db.session.commit()
    return user


def change_password(user: User, current_password: str, new_password: str,
                    keep_session: str | None = None) -> None:
    """Changes the password and ends every other session of the account (`keep_session`, the
    token of the session asking, stays signed in)."""
    _check_current_password(user, current_password)
    check_password_rules(new_password, email=user.email, name=user.name)
    user.password_hash = hash_password(new_password)
    _revoke_all_sessions(user, keep=keep_session)
    record_event(user, user, "user.password_changed")
    db.session.commit()


def end_all_sessions(user: User) -> None:
    """Sign out everywhere: every session of the account ends, this one too."""
    _revoke_all_sessions(user)
    record_event(user, user, "user.sessions_ended")
    db.session.commit()


def _check_current_password(user: User, current_password: str | None) -> None:
    if not verify_password(user.password_hash, current_password or ""):
        raise DomainError(_l("Your current password is not correct."), "bad_credentials",
                          "current_password")


def update_profile(user: User, values: dict, current_password: str | None = None) -> str | None:
    """Saves the profile. A new e-mail address needs the current password and takes effect
    only once confirmed from the link sent to it (request_email_change); returns that new
    address, or None when the address did not change."""
    values = {k: v for k, v in values.items() if k in PROFILE_FIELDS}
    merged = {field: getattr(user, field) for field in PROFILE_FIELDS} | values
    if not (merged.get("name") or "").strip():
        raise DomainError(_l("Please enter your name."), "name_required", "name")
    _check_profile_values(merged)
    new_email = normalise_email(merged["email"])
    email_changed = new_email != user.email
    if email_changed:
        _check_current_password(user, current_password)
    values.pop("email", None)
    for field, value in values.items():
        if isinstance(value, str):
            value = value.strip() or (None if field in {"phone", "organisation"} else value)
        setattr(user, field, value)
    if email_changed:
        _queue_email_change(user, new_email)
    db.session.commit()
    return new_email if email_changed else None


def _queue_email_change(user: User, new_email: str) -> None:
    """The link that confirms the new address goes to it. The same answer whether or not an
    account already uses it (no enumeration): then that account's owner is told instead that
    someone asked to use their address, and no link can move it."""
    record_event(user, user, "user.email_change_requested", before={"email": user.email},
                 after={"email": new_email})
    holder = find_user_by_email(new_email)
    if holder is not None:
        _tell_address_taken(holder, "email_change")
        return
    token = tokens.make_token(tokens.EMAIL_CHANGE_SALT, {
        "uid": user.id, "from": user.email, "to": new_email,
        "fp": tokens.password_fingerprint(user.password_hash)})
    queue_email(new_email, user.language, "accounts/confirm_email_change", name=user.name,
                link=external_url("accounts.confirm_email_change", token=token))


def confirm_email_change(token: str) -> User:
    """The new address takes effect; the old one is told, with a link to undo the change."""
    user, payload = _read_link(
        tokens.EMAIL_CHANGE_SALT, token, "TOKEN_MAX_AGE_EMAIL_CHANGE",
        _l("This confirmation link has expired. Please change the address on your account "
           "page again."))
    if user is not None and user.email == payload["to"]:
        return user  # following the link twice changes nothing
    if (user is None or user.email != payload["from"]
            or payload.get("fp") != tokens.password_fingerprint(user.password_hash)):
        raise DomainError(_l("This confirmation link is not valid."), "token_invalid")
    if find_user_by_email(payload["to"]) is not None:
        raise DomainError(_l("This address cannot be used for your account. Please choose "
                             "another one."), "email_taken")
    old_email = user.email
    user.email = payload["to"]
    user.email_verified_at = utcnow()
    record_event(user, user, "user.email_changed", before={"email": old_email},
                 after={"email": user.email})
    undo = tokens.make_token(tokens.EMAIL_UNDO_SALT, {
        "uid": user.id, "from": old_email, "to": user.email})
    days = current_app.config["TOKEN_MAX_AGE_EMAIL_UNDO"] // (24 * 3600)
    queue_email(old_email, user.language, "accounts/email_changed", name=user.name,
                new_email=user.email, days=days,
                link=external_url("accounts.undo_email_change", token=undo))
    db.session.commit()
    return user


def undo_email_change(token: str) -> User:
    """The owner of the old address takes the account back: the old address returns, every
    session ends and the password no longer works (whoever changed the address knew it); a
    link to choose a new one goes to the old address."""
    user, payload = _read_link(tokens.EMAIL_UNDO_SALT, token, "TOKEN_MAX_AGE_EMAIL_UNDO",
                               _l("This link has expired. Please contact the forum secretariat."))
    holder = find_user_by_email(payload["from"]) if payload else None
    if user is None or (holder is not None and holder.id != user.id):
        raise DomainError(_l("This link is not valid or has already been used."),
                          "token_invalid")
    # Whatever the address is now (even after further changes), the old one comes back.
    if user.email != payload["from"]:
        record_event(user, user, "user.email_change_undone", before={"email": user.email},
                     after={"email": payload["from"]})
        user.email = payload["from"]
        user.email_verified_at = utcnow()
    user.password_hash = hash_password(secrets.token_urlsafe(32))
    _revoke_all_sessions(user)
    db.session.flush()
    request_password_reset(user.email)  # commits
    return user


def set_language(user: User | None, language: str) -> None:
    if language not in current_app.config["LANGUAGES"]:
        raise DomainError(_l("This language is not available."), "bad_language")
    if user is not None:
        user.language = language
        db.session.commit()


# --- administration -------------------------------------------------------------------------

def set_roles(actor: User, user: User, roles: set[str], department_id: int | None,
              reason: str | None = None) -> User:
    valid = {r.value for r in Role}
    if not roles <= valid:
        raise DomainError(_l("Unknown role."), "bad_role")
    roles = roles - {Role.CITIZEN.value}
    if department_id is not None and db.session.get(Department, department_id) is None:
        raise DomainError(_l("Please choose a department from the list."), "bad_department",
                          "department_id")
    if Role.OFFICIAL.value in roles and department_id is None:
        raise DomainError(_l("An official must belong to a department."), "department_required",
                          "department_id")
    if actor.id == user.id and Role.ADMIN.value not in roles:
        raise DomainError(_l("You cannot remove your own administrator role."), "self_demotion")
    before = {"roles": sorted(user.roles), "department_id": user.department_id}
    current = {row.role: row for row in user.role_rows}
    for role in set(current) - roles:
        user.role_rows.remove(current[role])
    for role in roles - set(current):
        user.role_rows.append(UserRole(role=role))
    user.department_id = department_id
    db.session.flush()
    after = {"roles": sorted(user.roles), "department_id": user.department_id}
    if before != after:
        record_event(actor, user, "user.roles_changed", before=before, after=after, reason=reason)
    db.session.commit()
    return user


def set_blocked(actor: User, user: User, blocked: bool, reason: str) -> User:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Please give a reason."), "reason_required", "reason")
    if actor.id == user.id:
        raise DomainError(_l("You cannot block yourself."), "self_block")
    if blocked == (user.blocked_at is not None):
        return user
    user.blocked_at = utcnow() if blocked else None
    if blocked:
        _revoke_all_sessions(user)
    record_event(actor, user, "user.blocked" if blocked else "user.unblocked",
                 before={"blocked": not blocked}, after={"blocked": blocked}, reason=reason)
    db.session.commit()
    return user
