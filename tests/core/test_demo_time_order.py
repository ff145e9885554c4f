"""The demo's history happens in an order that makes sense, whatever the hour it is seeded
(issue 13: check-ins at 04:10 for a forum that opens at 08:00, people "registered" after they
were "confirmed", an issue raised in 2026 discussed at a 2023 forum). The demo is seeded as if
it were early morning, midday and late evening in Darkhan, and every rule is checked."""

from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import inspect, select

from forum_app.audit.models import AuditEvent
from forum_app.checkin.models import CheckIn
from forum_app.deliberation.models import AgendaItem
from forum_app.deliberation.models.agenda import AgendaItemIssue
from forum_app.demo import seed_all
from forum_app.events.models import Event
from forum_app.exhibitions.models import Exhibitor
from forum_app.extensions import db
from forum_app.feedback.models import Survey, SurveyResponse
from forum_app.i18n import local_date, local_to_utc, recorded_at, utcnow
from forum_app.issues.models import Comment, Flag, Issue, Support
from forum_app.registration.models import Registration

HOURS_IN_DARKHAN = (time(3, 5), time(12, 40), time(22, 30))


def _seeded_at(hour: time) -> datetime:
    now = local_to_utc(datetime.combine(local_date(utcnow()), hour))
    with recorded_at(now):
        seed_all()
    db.session.expire_all()
    return now


def _every_created_at() -> list[tuple[str, int, datetime]]:
    """(table, id, created_at) of every row that has a creation time."""
    rows = []
    for mapper in db.Model.registry.mappers:
        model = mapper.class_
        if "created_at" in mapper.columns and "id" in mapper.columns:
            rows += [(model.__tablename__, row_id, created) for row_id, created in
                     db.session.execute(select(model.id, model.created_at))]
    return rows


def _problems(now: datetime) -> list[str]:
    problems = [f"{table} {row_id} created {created} after now {now}"
                for table, row_id, created in _every_created_at() if created > now]

    for scan, event in db.session.execute(select(CheckIn, Event).join(Event)):
        if not event.starts_at <= scan.scanned_at <= min(event.ends_at, now):
            problems.append(f"check-in {scan.id} at {scan.scanned_at} outside {event.slug}'s "
                            f"hours {event.starts_at}-{event.ends_at}")
        registration = scan.ticket.registration if scan.ticket else None
        if registration and not registration.confirmed_at <= scan.scanned_at:
            problems.append(f"check-in {scan.id} before registration {registration.id} "
                            "was confirmed")

    for registration in db.session.scalars(select(Registration)):
        times = [registration.created_at, registration.confirmed_at or registration.created_at,
                 registration.event.starts_at]
        if times != sorted(times):
            problems.append(f"registration {registration.id}: created {times[0]}, confirmed "
                            f"{registration.confirmed_at}, event starts {times[2]}")
        if registration.user and registration.user.created_at > registration.created_at:
            problems.append(f"registration {registration.id} before its account existed")

    for link, issue, item in db.session.execute(
            select(AgendaItemIssue, Issue, AgendaItem)
            .join(Issue, Issue.id == AgendaItemIssue.issue_id)
            .join(AgendaItem, AgendaItem.id == AgendaItemIssue.agenda_item_id)):
        if not issue.created_at <= link.added_at <= item.event.starts_at:
            problems.append(f"issue {issue.id} raised {issue.created_at} linked "
                            f"{link.added_at} to a forum of {item.event.starts_at}")
    for issue in db.session.scalars(select(Issue).where(Issue.forum_event_id.is_not(None))):
        if issue.created_at > issue.forum_event.starts_at:
            problems.append(f"issue {issue.id} raised after its forum")

    for model in (Comment, Support, Flag):
        target = Flag.target_id if model is Flag else model.issue_id
        query = select(model, Issue).join(Issue, Issue.id == target)
        if model is Flag:
            query = query.where(Flag.target_type == "issue")
        for row, issue in db.session.execute(query):
            if row.created_at < issue.created_at:
                problems.append(f"{model.__tablename__} {row.id} before issue {issue.id}")
    for issue in db.session.scalars(select(Issue)):
        if issue.author and issue.author.created_at > issue.created_at:
            problems.append(f"issue {issue.id} raised before its author's account existed")

    history: dict[tuple[str, int], datetime] = {}
    for event in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
        key = (event.object_type, event.object_id)
        if event.created_at < history.get(key, event.created_at):
            problems.append(f"audit event {event.id} ({event.action}) goes back in time")
        history[key] = event.created_at

    for exhibitor in db.session.scalars(select(Exhibitor)):
        if exhibitor.decided_at and not (exhibitor.created_at <= exhibitor.decided_at
                                         <= exhibitor.event.starts_at):
            problems.append(f"exhibitor {exhibitor.id} decided out of order")
    for response, survey in db.session.execute(select(SurveyResponse, Survey).join(Survey)):
        if not survey.created_at <= survey.event.starts_at <= response.created_at:
            problems.append(f"survey response {response.id} before its event or survey")
    return problems


@pytest.mark.parametrize("hour", HOURS_IN_DARKHAN, ids=lambda hour: f"{hour:%H%M}-darkhan")
def test_demo_history_is_in_time_order(app, hour):
    now = _seeded_at(hour)
    assert _problems(now) == []
    # The rules above saw the history they judge (they cannot pass on an empty demo).
    assert db.session.scalar(select(CheckIn.id).limit(1)) is not None
    assert db.session.scalar(select(AgendaItemIssue.id).limit(1)) is not None
    assert db.session.scalar(select(Flag.id).limit(1)) is not None
    today = db.session.scalar(select(Event).where(Event.slug == "dcf-clean-water-today"))
    assert today.starts_at <= now <= today.ends_at  # the door and the vote work at once


def test_the_time_order_check_sees_a_check_in_before_the_doors_open(app):
    now = _seeded_at(HOURS_IN_DARKHAN[1])
    scan = db.session.scalar(select(CheckIn).order_by(CheckIn.id).limit(1))
    scan.scanned_at = db.session.get(Event, scan.event_id).starts_at - timedelta(hours=4)
    issue = db.session.scalar(select(Issue).join(
        AgendaItemIssue, AgendaItemIssue.issue_id == Issue.id).limit(1))
    issue.created_at = now - timedelta(days=1)
    db.session.flush()
    problems = _problems(now)
    assert any(f"check-in {scan.id} at" in p for p in problems), problems
    assert any(f"issue {issue.id} raised" in p for p in problems), problems
    assert inspect(scan).persistent
