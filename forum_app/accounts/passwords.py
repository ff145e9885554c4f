"""Password hashing and the password rules."""

import gzip
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..errors import DomainError

MIN_LENGTH = 8
MAX_LENGTH = 256


@cache
def _hasher_for(params: tuple) -> PasswordHasher:
    return PasswordHasher(**dict(params))


def _hasher() -> PasswordHasher:
    """argon2id with the library's defaults (RFC 9106), unless ARGON2_PARAMS says otherwise
    (the test configuration makes it cheap: tests do not measure hashing strength)."""
    return _hasher_for(tuple(sorted(current_app.config.get("ARGON2_PARAMS", {}).items())))


@cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    """A hash of a random password: verifying against it when the e-mail is unknown keeps
    the response time the same as for a wrong password."""
    return hasher.hash("not-a-real-password-4f1c")


@cache
def common_passwords() -> frozenset[str]:
    # The 20,000 most common passwords, the list Django ships (BSD licence).
    path = Path(__file__).with_name("common-passwords.txt.gz")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip().lower() for line in handle if line.strip())


def check_password_rules(password: str, *, email: str = "", name: str = "") -> None:
    if len(password) < MIN_LENGTH:
        raise DomainError(_l("The password must be at least %(n)d characters long.", n=MIN_LENGTH),
                          "password_too_short", "password")
    if len(password) > MAX_LENGTH:
        raise DomainError(_l("The password is too long."), "password_too_long", "password")
    lowered = password.lower()
    if lowered in common_passwords() or lowered.isdigit():
        raise DomainError(_l("This password is too common. Please choose another one."),
                          "password_common", "password")
    local_part = email.split("@")[0].lower()
    if (local_part and len(local_part) >= 4 and local_part in lowered) or (
        name and lowered == name.lower().replace(" ", "")
    ):
        raise DomainError(_l("The password is too similar to your name or e-mail."),
                          "password_personal", "password")


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    hasher = _hasher()
    try:
        return hasher.verify(password_hash or _dummy_hash(hasher), password) \
            and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)
