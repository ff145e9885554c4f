"""The projector view: the room's current item, large. Its script polls a small JSON every two
seconds with If-None-Match; while nothing changed the answer is a 304 computed from a few
counts (queries.fingerprint), so an open screen costs no worker and almost no work."""

from flask import Response, jsonify, render_template, request
from flask_babel import gettext as _

from ...events.lookup import visible_event
from ...i18n import current_language, localized
from ..queries import current_item, fingerprint, results, room_questions
from . import bp

SCREEN = "/events/<slug>/forum/screen"
POLL_HEADERS = {"Cache-Control": "no-cache"}


def screen_state(event, item) -> dict:
    """Everything the screen draws; secret-ballot safe (counts only)."""
    if item is None:
        return {"item": None, "empty": _("No agenda item yet.")}
    rows = results(item)
    return {
        "item": {"id": item.id, "title": localized(item, "title"),
                 "problem": localized(item, "problem"), "stage": item.stage,
                 "stage_label": str(item.stage_label)},
        "questions": [{"id": q.id, "body": q.body, "upvotes": q.upvote_count,
                       "pinned": q.pinned, "answered": q.state == "answered",
                       "by": None if q.anonymous else q.display_name}
                      for q in room_questions(item)],
        "options": [{"id": r.option.id, "title": localized(r.option, "title"),
                     "pros": localized(r.option, "pros"), "cons": localized(r.option, "cons"),
                     "votes": r.votes, "hands": r.hands} for r in rows],
        "ballots": sum(r.votes for r in rows), "hands": sum(r.hands for r in rows),
    }


def screen_etag(event) -> str:
    item = current_item(event)
    # The language too: the texts are the reader's.
    return f"{current_language()}-{item.id}-{fingerprint(item.id)}" if item else "none"


@bp.route(SCREEN)
def screen(slug: str):
    event = visible_event(slug)
    item = current_item(event)
    return render_template("deliberation/screen.html", event=event, item=item,
                           state=screen_state(event, item), etag=screen_etag(event))


@bp.route(SCREEN + ".json")
def screen_json(slug: str):
    event = visible_event(slug)
    etag = screen_etag(event)
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        response = jsonify(screen_state(event, current_item(event)))
    response.set_etag(etag)
    response.headers.update(POLL_HEADERS)
    return response
