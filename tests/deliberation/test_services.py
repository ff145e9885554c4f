"""The record as a facilitator, an official and a citizen notice it: stages in order (a skip
or a step back needs a reason), every change in the history, issues that follow the item."""

import io
from datetime import date, timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from forum_app.audit.models import AuditEvent
from forum_app.deliberation import services
from forum_app.deliberation.models import Action, Stage
from forum_app.extensions import db
from forum_app.issues.lifecycle import move_issue
from forum_app.issues.models import IssueStatus
from forum_app.issues.photos import photo_path, prepare_photo
from forum_app.issues.services import follow_issue
from forum_app.notifications.models import Notification
from tests import factories

from .support import admitted, department_official, forum_item, item_at, refused


def _history(obj) -> list[AuditEvent]:
    return db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == type(obj).__name__, AuditEvent.object_id == obj.id)
        .order_by(AuditEvent.id)).all()


def test_the_next_stage_needs_no_reason_and_is_recorded(organiser, forum):
    item = forum_item(organiser, forum)
    services.move_stage(organiser, item, "discussion")
    assert item.stage == "discussion"
    moves = [e for e in _history(item) if e.action == "agenda.stage"]
    assert [(m.before, m.after, m.reason, m.actor_id) for m in moves] == [
        ({"stage": "problem"}, {"stage": "discussion"}, None, organiser.id)]


def test_a_stage_cannot_be_skipped_or_moved_back_without_a_reason(organiser, forum):
    item = forum_item(organiser, forum)
    assert refused(services.move_stage, organiser, item, "options") == "reason_required"
    assert item.stage == "problem"
    services.move_stage(organiser, item, "options", "Хэлэлцүүлгийг өмнөх уулзалтаар хийсэн")
    assert refused(services.move_stage, organiser, item, "discussion", "  ") == "reason_required"
    services.move_stage(organiser, item, "discussion", "Шинэ нотолгоо гарсан")
    moves = [(e.before["stage"], e.after["stage"], e.reason) for e in _history(item)
             if e.action == "agenda.stage"]
    assert moves == [("problem", "options", "Хэлэлцүүлгийг өмнөх уулзалтаар хийсэн"),
                     ("options", "discussion", "Шинэ нотолгоо гарсан")]


def test_bad_moves_change_nothing(organiser, forum):
    item = forum_item(organiser, forum)
    assert refused(services.move_stage, organiser, item, "nonsense") == "bad_stage"
    assert refused(services.move_stage, organiser, item, "problem") == "unchanged"
    assert refused(services.move_stage, organiser, item, "voting", "яаралтай") \
        == "options_required"
    assert refused(services.move_stage, organiser, item, "decided", "яаралтай") \
        == "decision_required"
    stranger = factories.user(roles=["organiser"])
    assert refused(services.move_stage, stranger, item, "discussion") == "forbidden"
    assert item.stage == "problem" and len(_history(item)) == 1  # only "created"


