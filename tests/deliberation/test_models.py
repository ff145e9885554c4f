"""What is true of the rows themselves: stage order, overdue in Darkhan's time, counts."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from forum_app.deliberation.models import (
    Action,
    AgendaItem,
    Ballot,
    Decision,
    ProgressUpdate,
    SolutionOption,
    move_kind,
    needs_reason,
    next_stage,
    vote_counts,
)
from forum_app.extensions import db
from forum_app.i18n import local_date
from tests import factories


def test_stage_order_and_which_moves_need_a_reason():
    assert next_stage("problem") == "discussion"
    assert next_stage("done") is None
    assert move_kind("options", "voting") == "next"
    assert move_kind("problem", "voting") == "skip"
    assert move_kind("decided", "voting") == "back"
    assert not needs_reason("voting", "decided")
    assert needs_reason("problem", "options") and needs_reason("voting", "options")


@pytest.fixture
def action(app):
    event = factories.event()
    item = AgendaItem(event_id=event.id, title_mn="Хог", title_en="Waste")
    db.session.add(item)
    db.session.flush()
    decision = Decision(agenda_item_id=item.id, text_mn="Шийдвэр", method="vote")
    db.session.add(decision)
    db.session.flush()
    action = Action(decision_id=decision.id, title_mn="Ажил", due_on=date(2026, 12, 1),
                    department_id=factories.department().id)
    db.session.add(action)
    db.session.commit()
    return action


# 2026-12-01 23:30 in Darkhan is 15:30 UTC; 00:30 on 12-02 there is 16:30 UTC on 12-01.
@pytest.mark.parametrize(("utc_now", "overdue"), [
    (datetime(2026, 11, 30, 15, 59), False),  # the day before, just before midnight
    (datetime(2026, 12, 1, 15, 59), False),  # the due day, 23:59 in Darkhan
    (datetime(2026, 12, 1, 16, 0), True),  # the day after, 00:00 in Darkhan (still 1 Dec UTC)
    (datetime(2026, 12, 2, 3, 0), True),
])
def test_overdue_is_read_on_darkhans_calendar(action, utc_now, overdue):
    today = local_date(utc_now)
    assert action.is_overdue(today) is overdue
    found = db.session.scalars(select(Action.id).where(Action.overdue_clause(today))).all()
    assert (action.id in found) is overdue


def test_status_and_percent_come_from_the_latest_update(action):
    assert (action.status, action.percent) == ("planned", 0)
    db.session.add_all([ProgressUpdate(action_id=action.id, status="in_progress", percent=40),
                        ProgressUpdate(action_id=action.id, status="done", percent=100)])
    db.session.commit()
    db.session.expire(action)
    assert (action.status, action.percent) == ("done", 100)
    assert not action.is_overdue(date(2027, 1, 1))
    assert db.session.scalar(select(Action.id).where(Action.status == "done")) == action.id


def test_a_progress_update_cannot_be_edited(action):
    update = ProgressUpdate(action_id=action.id, status="in_progress", percent=10)
    db.session.add(update)
    db.session.commit()
    update.percent = 90
    with pytest.raises(RuntimeError):
        db.session.flush()
    db.session.rollback()


def test_vote_counts_sum_the_ballot_box(action):
    item_id = action.decision.agenda_item_id
    first, second = (SolutionOption(agenda_item_id=item_id, title_mn=t) for t in ("А", "Б"))
    db.session.add_all([first, second])
    db.session.flush()
    db.session.add_all([Ballot(agenda_item_id=item_id, option_id=first.id),
                        Ballot(agenda_item_id=item_id, option_id=first.id),
                        Ballot(agenda_item_id=item_id, option_id=first.id, weight=-1),
                        Ballot(agenda_item_id=item_id, option_id=second.id)])
    db.session.commit()
    assert vote_counts(item_id) == {first.id: 1, second.id: 1}
    assert len({key for key in db.session.scalars(select(Ballot.key))}) == 4
