"""The participant's page on a phone: the current problem, the room's questions (ask, upvote),
the options and the vote. People are known by their signed-in, checked-in registration, or
by the ticket code they gave here (kept in their session cookie, never in a URL)."""

from flask import flash, make_response, redirect, render_template, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ...core.forms import perform
from ...errors import DomainError
from ...events.lookup import child_or_404, visible_event
from ...extensions import limiter
from ...security import PRIVATE
from .. import services
from ..forms import AskForm, EmptyForm, JoinForm, SendContributionForm, VoteForm
from ..models import AgendaItem, LiveQuestion
from ..queries import active_options, current_item, event_items, results, room_questions
from . import bp
from .projector import screen_etag

ROOM = "/events/<slug>/forum"
TICKETS = "forum_tickets"  # event id -> ticket code
CHANGE_KEYS = "forum_change_keys"  # agenda item id -> the key that changes one's vote


def _ticket(event) -> str | None:
    return (session.get(TICKETS) or {}).get(str(event.id))


def _ticket_code(event) -> str:
    """The ticket this browser votes with: the one given here, else the signed-in person's;
    refused (on the vote's field) when there is none."""
    who = who_is_here(event)
    code = _ticket(event) or (who.registration.ticket.code
                              if who and who.registration and who.registration.ticket else None)
    if code is None:
        raise DomainError(_("Please check in at the door, or scan your ticket, to take part."),
                          "not_checked_in", "option_id")
    return code


def who_is_here(event) -> services.Participant | None:
    """The participant behind this browser, or None (not checked in, not signed in)."""
    return services.participant_or_none(event, user=current_user,
                                        tickets=(_ticket(event), None))


def _room(event, item: AgendaItem | None, status: int = 200, **forms):
    who = who_is_here(event)
    options = active_options(item) if item else []
    voted = bool(item and who and who.registration
                 and services.has_voted(item, who.registration.id))
    page = render_template(
        "deliberation/room.html", event=event, item=item, who=who, voted=voted,
        questions=room_questions(item, asker_key=who.key if who else None) if item else [],
        results=results(item) if item and item.stage != "problem" else [],
        items=event_items(event), can_change=voted and item.allow_vote_change
        and str(item.id) in (session.get(CHANGE_KEYS) or {}),
        join_form=forms.get("join") or JoinForm(formdata=None),
        ask_form=forms.get("ask") or AskForm(formdata=None),
        send_form=forms.get("send") or SendContributionForm(formdata=None, prefix="send"),
        vote_form=forms.get("vote") or VoteForm(options, formdata=None),
        button=EmptyForm(formdata=None), etag=screen_etag(event))
    response = make_response(page, status)
    response.headers.update(PRIVATE)
    return response


def _item(slug: str, item_id: int):
    event = visible_event(slug)
    return event, child_or_404(AgendaItem, item_id, event)


def _back(item: AgendaItem, anchor: str, message: str):
    flash(message, "success")
    return redirect(url_for("deliberation.room_item", slug=item.event.slug, item_id=item.id,
                            _anchor=anchor))


@bp.route(ROOM)
def room(slug: str):
    event = visible_event(slug)
    return _room(event, current_item(event))


@bp.route(ROOM + "/items/<int:item_id>")
def room_item(slug: str, item_id: int):
    return _room(*_item(slug, item_id))


@bp.route(ROOM + "/join", methods=["POST"])
@limiter.limit("30 per minute")
def join(slug: str):
    """Take part with a ticket: checked at once, then remembered in this browser's session."""
    event = visible_event(slug)
    form = JoinForm()
    if perform(form, lambda: services.participant(event, ticket=form.ticket.data)):
        session[TICKETS] = (session.get(TICKETS) or {}) | {str(event.id): form.ticket.data}
        flash(_("Welcome. You can ask questions and vote from this page."), "success")
        return redirect(url_for("deliberation.room", slug=event.slug))
    return _room(event, current_item(event), 422, join=form)


@bp.route(ROOM + "/leave", methods=["POST"])
def leave(slug: str):
    event = visible_event(slug)
    if EmptyForm().validate_on_submit():
        tickets = dict(session.get(TICKETS) or {})
        tickets.pop(str(event.id), None)
        session[TICKETS] = tickets
    return redirect(url_for("deliberation.room", slug=event.slug))


@bp.route(ROOM + "/items/<int:item_id>/questions", methods=["POST"])
@limiter.limit("10 per minute")
def ask(slug: str, item_id: int):
    event, item = _item(slug, item_id)
    form = AskForm()
    if perform(form, lambda: services.ask_question(
            item, form.body.data, user=current_user, ticket=_ticket(event),
            anonymous=form.anonymous.data, display_name=form.display_name.data)):
        return _back(item, "questions", _("Thank you. Your question is shown to the room "
                                          "once the facilitator approves it."))
    return _room(event, item, 422, ask=form)


@bp.route(ROOM + "/items/<int:item_id>/contributions", methods=["POST"])
@limiter.limit("10 per minute")
def send(slug: str, item_id: int):
    """A participant checked in to the forum adds to the discussion from their phone."""
    event, item = _item(slug, item_id)
    form = SendContributionForm(prefix="send")
    if perform(form, lambda: services.send_contribution(
            item, form.values() | {"language": str(get_locale())}, user=current_user,
            ticket=_ticket(event))):
        return _back(item, "contribute", _("Thank you. Your contribution is in the record."))
    return _room(event, item, 422, send=form)


def _mark_question(slug: str, item_id: int, live_question_id: int, mark, message: str):
    """Upvote or report a question of the room (the service says whether this person may)."""
    event, item = _item(slug, item_id)
    question = child_or_404(LiveQuestion, live_question_id, item, key="agenda_item_id")
    form = EmptyForm()
    if perform(form, lambda: mark(question, user=current_user, ticket=_ticket(event))):
        return _back(item, f"question-{question.id}", message)
    return _room(event, item, 422)


@bp.route(ROOM + "/items/<int:item_id>/questions/<int:live_question_id>/upvote",
          methods=["POST"])
@limiter.limit("60 per minute")
def upvote(slug: str, item_id: int, live_question_id: int):
    return _mark_question(slug, item_id, live_question_id, services.upvote_question,
                          _("Your upvote is counted."))


@bp.route(ROOM + "/items/<int:item_id>/questions/<int:live_question_id>/report",
          methods=["POST"])
@limiter.limit("30 per minute")
def report(slug: str, item_id: int, live_question_id: int):
    """Anyone taking part may report a question once; the facilitator decides."""
    return _mark_question(slug, item_id, live_question_id, services.report_question,
                          _("Thank you. The facilitator will look at this question."))


@bp.route(ROOM + "/items/<int:item_id>/vote", methods=["POST"])
@limiter.limit("30 per minute")
def vote(slug: str, item_id: int):
    event, item = _item(slug, item_id)
    form = VoteForm(active_options(item))
    keys = dict(session.get(CHANGE_KEYS) or {})
    done = perform(form, lambda: services.cast_vote(
        item, _ticket_code(event), form.option_id.data, change_key=keys.get(str(item.id))))
    if done:
        if done.value.change_key:
            session[CHANGE_KEYS] = keys | {str(item.id): done.value.change_key}
        return _back(item, "vote", _("Your vote is counted. Thank you."))
    return _room(event, item, 422, vote=form)
