"""The public side of the record: an agenda item's journey, the outcomes index and the
minutes of an event (PDF)."""

import time

from flask import abort, current_app, make_response, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ...core.cursors import decode_cursor, encode_cursor
from ...core.page_cache import public_page
from ...database import PAGE_SIZE
from ...events.lookup import visible_event
from ...events.services import can_view
from ...extensions import db
from ...issues.photos import photo_path
from ..minutes import build_minutes_pdf
from ..models import Action, AgendaItem, ProgressPhoto, ProgressUpdate
from ..outcomes import FILTER_NAMES, OUTCOMES_LIST, OUTCOMES_ORDER, outcomes_page, parse_filters
from ..queries import (
    filter_choices,
    journey,
    public_contributions,
    results,
    standing_tallies,
    today,
    visible_links,
)
from . import bp


def visible_item(item_id: int) -> AgendaItem:
    item = db.session.get(AgendaItem, item_id)
    if item is None or not can_view(current_user, item.event):
        abort(404)
    return item


@bp.route("/forum/items/<int:item_id>")
@public_page
def journey_page(item_id: int):
    item = visible_item(item_id)
    return render_template("deliberation/journey.html", item=item, event=item.event,
                           steps=journey(item, current_user),
                           links=visible_links(item, current_user),
                           contributions=public_contributions(item),
                           results=results(item), tallies=standing_tallies(item),
                           today=today())


@bp.route("/forum/progress-photos/<filename>")
def progress_photo(filename: str):
    """A photo posted as evidence of progress, for whoever may see its agenda item."""
    row = db.session.scalar(select(ProgressPhoto).where(ProgressPhoto.filename == filename))
    if row is None:
        abort(404)
    update = db.session.get(ProgressUpdate, row.update_id)
    visible_item(db.session.get(Action, update.action_id).decision.agenda_item_id)
    path = photo_path(row.filename)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=row.content_type, conditional=True)
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@bp.route("/forum/outcomes")
@public_page
def outcomes():
    """Every decision and action, with the API's filters (outcomes.parse_filters), newest
    first, a page at a time by keyset (?cursor= the previous page's last)."""
    filters, errors = parse_filters(request.args)
    try:
        after = decode_cursor(OUTCOMES_LIST, OUTCOMES_ORDER, request.args.get("cursor"))
    except ValueError:
        after, errors = None, errors | {"cursor": _("This page link is no longer valid.")}
    rows, last = outcomes_page(filters, today(), after, size=PAGE_SIZE)
    kept = {name: request.args[name] for name in FILTER_NAMES
            if request.args.get(name) and name not in errors}
    return render_template(
        "deliberation/outcomes.html", outcomes=rows, errors=errors, args=kept,
        next_cursor=encode_cursor(OUTCOMES_LIST, last) if last else None,
        choices=filter_choices(),
        today=today()), 422 if errors else 200


@bp.route("/events/<slug>/minutes.pdf")
def minutes_pdf(slug: str):
    event = visible_event(slug)
    started = time.perf_counter()
    pdf = build_minutes_pdf(event)
    current_app.logger.info("minutes of %s in %.0f ms", event.slug,
                            (time.perf_counter() - started) * 1000)
    response = make_response(pdf)
    response.headers.update({
        "Content-Type": "application/pdf",
        "Content-Disposition": f'inline; filename="minutes-{event.slug[:80]}.pdf"',
        "Cache-Control": "no-cache"})
    return response
