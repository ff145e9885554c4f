"""Personal API tokens: a person lets a program act for them through /api/v1, within the
scopes they chose, until the token expires or they revoke it. The token is shown once; only
its SHA-256 is stored (core.tokens.hash_token), so a copy of the database calls no API. Every
token starts with "fa_", so a leaked one is easy to spot (in a repository, a log, a paste)."""

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select, update

from ..audit.services import record_event
from ..core.personal import row_dict
from ..core.text import clean_text
from ..core.tokens import hash_token
from ..database import begin_write, revoke_once
from ..errors import DomainError
from ..extensions import db
from ..i18n import utcnow
from .models import ApiScope, ApiToken, User
from .services import _check_current_password

TOKEN_PREFIX = "fa_"  # noqa: S105  # nosec B105  # the visible start of every token, not one
TOKEN_PATTERN = re.compile(r"^fa_[A-Za-z0-9_-]{43}$")  # the prefix and 32 random bytes
SHOWN_PREFIX = 8  # "fa_" and five characters, kept to tell tokens apart
MAX_NAME = 80
EXPIRY_DAYS = (7, 30, 90, 365)
DEFAULT_EXPIRY_DAYS = 90
MAX_ACTIVE_TOKENS = 20
USED_EVERY = timedelta(minutes=5)  # last_used_at is written at most this often
HELD_FIELDS = ("name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at")


@dataclass(frozen=True)
class TokenCheck:
    """What a presented token is: its row when it may be used, else the refusal's code
    ("token_malformed", "token_invalid" for unknown or revoked, "token_expired",
    "account_blocked")."""

    token: ApiToken | None
    refusal: str | None = None


def _active(now: datetime):
    return (ApiToken.revoked_at.is_(None), ApiToken.expires_at > now)


def _check_scopes(scopes) -> list[str]:
    chosen = [scope for scope in ApiScope if scope.value in set(scopes or ())]
    if not chosen or len(chosen) != len(set(scopes)):
        raise DomainError(_l("Please choose at least one permission from the list."),
                          "bad_scopes", "scopes")
    return [scope.value for scope in chosen]


def create_api_token(user: User, name, scopes, days, password) -> tuple[ApiToken, str]:
    """A new token of `user` named `name`, allowed `scopes` (ApiScope values), valid for
    `days` (one of EXPIRY_DAYS). The person's password is asked again: a borrowed session
    must not turn into a key that outlives it. Returns the row and the token itself, shown
    only once."""
    _check_current_password(user, password)
    name = clean_text(name, "name", MAX_NAME, single_line=True,
                      required=_l("Please name the token, for example after the program "
                                  "that will use it."))
    chosen = _check_scopes(scopes)
    if days not in EXPIRY_DAYS:
        raise DomainError(_l("Please choose how long the token stays valid."), "bad_expiry",
                          "days")
    now = utcnow()
    active = db.session.scalar(select(func.count(ApiToken.id)).where(
        ApiToken.user_id == user.id, *_active(now))) or 0
    if active >= MAX_ACTIVE_TOKENS:
        raise DomainError(_l("You have %(n)d valid tokens, the most one person may have. "
                             "Revoke one you no longer use first.", n=MAX_ACTIVE_TOKENS),
                          "too_many_tokens")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, prefix=secret[:SHOWN_PREFIX],
                     token_hash=hash_token(secret), scopes=" ".join(chosen), created_at=now,
                     expires_at=now + timedelta(days=days))
    db.session.add(token)
    db.session.flush()
    record_event(user, token, "api_token.created", after={
        "name": name, "scopes": chosen, "expires_at": token.expires_at.isoformat()})
    db.session.commit()
    return token, secret


def revoke_api_token(user: User, token: ApiToken) -> ApiToken:
    """The token stops working at once. Only its owner revokes it (others get not_found)."""
    if token.user_id != user.id:
        raise DomainError(_l("There is no such token."), "not_found")
    token = revoke_once(ApiToken, token.id, utcnow())
    if token is None:
        raise DomainError(_l("This token has already been revoked."), "already_revoked")
    record_event(user, token, "api_token.revoked", before={"active": True},
                 after={"active": False})
    db.session.commit()
    return token


def tokens_of(user: User) -> list[ApiToken]:
    """The person's tokens, newest first: the valid ones, and the others of the last 90
    days (revoked or expired), so the list stays short."""
    since = utcnow() - timedelta(days=90)
    return list(db.session.scalars(select(ApiToken).where(
        ApiToken.user_id == user.id,
        or_(ApiToken.revoked_at.is_(None), ApiToken.revoked_at >= since),
        ApiToken.expires_at >= since,
    ).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def own_token(user: User, token_id: int) -> ApiToken | None:
    token = db.session.get(ApiToken, token_id)
    return token if token is not None and token.user_id == user.id else None


def token_state(token: ApiToken, now: datetime | None = None) -> str:
    """"active", "expired" or "revoked"."""
    if token.revoked_at is not None:
        return "revoked"
    return "expired" if token.is_expired(now or utcnow()) else "active"


def check_api_token(secret, now: datetime | None = None) -> TokenCheck:
    """The token a request presents: TokenCheck(row) when it may be used now (noting when it
    was used, at most every USED_EVERY), else TokenCheck(None, refusal code)."""
    if not isinstance(secret, str) or not TOKEN_PATTERN.match(secret):
        return TokenCheck(None, "token_malformed")
    now = now or utcnow()
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(secret)))
    if token is None or token.revoked_at is not None:
        return TokenCheck(None, "token_invalid")
    if token.is_expired(now):
        return TokenCheck(None, "token_expired")
    user = token.user
    if user.erased_at is not None:
        return TokenCheck(None, "token_invalid")
    if not user.is_active:
        return TokenCheck(None, "account_blocked")
    if token.last_used_at is None or now - token.last_used_at >= USED_EVERY:
        token = _used(token.id, now)
    return TokenCheck(token)


def _used(token_id: int, now: datetime) -> ApiToken:
    begin_write()
    db.session.execute(update(ApiToken).where(ApiToken.id == token_id).values(
        last_used_at=now).execution_options(synchronize_session=False))
    db.session.commit()
    return db.session.get(ApiToken, token_id)


def tokens_held(user: User) -> list[dict]:
    """For "My data": every token of the person, without its secret or hash."""
    rows = db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                              .order_by(ApiToken.id))
    return [row_dict(token, HELD_FIELDS) | {"scopes": token.scope_list} for token in rows]


def delete_tokens_of(user: User) -> int:
    """Erasing the account: its tokens are deleted (they stop working at once)."""
    return db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id)).rowcount
