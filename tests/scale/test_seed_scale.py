"""`flask seed-scale`: realistic data in bulk on top of the demo data, once, never in
production; the rows it writes obey the same rules as the ones the services write."""

import re
from datetime import timedelta

from sqlalchemy import func, select

from forum_app.checkin.models import CheckIn, CheckInResult
from forum_app.deliberation.models import Action, AgendaItemIssue, Decision, ProgressUpdate
from forum_app.events.models import Event
from forum_app.extensions import db
from forum_app.issues.models import Issue, OfficialAnswer
from forum_app.registration.models import Registration, RegistrationState, Ticket
from forum_app.registration.services import RegistrationInput
from forum_app.scale.events import BIG_SLUG
from tests.registration.support import register_confirmed

SMALL = ["seed-scale", "--registrations", "600", "--issues", "200", "--checkins", "900"]


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_refused_in_production(app_factory):
    app = app_factory(FORUM_ENV="production")
    with app.app_context():
        result = app.test_cli_runner().invoke(args=SMALL)
        assert result.exit_code != 0 and "refused" in result.output
        assert _count(Registration) == 0


def test_builds_realistic_data_once_on_top_of_the_demo(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    demo = {model: _count(model) for model in (CheckIn, Issue)}
    result = runner.invoke(args=SMALL)
    assert result.exit_code == 0, result.output
    assert "demo users created" in result.output  # the demo data is there first
    big = db.session.scalar(select(Event).where(Event.slug == BIG_SLUG))
    scale = (Registration.email.like("%@scale.forum.mn"),)
    assert _count(Registration, *scale) == 600
    assert _count(Registration, Registration.event_id == big.id) >= 0.75 * 600
    assert (_count(CheckIn), _count(Issue)) == (demo[CheckIn] + 900, demo[Issue] + 200)

    names = db.session.scalars(select(Registration.name).where(*scale)).all()
    assert all(re.fullmatch(r"[А-ЯӨҮ]\. [А-ЯӨҮа-яөүё-]+", name) for name in names)
    for column in (Registration.gender, Registration.age_band, Registration.district_id,
                   Registration.stakeholder_kind):
        assert _count(select(column).where(*scale).distinct().subquery()) >= 3
    years = {moment.year for moment in db.session.scalars(select(Issue.created_at))}
    assert {2023, 2024, 2025, 2026} <= years
    assert _count(select(Issue.status).distinct().subquery()) >= 8
    assert _count(OfficialAnswer) > 0 and _count(Decision) > 0 and _count(Action) > 0
    assert _count(ProgressUpdate) > 0 and _count(AgendaItemIssue) > 0

    # seats, tickets and admissions hold as if the services had made them
    for event in db.session.scalars(select(Event)):
        confirmed = _count(Registration, Registration.event_id == event.id,
                           Registration.state == RegistrationState.CONFIRMED.value)
        assert event.confirmed_count == confirmed
        assert event.capacity is None or confirmed <= event.capacity
    assert _count(Ticket) == _count(Registration, Registration.state == "confirmed")
    admitted = select(CheckIn.ticket_id, CheckIn.scope).where(
        CheckIn.result == CheckInResult.ADMITTED.value)
    assert _count(admitted.subquery()) == _count(admitted.distinct().subquery())

    # the ids the bulk inserts chose do not collide with the next ordinary row
    made, _token = register_confirmed(big, RegistrationInput(
        name="Шинэ Оролцогч", email="new@example.mn", consent=True),
        now=big.starts_at - timedelta(days=1))
    assert made.state == "confirmed" and made.ticket is not None
    assert made.id > max(db.session.scalars(select(Registration.id).where(
        Registration.id != made.id)))

    again = runner.invoke(args=SMALL)
    assert again.exit_code == 0 and "already there" in again.output
    assert _count(Registration, *scale) == 600
