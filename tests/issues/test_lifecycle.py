"""Status moves, official answers and the public timeline (forum_app.issues.lifecycle)."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from forum_app.audit.models import AuditEvent
from forum_app.errors import DomainError
from forum_app.extensions import db
from forum_app.issues import lifecycle
from forum_app.issues.models import Issue, OfficialAnswer
from forum_app.issues.queries import officials_queue
from forum_app.notifications.models import Notification, OutboxMessage
from tests import factories
from tests.issues import lifecycle_support as make
from tests.support import counted_queries


def audit_rows(issue):
    return db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "Issue", AuditEvent.object_id == issue.id)
        .order_by(AuditEvent.id)).all()


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_move_records_who_when_from_to_and_why(app):
    issue = make.issue(factories.user())
    secretariat = make.organiser()
    before = issue.updated_at
    lifecycle.move_issue(secretariat, issue, "under_review", "  Хэлэлцэхээр авлаа.  ")
    assert issue.status == "under_review" and issue.updated_at > before
    [row] = audit_rows(issue)
    assert (row.actor_id, row.action, row.before, row.reason) == (
        secretariat.id, "issue.status", {"status": "submitted"}, "Хэлэлцэхээр авлаа.")
    assert row.after["status"] == "under_review" and row.after["by"] == "secretariat"


def test_the_timeline_names_an_official_with_department_and_organisers_as_secretariat(app):
    issue = make.issue(factories.user())
    lifecycle.move_issue(make.organiser(name="Нууц Ажилтан"), issue, "under_review",
                         "Шалгаж байна")
    official = make.official(name="Оюунчимэг Алба")
    lifecycle.move_issue(official, issue, "declined", "Аймгийн эрх мэдэлд хамаарахгүй")
    submitted, review, declined = lifecycle.timeline(issue)
    assert submitted.kind == "submitted" and submitted.at == issue.created_at
    assert (review.secretariat, review.actor_name) == (True, None)  # the clerk stays unnamed
    assert (review.from_status, review.to_status) == ("submitted", "under_review")
    assert (declined.secretariat, declined.actor_name) == (False, "Оюунчимэг Алба")
    assert declined.actor_department.slug == "environment"
    assert declined.reason == "Аймгийн эрх мэдэлд хамаарахгүй"
    assert review.at <= declined.at


@pytest.mark.parametrize("reason", [None, "", "   \n "])
def test_every_move_needs_a_reason_and_nothing_changes_without_one(app, reason):
    author = factories.user()
    issue = make.issue(author)
    with pytest.raises(DomainError) as error:
        lifecycle.move_issue(make.organiser(), issue, "under_review", reason)
    assert (error.value.code, error.value.field) == ("reason_required", "reason")
    db.session.rollback()
    assert db.session.get(Issue, issue.id).status == "submitted"
    assert audit_rows(issue) == [] and count(Notification) == 0 and count(OutboxMessage) == 0


def test_only_the_allowed_moves_are_possible(app):
    issue = make.issue()
    organiser = make.organiser()
    assert [s.value for s in lifecycle.allowed_moves(issue)] == [
        "under_review", "merged", "declined"]
    for target, code in (("resolved", "bad_transition"), ("nonsense", "bad_status"),
                         ("submitted", "bad_transition")):
        with pytest.raises(DomainError) as error:
            lifecycle.move_issue(organiser, issue, target, "reason")
        assert error.value.code == code
    assert issue.status == "submitted" and audit_rows(issue) == []


def test_citizens_and_moderators_cannot_move_an_issue(app):
    issue = make.issue()
    for person in (factories.user(), factories.user(roles=["moderator"])):
        with pytest.raises(DomainError) as error:
            lifecycle.move_issue(person, issue, "under_review", "Би шалгая")
        assert error.value.code == "forbidden"
    assert issue.status == "submitted"


def test_accepting_needs_a_published_city_forum_session(app):
    issue = make.issue(status="under_review")
    organiser = make.organiser()
    with pytest.raises(DomainError) as error:
        lifecycle.move_issue(organiser, issue, "accepted", "Форумд")
    assert error.value.code == "forum_event_required"
    training = factories.event(organiser, kind="training")
    draft = factories.event(organiser, publish=False)
    for wrong in (training, draft):
        with pytest.raises(DomainError) as error:
            lifecycle.move_issue(organiser, issue, "accepted", "Форумд", forum_event=wrong)
        assert error.value.code == "bad_forum_event"
    forum = factories.event(organiser, title_mn="Тэг хаягдалтай Дархан форум")
    lifecycle.move_issue(organiser, issue, "accepted", "Дараагийн форумд", forum_event=forum)
    assert issue.forum_event_id == forum.id
    assert lifecycle.timeline(issue)[-1].forum_event.title_mn == "Тэг хаягдалтай Дархан форум"


def test_merging_needs_another_issue_that_is_not_merged_itself(app):
    organiser = make.organiser()
    duplicate, original, merged = make.issue(), make.issue(), make.issue(status="merged")
    cases = ((None, "merged_into_required"), (duplicate, "merged_into_self"),
             (merged, "bad_merged_into"))
    for target, code in cases:
        with pytest.raises(DomainError) as error:
            lifecycle.move_issue(organiser, duplicate, "merged", "Давхардсан", merged_into=target)
        assert error.value.code == code
    lifecycle.move_issue(organiser, duplicate, "merged", "Давхардсан", merged_into=original)
    assert (duplicate.status, duplicate.merged_into_id) == ("merged", original.id)
    assert lifecycle.timeline(duplicate)[-1].merged_into.id == original.id
    assert lifecycle.allowed_moves(duplicate) == []


def test_a_whole_journey_to_resolved_is_on_the_timeline_in_order(app):
    issue = make.issue(factories.user())
    organiser, official = make.organiser(), make.official()
    forum = factories.event(organiser)
    steps = [("under_review", None), ("accepted", forum), ("discussed", None),
             ("solution_agreed", None), ("in_implementation", None), ("resolved", None)]
    for status, forum_event in steps:
        actor = official if status in ("in_implementation", "resolved") else organiser
        lifecycle.move_issue(actor, issue, status, f"Алхам: {status}", forum_event=forum_event)
    entries = lifecycle.timeline(issue)
    assert [e.to_status for e in entries] == ["submitted"] + [s for s, _ in steps]
    assert [e.reason for e in entries[1:]] == [f"Алхам: {s}" for s, _ in steps]
    with pytest.raises(DomainError):
        lifecycle.move_issue(organiser, issue, "under_review", "Дахин")


def test_a_move_based_on_a_stale_page_is_refused(app):
    issue = make.issue()
    organiser = make.organiser()
    # Another organiser took it under review meanwhile; this one's copy still says "submitted".
    db.session.execute(update(Issue).where(Issue.id == issue.id).values(status="under_review")
                       .execution_options(synchronize_session=False))
    db.session.commit()
    set_committed_value(issue, "status", "submitted")
    with pytest.raises(DomainError) as error:
        lifecycle.move_issue(organiser, issue, "declined", "Давхардсан")
    assert error.value.code == "stale"
    db.session.rollback()
    assert db.session.get(Issue, issue.id).status == "under_review"
    assert audit_rows(issue) == []


def test_an_official_answers_for_the_department_in_one_or_both_languages(app):
    issue = make.issue(factories.user())
    official = make.official("water")
    answer = lifecycle.post_answer(official, issue, "  Шугам засагдана.  ", "")
    assert (answer.body_mn, answer.body_en) == ("Шугам засагдана.", None)
    assert answer.department.slug == "water" and answer.author_id == official.id
    both = lifecycle.post_answer(official, issue, "Засвар дууслаа.", "The repair is done.")
    assert both.body_en == "The repair is done."
    entries = [e for e in lifecycle.timeline(issue) if e.kind == "answer"]
    assert [e.answer.id for e in entries] == [answer.id, both.id]
    assert entries[0].actor_department.slug == "water"


def test_an_answer_needs_text_an_official_and_a_department(app):
    issue = make.issue()
    official = make.official()
    with pytest.raises(DomainError) as error:
        lifecycle.post_answer(official, issue, " ", None)
    assert error.value.code == "answer_required"
    homeless = factories.user(roles=["official"])
    with pytest.raises(DomainError) as error:
        lifecycle.post_answer(homeless, issue, "Хариу", None)
    assert error.value.code == "no_department"
    for person in (make.organiser(), factories.user()):
        with pytest.raises(DomainError) as error:
            lifecycle.post_answer(person, issue, "Хариу", None)
        assert error.value.code == "forbidden"
    merged = make.issue(status="merged")
    with pytest.raises(DomainError) as error:
        lifecycle.post_answer(official, merged, "Хариу", None)
    assert error.value.code == "merged"
    assert count(OfficialAnswer) == 0


def test_forwarding_to_a_department_needs_a_reason_and_is_on_the_timeline(app):
    issue = make.issue()
    organiser = make.organiser()
    water = factories.department("water")
    with pytest.raises(DomainError) as error:
        lifecycle.assign_department(organiser, issue, water, "")
    assert error.value.code == "reason_required" and issue.department_id is None
    lifecycle.assign_department(organiser, issue, water, "Ус сувгийн асуудал")
    assert issue.department_id == water.id
    entry = lifecycle.timeline(issue)[-1]
    assert (entry.kind, entry.department.slug, entry.reason) == (
        "department", "water", "Ус сувгийн асуудал")


def test_the_timeline_costs_the_same_queries_however_long_the_history(app):
    organiser = make.organiser()
    officials = [make.official(slug) for slug in ("water", "environment", "heating")]
    forums = [factories.event(organiser) for _ in range(3)]
    short, long = make.issue(), make.issue()

    def history(issue, rounds):
        for n in range(rounds):
            official = officials[n % 3]
            lifecycle.move_issue(official, issue, "under_review", "шалгая")
            lifecycle.move_issue(organiser, issue, "accepted", "форумд",
                                 forum_event=forums[n % 3])
            lifecycle.assign_department(organiser, issue, official.department, "тэнд")
            lifecycle.post_answer(official, issue, f"Хариу {n}", None)
            lifecycle.move_issue(official, issue, "declined", "болохгүй")

    history(short, 1)
    history(long, 6)

    def queries_for(issue):
        db.session.expire_all()
        issue = db.session.get(Issue, issue.id)
        with counted_queries() as statements:
            entries = lifecycle.timeline(issue)
            [(e.actor_name, e.actor_department, e.merged_into, e.forum_event, e.department)
             for e in entries]
        return len(entries), len(statements)

    short_entries, short_queries = queries_for(short)
    long_entries, long_queries = queries_for(long)
    assert (short_entries, long_entries) == (1 + 5, 1 + 30)
    assert long_queries == short_queries


def test_the_officials_queue_lists_old_unanswered_and_department_issues(app):
    official = make.official("water")
    old = make.issue(age_days=8, title="Ус тасарсан 8 хоног")
    make.issue(age_days=2, title="Шинэ асуудал")
    answered = make.issue(age_days=9, title="Хариулсан")
    lifecycle.post_answer(official, answered, "Хариулав", None)
    make.issue(age_days=30, status="declined", title="Татгалзсан")
    forwarded = make.issue(title="Усны шугам", department_id=factories.department("water").id)
    queue = officials_queue(factories.department("water").id)
    assert [i.id for i in queue["unanswered"]] == [old.id] and queue["unanswered_total"] == 1
    assert [i.id for i in queue["waiting"]] == [forwarded.id]
    lifecycle.post_answer(official, forwarded, "Засна", None)
    assert officials_queue(factories.department("water").id)["waiting"] == []
    assert officials_queue(None)["waiting"] == []
    # A week after "old" was filed, the answered one (filed a day earlier) still does not wait.
    later = officials_queue(None, now=old.created_at + timedelta(days=8))["unanswered"]
    assert answered not in later and old in later
