"""Helpers of the personal-token API tests: a person's token, its header, their registration."""

from datetime import timedelta

from sqlalchemy import update

from forum_app.accounts.api_tokens import create_api_token
from forum_app.accounts.models import ApiToken
from forum_app.extensions import db
from forum_app.i18n import utcnow
from forum_app.registration.models import Registration
from forum_app.registration.services import RegistrationInput, register
from tests import factories

ALL_SCOPES = ("read", "issues:write", "registrations:write")


def token(person, scopes=ALL_SCOPES, days=90, name="Миний апп") -> str:
    """A new personal token of `person` (the secret, as shown once)."""
    return create_api_token(person, name, list(scopes), days, factories.PASSWORD)[1]


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def expire(token_id: int) -> None:
    """Moves a token's expiry into the past."""
    db.session.execute(update(ApiToken).where(ApiToken.id == token_id).values(
        expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()


def registration_of(person, event=None) -> Registration:
    """A confirmed registration (with its ticket) of a verified person for an upcoming event."""
    event = event or factories.event()
    data = RegistrationInput(name=person.name, email=person.email, consent=True)
    return register(event, data, user=person)[0]