def test_history_cannot_be_edited(organiser, forum):
    item = forum_item(organiser, forum)
    services.move_stage(organiser, item, "discussion")
    entry = _history(item)[-1]
    entry.reason = "өөрчилсөн"
    with pytest.raises(RuntimeError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(_history(item)[-1])
    with pytest.raises(RuntimeError):
        db.session.flush()
    db.session.rollback()


def test_once_votes_are_cast_the_ballot_is_sealed(organiser, forum):
    item = item_at(organiser, forum, "voting")
    voter = admitted(forum, organiser)
    services.cast_vote(item, voter.ticket.code, item.options[0].id)
    assert refused(services.move_stage, organiser, item, "options", "дахин") == "sealed"
    services.record_decision(organiser, item, {"text_mn": "Шийдвэр", "method": "vote",
                                               "option_ids": [item.options[0].id]})
    assert refused(services.move_stage, organiser, item, "voting", "дахин нээх") == "sealed"
    assert refused(services.add_option, organiser, item, {"title_mn": "Шинэ"}) == "options_fixed"


def test_contributions_record_speaker_kind_and_text(organiser, forum):
    item = item_at(organiser, forum, "discussion")
    said = services.add_contribution(organiser, item, {
        "speaker_name": "Д. Сараа", "stakeholder_kind": "ngo", "kind": "concern",
        "body": "Ангилан ялгах цэг алга."})
    assert (said.speaker_name, said.stakeholder_kind, said.kind) == ("Д. Сараа", "ngo",
                                                                      "concern")
    guest = admitted(forum, organiser, stakeholder_kind="business")
    sent = services.send_contribution(item, {"kind": "idea", "body": "Дахин боловсруулах"},
                                      ticket=guest.ticket.code)
    assert sent.speaker_name is None and sent.stakeholder_kind == "business"
    assert refused(services.add_contribution, organiser, item,
                 {"kind": "rant", "body": "x"}) == "bad_kind"
    assert refused(services.send_contribution, item, {"kind": "idea", "body": "x"},
                 ticket="DF1-" + "A" * 26) == "unknown_ticket"
    services.hide_contribution(organiser, sent, "Хувийн мэдээлэл")
    assert sent.hidden_at is not None and sent.hidden_reason == "Хувийн мэдээлэл"


def test_linked_issues_follow_the_item_and_their_followers_hear_of_it(organiser, forum):
    citizen = factories.user(name="Иргэн Төмөр")
    issue = factories.issue(citizen)
    follower = factories.user()
    follow_issue(follower, issue)
    item = forum_item(organiser, forum)
    services.link_issue(organiser, item, issue)
    assert issue.status == IssueStatus.ACCEPTED and issue.forum_event_id == forum.id
    assert refused(services.link_issue, organiser, item, issue) == "already_linked"
    services.move_stage(organiser, item, "discussion")
    assert issue.status == IssueStatus.DISCUSSED
    for option in ("А", "Б"):
        services.add_option(organiser, item, {"title_mn": option})
    services.record_decision(organiser, item, {"text_mn": "Зөвшилцсөн", "method": "consensus"},
                             reason="Санал хураалтгүйгээр зөвшилцөв")
    assert item.stage == "decided" and issue.status == IssueStatus.SOLUTION_AGREED
    notices = db.session.scalars(select(Notification).where(
        Notification.user_id == follower.id)).all()
    assert len(notices) >= 4  # under review, accepted, discussed, solution agreed


def test_a_declined_issue_cannot_be_taken_to_a_forum(organiser, forum):
    issue = factories.issue()
    move_issue(organiser, issue, "declined", "Давхардсан")
    item = forum_item(organiser, forum)
    assert refused(services.link_issue, organiser, item, issue) == "issue_not_open"


def test_decision_actions_and_progress_move_the_item_to_done(organiser, forum):
    item = item_at(organiser, forum, "decided")
    official = department_official()
    action = services.add_action(organiser, item.decision, {
        "title_mn": "Ангилах цэг байгуулах", "department_id": official.department_id,
        "lead_official_id": official.id, "due_on": date.today() + timedelta(days=30),
        "budget": 45_000_000, "indicator_mn": "10 цэг"})
    assert (action.status, action.percent) == ("planned", 0)
    other = department_official("education")
    assert refused(services.post_progress, other, action, "in_progress", 10) == "forbidden"
    services.post_progress(official, action, "in_progress", 40, note_mn="4 цэг бэлэн")
    assert (action.status, action.percent) == ("in_progress", 40)
    assert item.stage == "in_progress"
    assert refused(services.post_progress, official, action, "done", 80) == "bad_percent"
    services.post_progress(official, action, "done")
    assert (action.status, action.percent) == ("done", 100) and item.stage == "in_progress"
    services.move_stage(official, item, "done")  # the responsible official closes it
    assert item.stage == "done"
    what = [e.action for e in _history(action)]
    assert what == ["action.created", "action.progress", "action.progress"]
    assert [e.after["stage"] for e in _history(item) if e.action == "agenda.stage"][-2:] \
        == ["in_progress", "done"]


def test_an_action_plan_changes_only_with_a_reason_and_keeps_the_old_one(organiser, forum):
    item = item_at(organiser, forum, "decided")
    due = date(2026, 12, 31)
    values = {"title_mn": "Ажил", "department_id": factories.department().id, "due_on": due}
    action = services.add_action(organiser, item.decision, values)
    assert refused(services.update_action, organiser, action,
                 values | {"due_on": date(2027, 3, 1)}, "") == "reason_required"
    services.update_action(organiser, action, values | {"due_on": date(2027, 3, 1)},
                           "Төсөв хойшилсон")
    entry = _history(action)[-1]
    assert (entry.before, entry.after) == ({"due_on": "2026-12-31"}, {"due_on": "2027-03-01"})
    assert db.session.get(Action, action.id).due_on == date(2027, 3, 1)


def test_a_department_updates_many_actions_at_once(organiser, forum):
    item = item_at(organiser, forum, "decided")
    official = department_official()
    actions = [services.add_action(organiser, item.decision, {
        "title_mn": f"Ажил {n}", "department_id": official.department_id,
        "due_on": date(2027, 1, n)}) for n in (1, 2)]
    services.post_progress_many(official, actions, "in_progress", 25, note_mn="Эхэлсэн")
    assert [(a.status, a.percent) for a in actions] == [("in_progress", 25)] * 2
    assert item.stage == Stage.IN_PROGRESS


def test_a_revised_decision_keeps_its_first_text_in_the_history(organiser, forum):
    item = item_at(organiser, forum, "decided")
    decision = item.decision
    services.revise_decision(organiser, decision, {
        "text_mn": "Засварласан шийдвэр", "text_en": "Decision", "method": "vote",
        "option_ids": decision.option_ids}, "Үг үсгийн алдаа")
    entry = _history(decision)[-1]
    assert entry.before == {"text_mn": "Шийдвэр"} and entry.after == {
        "text_mn": "Засварласан шийдвэр"}


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 120, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_progress_keeps_its_evidence_photos_and_a_failed_update_keeps_none(organiser, forum):
    item = item_at(organiser, forum, "decided")
    official = department_official()
    action = services.add_action(organiser, item.decision, {
        "title_mn": "Сав байрлуулах", "department_id": official.department_id,
        "due_on": date(2027, 1, 1)})
    update = services.post_progress(official, action, "in_progress", 20, note_mn="Эхэлсэн",
                                    evidence_url="https://darkhan-uul.gov.mn/report",
                                    photos=[prepare_photo(_png(), "sav.png")])
    assert [(p.content_type, p.width) for p in update.photos] == [("image/png", 40)]
    assert photo_path(update.photos[0].filename).exists()
    assert refused(services.post_progress, official, action, "in_progress", 101,
                   photos=[prepare_photo(_png())]) == "bad_number"
    assert len(db.session.get(Action, action.id).updates) == 1


def test_only_a_published_city_forum_takes_citizen_issues(organiser):
    training = factories.event(organiser, kind="training")
    item = forum_item(organiser, training)
    assert refused(services.link_issue, organiser, item, factories.issue()) == "not_a_forum"
