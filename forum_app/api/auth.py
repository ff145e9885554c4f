"""Personal API tokens on /api/v1: `Authorization: Bearer fa_...` and nothing else. The API
never reads the session cookie, so a signed-in browser calls no personal route (and the API
needs no CSRF protection).

Refusals: 401 "token_missing" (no Authorization header), "token_malformed" (not a Bearer
personal token), "token_invalid" (unknown or revoked), "token_expired"; 403 "account_blocked"
and "insufficient_scope" (the token was not given the scope the route needs). Every 401 and
403 carries `WWW-Authenticate: Bearer ...` (RFC 6750)."""

from functools import wraps

from flask import current_app, g, make_response, request
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from sqlalchemy import select

from ..accounts.api_tokens import check_api_token
from ..accounts.models import ApiScope, ApiToken
from ..core.tokens import hash_token
from ..extensions import db, limiter
from ..security import PRIVATE, limit_guesses
from .common import ApiError

REALM = 'Bearer realm="forum_app"'
RATE_LIMIT = "120 per minute"  # per token; the setting API_TOKEN_RATE_LIMIT overrides it
REFUSALS = {
    "token_missing": (401, _l("A personal API token is needed (Authorization: Bearer fa_...). "
                              "Make one on your account page.")),
    "token_malformed": (401, _l("This is not a personal API token: send "
                                "Authorization: Bearer followed by the token, which starts "
                                "with fa_.")),
    "token_invalid": (401, _l("This token is unknown or has been revoked.")),
    "token_expired": (401, _l("This token has expired. Make a new one on your account page.")),
    "account_blocked": (403, _l("This account is blocked, so its tokens do not work.")),
}


def _refusal(code: str) -> ApiError:
    status, message = REFUSALS[code]
    challenge = REALM if code == "token_missing" else f'{REALM}, error="invalid_token"'
    return ApiError(status, message, code, headers={"WWW-Authenticate": challenge})


def _presented() -> str:
    """The token of the Authorization header; ApiError when there is none or not a Bearer."""
    header = request.headers.get("Authorization")
    if header is None or not header.strip():
        raise _refusal("token_missing")
    scheme, _sep, secret = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise _refusal("token_malformed")
    return secret.strip()


def _sent_secret() -> str:
    """What follows the scheme in the Authorization header, unchecked (for rate-limit keys)."""
    return (request.headers.get("Authorization") or "").partition(" ")[2].strip()


def _token_key() -> str:
    """Rate limits count per token (its hash: the secret itself is kept nowhere); requests
    without one count per address."""
    secret = _sent_secret()
    return "token:" + hash_token(secret) if secret else "no-token:" + get_remote_address()


def token_person_key() -> str:
    """The person of the presented token, as the web's per-person limits name them
    ("user:<id>"), so a limit shared by a web form and its API route counts them together.
    Read before the token is checked: an unknown token counts on its own."""
    digest = hash_token(_sent_secret())
    user_id = db.session.scalar(select(ApiToken.user_id).where(ApiToken.token_hash == digest))
    return f"user:{user_id}" if user_id is not None else f"token:{digest}"


def _token_limit() -> str:
    return current_app.config.get("API_TOKEN_RATE_LIMIT", RATE_LIMIT)


def token_required(scope: ApiScope):
    """The view needs a personal token with `scope`: the token's row goes to g.api_token and
    its person to g.api_person. The view is marked (`personal_token_scope`) so the tests
    find every route that needs one."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            check = check_api_token(_presented())
            if check.token is None:
                raise _refusal(check.refusal)
            if scope.value not in check.token.scope_list:
                raise ApiError(403, _l("This token may not do this: it needs the scope "
                                       "“%(scope)s”.", scope=scope.value), "insufficient_scope",
                               headers={"WWW-Authenticate": f'{REALM}, error="insufficient_'
                                                            f'scope", scope="{scope.value}"'})
            g.api_token, g.api_person = check.token, check.token.user
            response = make_response(view(*args, **kwargs))
            # A person's own data (their tickets among it): no shared cache may keep it.
            response.headers.setdefault("Cache-Control", PRIVATE["Cache-Control"])
            return response

        wrapped.personal_token_scope = scope
        limited = limiter.limit(_token_limit, key_func=_token_key)(wrapped)
        return limit_guesses()(limited)

    return decorator
