"""The demo forum record a new user meets: the programme's forums as whole journeys, actions
at every status with one overdue, and today's forum open for voting with a demo ticket."""

import pytest
from sqlalchemy import func, select

from forum_app.accounts.services import find_user_by_email
from forum_app.checkin.services import check_in
from forum_app.deliberation import services
from forum_app.deliberation.models import Action, AgendaItem, BallotReceipt, vote_counts
from forum_app.events.models import Event
from forum_app.extensions import db
from forum_app.i18n import local_date, utcnow
from forum_app.registration.models import Registration


@pytest.fixture
def demo(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return app


def _item(slug: str, title_en: str) -> AgendaItem:
    return db.session.scalar(select(AgendaItem).join(Event).where(
        Event.slug == slug, AgendaItem.title_en == title_en))


def test_the_programmes_forums_are_whole_journeys_in_both_languages(demo):
    zero = _item("dcf-zero-waste-darkhan-2023", "Household waste is not sorted")
    bullying = _item("dcf-no-bullying-2023", "Bullying at school and too few psychologists")
    budget = _item("dcf-budget-forum-2023", "Watering newly planted trees")
    assert (zero.stage, bullying.stage, budget.stage) == ("in_progress", "done", "in_progress")
    assert zero.issue_ids and len(bullying.issue_ids) == 2 and budget.issue_ids
    assert all(item.title_mn and item.decision.text_mn and item.decision.text_en
               for item in (zero, bullying, budget))
    assert sum(vote_counts(zero.id).values()) == db.session.scalar(select(func.count(
        BallotReceipt.id)).where(BallotReceipt.agenda_item_id == zero.id)) == 13
    assert bullying.decision.method == "consensus" and bullying.decision.dissent_mn

    today = local_date(utcnow())
    actions = db.session.scalars(select(Action)).all()
    assert {a.status for a in actions} == {"planned", "in_progress", "done", "cancelled"}
    assert any(a.is_overdue(today) for a in actions)
    assert any(0 < a.percent < 100 for a in actions)


def test_the_demo_is_recorded_once(demo):
    before = db.session.scalar(select(func.count(AgendaItem.id)))
    assert demo.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    assert db.session.scalar(select(func.count(AgendaItem.id))) == before == 5


def test_todays_forum_votes_and_the_demo_citizen_can_vote_after_the_door(demo):
    item = _item("dcf-clean-water-today", "Weak water pressure in the evening")
    assert item.stage == "voting" and sum(vote_counts(item.id).values()) == 5
    citizen = find_user_by_email("citizen@demo.forum.mn")
    registration = db.session.scalar(select(Registration).where(
        Registration.event_id == item.event_id, Registration.user_id == citizen.id))
    organiser = find_user_by_email("organiser@demo.forum.mn")
    check_in(registration.ticket.code, event=item.event, device=None, staff=organiser,
             nonce="test-demo-citizen")  # already in, or admitted now: either way present
    assert services.cast_vote(item, registration.ticket.code, item.options[0].id).accepted
