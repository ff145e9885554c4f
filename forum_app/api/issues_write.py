"""Raising, supporting and following issues with a personal token (scope issues:write): the
web's rules through the same services, the same limits (issues.services.SUBMIT_LIMIT counts
web and API together). Photos are added on the web page only.

POST /api/v1/issues {"title", "description", "category_id", "district_id"?,
"place_description"?, "sdgs"?: [1..17], "latitude"?, "longitude"?, "location_public"?,
"anonymous"?, "language"?: "mn" | "en"} -> 201 the issue as in GET /api/v1/me/issues.
POST|DELETE /api/v1/issues/<id>/support -> {"issue_id", "supported", "changed",
"support_count"}; POST|DELETE /api/v1/issues/<id>/follow -> {"issue_id", "following",
"changed"}. 404 for an issue the person may not see (hidden, or none); 409 "issue_hidden",
"issue_merged" where the web refuses too.
"""

from flask import g, jsonify
from flask_babel import gettext as _

from ..accounts.models import ApiScope
from ..database import MAX_ID
from ..extensions import db, limiter
from ..issues import services as issue_services
from ..issues.access import can_view_issue
from ..issues.models import Issue
from .auth import token_person_key, token_required
from .common import LANGUAGES, ApiError, bp, invalid, json_object
from .personal import own_issue_json
from .schema import check_object

ISSUE_FIELDS = {
    "title": "string", "description": "string", "category_id": "integer",
    "district_id": "integer?", "place_description": "string?", "sdgs": "integers?",
    "latitude": "number?", "longitude": "number?", "location_public": "boolean?",
    "anonymous": "boolean?", "language": "string?",
}
ID_FIELDS = ("category_id", "district_id")


def _created(response) -> bool:
    return response.status_code == 201


def _issue_values(body: dict) -> dict:
    errors = check_object(body, ISSUE_FIELDS)
    for field in ID_FIELDS:
        value = body.get(field)
        if field not in errors and value is not None and not 1 <= value <= MAX_ID:
            errors[field] = _("Please choose from the list.")
    if "language" not in errors and body.get("language") not in (None, *LANGUAGES):
        errors["language"] = _("Please choose mn or en.")
    if errors:
        raise invalid(errors)
    values = {key: value for key, value in body.items() if value is not None}
    values.setdefault("language", g.language)
    return values


@bp.post("/issues")
@limiter.shared_limit(issue_services.SUBMIT_LIMIT, scope=issue_services.SUBMIT_LIMIT_SCOPE,
                      key_func=token_person_key, deduct_when=_created)
@token_required(ApiScope.ISSUES_WRITE)
def create_issue():
    issue = issue_services.submit_issue(g.api_person, _issue_values(json_object()))
    return jsonify(own_issue_json(issue, g.language)), 201


def _visible_issue(issue_id: int) -> Issue:
    """The issue if this person may see it; 404 otherwise, as for none at all."""
    issue = db.session.get(Issue, issue_id)
    if issue is None or not can_view_issue(g.api_person, issue):
        raise ApiError(404, _("There is no such issue."), "not_found")
    return issue


def _support_answer(issue: Issue, supported: bool, changed: bool):
    db.session.refresh(issue)
    return jsonify(issue_id=issue.id, supported=supported, changed=changed,
                   support_count=issue.support_count)


@bp.post("/issues/<int:issue_id>/support")
@token_required(ApiScope.ISSUES_WRITE)
def support_issue(issue_id: int):
    issue = _visible_issue(issue_id)
    return _support_answer(issue, True, issue_services.support_issue(g.api_person, issue))


@bp.delete("/issues/<int:issue_id>/support")
@token_required(ApiScope.ISSUES_WRITE)
def withdraw_support(issue_id: int):
    issue = _visible_issue(issue_id)
    return _support_answer(issue, False, issue_services.withdraw_support(g.api_person, issue))


def _follow_answer(issue_id: int, following: bool):
    issue = _visible_issue(issue_id)
    change = issue_services.follow_issue if following else issue_services.unfollow_issue
    return jsonify(issue_id=issue.id, following=following, changed=change(g.api_person, issue))


@bp.post("/issues/<int:issue_id>/follow")
@token_required(ApiScope.ISSUES_WRITE)
def follow_issue(issue_id: int):
    return _follow_answer(issue_id, True)


@bp.delete("/issues/<int:issue_id>/follow")
@token_required(ApiScope.ISSUES_WRITE)
def unfollow_issue(issue_id: int):
    return _follow_answer(issue_id, False)
