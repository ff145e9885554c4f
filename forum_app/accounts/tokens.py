"""Signed, expiring tokens for e-mail links."""

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

VERIFY_SALT = "email-verify"
RESET_SALT = "password-reset"
EMAIL_CHANGE_SALT = "email-change"
EMAIL_UNDO_SALT = "email-change-undo"


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def password_fingerprint(password_hash: str) -> str:
    """Changes whenever the password does, which makes a reset link single-use."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def make_token(salt: str, payload: dict) -> str:
    return _serializer(salt).dumps(payload)


def read_token(salt: str, token: str, max_age: int) -> tuple[dict | None, str]:
    """Returns (payload, "") or (None, "expired" | "invalid")."""
    try:
        return _serializer(salt).loads(token, max_age=max_age), ""
    except SignatureExpired:
        return None, "expired"
    except BadSignature:
        return None, "invalid"
