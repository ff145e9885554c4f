"""The signed-in person's API, with a personal token (api.auth): who they are, their
registrations and tickets, cancelling one, and the issues they raised (hidden ones too).

GET /api/v1/me (scope read): {"id", "name", "email", "language", "scopes", "token"}.
GET /api/v1/me/registrations (read): {"registrations": [...], "next": null}, the 100 newest.
GET /api/v1/me/registrations/<id> (read): one of them; 404 for anyone else's.
POST /api/v1/me/registrations/<id>/cancel (registrations:write): the registration, cancelled;
409 "not_active" (already ended) or "started" (the event has begun).
GET /api/v1/me/issues (read): {"issues": [...], "next": null}, the 100 newest, with those
that moderation hides from the public ("public": false).
"""

from flask import g, jsonify
from flask_babel import gettext as _

from ..accounts.models import ApiScope
from ..database import API_PAGE_SIZE
from ..i18n import utcnow
from ..issues.queries import latest_issues_of
from ..registration import queries as registration_queries
from ..registration import services as registration_services
from ..registration.models import Registration
from .auth import token_required
from .common import ApiError, bp
from .personal import own_issue_json, registration_json
from .serializers import iso


@bp.get("/me")
@token_required(ApiScope.READ)
def me():
    person, token = g.api_person, g.api_token
    return jsonify(id=person.id, name=person.name, email=person.email,
                   language=person.language, scopes=token.scope_list,
                   token={"name": token.name, "prefix": token.prefix,
                          "created_at": iso(token.created_at),
                          "expires_at": iso(token.expires_at)})


@bp.get("/me/registrations")
@token_required(ApiScope.READ)
def my_registrations():
    rows = registration_queries.latest_registrations_of(g.api_person, API_PAGE_SIZE)
    positions = registration_services.waitlist_positions({r.event_id for r in rows})
    now = utcnow()
    return jsonify(registrations=[registration_json(r, g.language, now, positions.get(r.id))
                                  for r in rows], next=None)


def _own_registration(registration_id: int) -> Registration:
    """The person's registration; 404 for anyone else's, exactly as for none at all."""
    registration = registration_queries.own_registration(g.api_person, registration_id)
    if registration is None:
        raise ApiError(404, _("There is no such registration."), "not_found")
    return registration


def _one(registration: Registration):
    return jsonify(registration_json(registration, g.language, utcnow(),
                                     registration_services.waitlist_position(registration)))


@bp.get("/me/registrations/<int:registration_id>")
@token_required(ApiScope.READ)
def my_registration(registration_id: int):
    return _one(_own_registration(registration_id))


@bp.post("/me/registrations/<int:registration_id>/cancel")
@token_required(ApiScope.REGISTRATIONS_WRITE)
def cancel_my_registration(registration_id: int):
    registration = _own_registration(registration_id)
    return _one(registration_services.cancel_registration(registration, actor=g.api_person))


@bp.get("/me/issues")
@token_required(ApiScope.READ)
def my_issues():
    rows = latest_issues_of(g.api_person, API_PAGE_SIZE)
    return jsonify(issues=[own_issue_json(issue, g.language) for issue in rows], next=None)

