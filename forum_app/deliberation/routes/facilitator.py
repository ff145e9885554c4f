"""The facilitator's live mode: one tablet screen per agenda item. Plain forms (POST, then a
redirect back to the part of the screen that was used); the service decides every rule."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...core.forms import perform
from ...core.qr import qr_data_uri
from ...core.urls import external_url
from ...errors import DomainError
from ...events.lookup import child_or_404, managed_event
from ...extensions import db
from ...issues.models import Issue
from .. import services
from ..forms import (
    ActionForm,
    AgendaItemForm,
    ContributionForm,
    DecisionForm,
    HideForm,
    LinkIssueForm,
    ModerateForm,
    OptionForm,
    PinForm,
    PromoteForm,
    StageForm,
    TallyForm,
    VoteRulesForm,
    WithdrawForm,
)
from ..models import AgendaItem, Contribution, LiveQuestion, SolutionOption
from ..queries import active_options, event_items, results, room_questions
from ..stages import next_stage
from . import bp

MANAGE = "/manage/events/<slug>/forum"
ITEM = MANAGE + "/items/<int:item_id>"


class DecisionMissing(DomainError):
    def __init__(self):
        super().__init__(_("Please record the decision first."), "decision_required")


def _item(slug: str, item_id: int):
    event = managed_event(slug)
    return event, child_or_404(AgendaItem, item_id, event)


def _forms(item: AgendaItem, given: dict) -> dict:
    options = active_options(item)
    forms = {"stage": StageForm(formdata=None), "issue": LinkIssueForm(formdata=None),
             "contribution": ContributionForm(formdata=None),
             "option": OptionForm(formdata=None),
             "rules": VoteRulesForm(formdata=None, allow_vote_change=item.allow_vote_change),
             "tally": TallyForm(options, formdata=None),
             "decision": DecisionForm(options, formdata=None),
             "action": ActionForm(formdata=None), "moderate": ModerateForm(formdata=None),
             "pin": PinForm(formdata=None), "promote": PromoteForm(formdata=None)}
    if item.decision is not None and "decision" not in given:
        decision = item.decision
        forms["decision"] = DecisionForm(options, formdata=None, obj=decision,
                                         option_ids=decision.option_ids)
    following = next_stage(item.stage)
    if following is not None:
        forms["stage"].to_stage.data = following.value
    return forms | given


def _live(event, item: AgendaItem, status: int = 200, **given):
    return render_template(
        "deliberation/live.html", event=event, item=item, forms=_forms(item, given),
        results=results(item), questions=room_questions(item, staff=True),
        items=event_items(event)), status


def _back(item: AgendaItem, anchor: str, message: str | None = None):
    if message:
        flash(message, "success")
    return redirect(url_for("deliberation.live", slug=item.event.slug, item_id=item.id,
                            _anchor=anchor))


def _act(event, item, name: str, form, call, anchor: str, message: str):
    """Validate `form`, call one service; the screen again with the error, or a redirect."""
    if perform(form, lambda: call(form)):
        return _back(item, anchor, message)
    return _live(event, item, 422, **{name: form})


@bp.route(MANAGE)
@login_required
def items(slug: str, form: AgendaItemForm | None = None, status: int = 200):
    event = managed_event(slug)
    return render_template("deliberation/items.html", event=event, items=event_items(event),
                           form=form or AgendaItemForm(formdata=None)), status


@bp.route(MANAGE, methods=["POST"])
@login_required
def create_item(slug: str):
    event = managed_event(slug)
    form = AgendaItemForm()
    done = perform(form, lambda: services.create_agenda_item(current_user, event, form.values()))
    if done:
        return _back(done.value, "stage", _("The agenda item has been added."))
    return items(slug, form, 422)


@bp.route(ITEM)
@login_required
def live(slug: str, item_id: int):
    return _live(*_item(slug, item_id))


@bp.route(ITEM + "/stage", methods=["POST"])
@login_required
def move(slug: str, item_id: int):
    event, item = _item(slug, item_id)
    return _act(event, item, "stage", StageForm(), lambda f: services.move_stage(
        current_user, item, f.to_stage.data, f.reason.data), "stage", _("The stage is moved."))


@bp.route(ITEM + "/issues", methods=["POST"])
@login_required
def link_issue(slug: str, item_id: int):
    event, item = _item(slug, item_id)
    form = LinkIssueForm()

    def call(f):
        issue = db.session.get(Issue, f.issue_id.data)
        if issue is None:
            raise DomainError(_("There is no issue with this number."), "unknown_issue",
                              "issue_id")
        services.link_issue(current_user, item, issue)
    return _act(event, item, "issue", form, call, "problem", _("The issue is linked."))


@bp.route(ITEM + "/contributions", methods=["POST"])
@login_required
def contribute(slug: str, item_id: int):
    event, item = _item(slug, item_id)
    return _act(event, item, "contribution", ContributionForm(),
                lambda f: services.add_contribution(current_user, item, f.values()),
                "discussion", _("The contribution is recorded."))


@bp.route(ITEM + "/options", methods=["POST"])
@login_required
def add_option(slug: str, item_id: int):
    event, item = _item(slug, item_id)
    return _act(event, item, "option", OptionForm(),
                lambda f: services.add_option(current_user, item, f.values()),
                "options", _("The option is added."))


@bp.route(ITEM + "/options/<int:option_id>/withdraw", methods=["POST"])
@login_required
def withdraw_option(slug: str, item_id: int, option_id: int):
    """Taken off the ballot with a reason; it stays in the record as withdrawn."""
    event, item = _item(slug, item_id)
    return _act(event, item, "withdraw", WithdrawForm(), lambda f: services.withdraw_option(
        current_user, child_or_404(SolutionOption, option_id, item, key="agenda_item_id"),
        f.reason.data), "options", _("The option is withdrawn."))


@bp.route(ITEM + "/vote-rules", methods=["POST"])
@login_required
def vote_rules(slug: str, item_id: int):
    event, item = _item(slug, item_id)
    return _act(event, item, "rules", VoteRulesForm(),
                lambda f: services.set_vote_change(current_user, item,
                                                   f.allow_vote_change.data),
                "voting", _("The voting rules are saved."))


@bp.route(ITEM + "/tallies", methods=["POST"])
@login_required
def tally(slug: str, item_id: int):
    event, item = _item(slug, item_id)
    return _act(event, item, "tally", TallyForm(active_options(item)),
                lambda f: services.record_hand_tally(current_user, item, f.option_id.data,
                                                     f.stakeholder_kind.data, f.count.data,
                                                     f.note.data),
                "voting", _("The hand tally is recorded."))


def _question(item: AgendaItem, live_question_id: int) -> LiveQuestion:
    return child_or_404(LiveQuestion, live_question_id, item, key="agenda_item_id")


@bp.route(ITEM + "/questions/<int:live_question_id>/state", methods=["POST"])
@login_required
def moderate(slug: str, item_id: int, live_question_id: int):
    event, item = _item(slug, item_id)
    question = _question(item, live_question_id)
    return _act(event, item, "moderate", ModerateForm(),
                lambda f: services.moderate_question(current_user, question, f.to_state.data,
                                                     f.reason.data),
                f"question-{question.id}", _("The question is updated."))


@bp.route(ITEM + "/questions/<int:live_question_id>/pin", methods=["POST"])
@login_required
def pin(slug: str, item_id: int, live_question_id: int):
    event, item = _item(slug, item_id)
    question = _question(item, live_question_id)
    return _act(event, item, "pin", PinForm(),
                lambda f: services.pin_question(current_user, question, f.pinned.data == "1"),
                f"question-{question.id}", _("The question is updated."))


@bp.route(ITEM + "/questions/<int:live_question_id>/promote", methods=["POST"])
@login_required
def promote(slug: str, item_id: int, live_question_id: int):
    """A question from the room taken into the record: a contribution, or an option."""
    event, item = _item(slug, item_id)
    question = _question(item, live_question_id)
    return _act(event, item, "promote", PromoteForm(),
                lambda f: services.promote_question(current_user, question, f.to.data),
                "discussion", _("The question is taken into the record."))


@bp.route(ITEM + "/contributions/<int:contribution_id>/hide", methods=["POST"])
@login_required
def hide_contribution(slug: str, item_id: int, contribution_id: int):
    event, item = _item(slug, item_id)
    contribution = child_or_404(Contribution, contribution_id, item, key="agenda_item_id")
    return _act(event, item, "moderate", HideForm(),
                lambda f: services.hide_contribution(current_user, contribution,
                                                     f.reason.data),
                "discussion", _("The contribution is hidden from the public record."))


@bp.route(ITEM + "/decision", methods=["POST"])
@login_required
def decide(slug: str, item_id: int):
    event, item = _item(slug, item_id)
    return _act(event, item, "decision", DecisionForm(active_options(item)),
                lambda f: services.record_decision(current_user, item, f.values(),
                                                   f.reason.data),
                "decision", _("The decision is recorded."))


@bp.route(ITEM + "/decision/revise", methods=["POST"])
@login_required
def revise(slug: str, item_id: int):
    """A correction of the decision's record, with a reason; the old text stays in history."""
    event, item = _item(slug, item_id)

    def call(f):
        if item.decision is None:
            raise DecisionMissing()
        services.revise_decision(current_user, item.decision, f.values(), f.reason.data)
    return _act(event, item, "decision", DecisionForm(active_options(item)), call,
                "decision", _("The decision is revised."))


@bp.route(ITEM + "/actions", methods=["POST"])
@login_required
def add_action(slug: str, item_id: int):
    event, item = _item(slug, item_id)

    def call(f):
        if item.decision is None:
            raise DecisionMissing()
        services.add_action(current_user, item.decision, f.values())
    return _act(event, item, "action", ActionForm(), call, "actions",
                _("The action is added."))


@bp.route(MANAGE + "/room-qr")
@login_required
def room_qr(slug: str):
    """A page to print and put up in the room: the QR code of the participants' page."""
    event = managed_event(slug)
    url = external_url("deliberation.room", slug=event.slug)
    return render_template("deliberation/room_qr.html", event=event, url=url, qr=qr_data_uri(url))
