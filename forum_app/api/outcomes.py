"""The forum record as JSON: outcomes (public), one agenda item, and votes from the room.

GET /api/v1/outcomes: {"items": [...], "next": the next page's URL or null (api.paging)};
filters as on the web's /forum/outcomes: ?stage, ?status, ?department (id or slug), ?event
(id or slug), ?overdue=1, ?sdg, ?district. Newest items first, ?per_page= up to 100.
GET /api/v1/agenda-items/<id>: the item as in the list, plus its options with live vote
counts, the standing hand tallies and its history.
POST /api/v1/agenda-items/<id>/votes {"ticket", "option_id"} (and "change_key" to change a
vote where the item allows it): 201 {"accepted": true}; 403 "not_checked_in"; 404
"not_found" (no such item) or "unknown_ticket"; 409 "already_voted", "voting_closed";
422 "invalid" with "fields" (an unknown option names option_id).
Errors: {"error", "code", "fields"}; spec/outcomes.yaml describes it all.
"""

import json

from flask import jsonify, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address

from ..deliberation.models import AgendaItem
from ..deliberation.outcomes import (
    FILTER_NAMES,
    OUTCOMES_LIST,
    OUTCOMES_ORDER,
    Outcome,
    history,
    options_with_votes,
    outcomes_of,
    outcomes_page,
    parse_filters,
    standing_tallies,
    visible_items,
)
from ..deliberation.services import cast_vote
from ..extensions import db, limiter
from ..i18n import local_date, utcnow
from ..registration.tickets import normalise_code
from .caching import public_json
from .common import MAX_BODY, ApiError, bp, invalid, json_object
from .paging import read_paging
from .schema import check_object
from .serializers import iso

VOTE_FIELDS = {"ticket": "string", "option_id": "integer", "change_key": "string?"}


def _day(value):
    return value.isoformat() if value is not None else None


def outcome_json(outcome: Outcome, today) -> dict:
    item, decision = outcome.item, outcome.decision
    return {
        "id": item.id,
        "event_id": item.event_id,
        "title_mn": item.title_mn,
        "title_en": item.title_en,
        "stage": item.stage,
        "issue_ids": item.issue_ids,
        "decision": None if decision is None else {
            "text_mn": decision.text_mn, "text_en": decision.text_en,
            "method": decision.method, "decided_at": iso(decision.decided_at),
            "review_on": _day(decision.review_on)},
        "actions": [{
            "id": action.id, "title_mn": action.title_mn, "title_en": action.title_en,
            "department": action.department.slug, "due_on": _day(action.due_on),
            "status": action.status, "percent": action.percent,
            "overdue": action.is_overdue(today)} for action in outcome.actions],
    }


@bp.route("/outcomes")
def outcomes():
    """Decisions and actions of every agenda item of the public forums."""
    filters, errors = parse_filters(request.args)
    paging = read_paging(OUTCOMES_LIST, OUTCOMES_ORDER, errors)
    if errors:
        raise invalid(errors)
    today = local_date(utcnow())
    page, last = outcomes_page(filters, today, paging.after, paging.per_page)
    return public_json({"items": [outcome_json(outcome, today) for outcome in page],
                        "next": paging.next_url(last, FILTER_NAMES)})


def _public_item(item_id: int) -> AgendaItem:
    item = db.session.scalar(visible_items().where(AgendaItem.id == item_id))
    if item is None:
        raise ApiError(404, _("There is no such agenda item."), "not_found")
    return item


@bp.route("/agenda-items/<int:item_id>")
def agenda_item(item_id: int):
    item = _public_item(item_id)
    today = local_date(utcnow())
    payload = outcome_json(outcomes_of([item])[0], today)
    payload["options"] = [{"id": option.id, "title_mn": option.title_mn,
                           "title_en": option.title_en, "votes": votes}
                          for option, votes in options_with_votes(item)]
    payload["hand_tallies"] = [{"option_id": tally.option_id,
                                "stakeholder_kind": tally.stakeholder_kind,
                                "count": tally.count, "recorded_at": iso(tally.created_at)}
                               for tally in standing_tallies(item)]
    payload["history"] = [{"at": iso(entry.at), "actor": entry.actor, "what": entry.what,
                           "from": entry.before, "to": entry.after,
                           "reason": entry.reason} for entry in history(item)]
    return public_json(payload)


def _voter_key() -> str:
    """One ticket's presses share a limit; a room behind one address shares a larger one."""
    if (request.content_length or 0) <= MAX_BODY:
        try:
            ticket = json.loads(request.get_data(cache=True) or b"null")
        except (ValueError, RecursionError):
            ticket = None
        if isinstance(ticket, dict) and isinstance(ticket.get("ticket"), str):
            return "vote:" + normalise_code(ticket["ticket"])[:40]
    return "vote-address:" + (get_remote_address() or "")


@bp.route("/agenda-items/<int:item_id>/votes", methods=["POST"])
@limiter.limit("600 per minute")
@limiter.limit("30 per minute", key_func=_voter_key)
def vote(item_id: int):
    """A vote from the room with the voter's ticket; see the module's notes."""
    item = _public_item(item_id)
    body = json_object()
    errors = check_object(body, VOTE_FIELDS)
    for field in ("ticket", "option_id"):
        if field not in errors and body.get(field) is None:
            errors[field] = _("This field is required.")
    if errors:
        raise invalid(errors)
    result = cast_vote(item, body["ticket"], body["option_id"],
                       change_key=body.get("change_key"))
    payload = {"accepted": True}
    if result.change_key:
        payload["change_key"] = result.change_key
    return jsonify(payload), 201
