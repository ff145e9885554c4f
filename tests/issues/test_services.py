"""Submitting, supporting, following and commenting, through the services."""

import io

import pytest
from PIL import Image
from sqlalchemy import select

from forum_app.audit.models import AuditEvent
from forum_app.errors import DomainError
from forum_app.extensions import db
from forum_app.i18n import utcnow
from forum_app.issues import services
from forum_app.issues.models import Comment, Follow, Issue, IssueStatus, Support
from forum_app.issues.photos import photo_path, prepare_photo
from tests import factories
from tests.issues.support import jpeg_with_gps, stored_files


def values(**overrides) -> dict:
    return {"title": "Хогийн цэг дүүрсэн", "description": "Гурав хоног ачаагүй байна.",
            "category_id": factories.category().id, "district_id": None, "sdgs": [11, 12],
            "anonymous": False} | overrides


def test_a_citizen_submits_an_issue_with_a_photo_and_its_gps_is_gone(app, upload_folder):
    citizen = factories.user()
    issue = services.submit_issue(citizen, values(
        district_id=factories.district("orkhon").id, place_description="  Автобусны буудал  "),
        [prepare_photo(jpeg_with_gps(), "IMG_2024.jpg")])
    issue = db.session.get(Issue, issue.id)
    assert issue.status == IssueStatus.SUBMITTED and issue.channel == "web"
    assert issue.author_id == citizen.id and issue.entered_by_id is None
    assert issue.sdgs == [11, 12] and issue.place_description == "Автобусны буудал"
    [photo] = issue.photos
    assert photo.filename.endswith(".jpg") and "IMG_2024" not in photo.filename
    assert len(photo.filename) == 32 + 4
    on_disk = photo_path(photo.filename)
    assert on_disk.parent == upload_folder / "issues"
    assert len(Image.open(io.BytesIO(on_disk.read_bytes())).getexif()) == 0
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.object_type == "Issue"))
    assert (event.action, event.actor_id, event.after["status"]) == (
        "issue.submitted", citizen.id, "submitted")


@pytest.mark.parametrize(("overrides", "field"), [
    ({"title": "abc"}, "title"),
    ({"description": "   "}, "description"),
    ({"category_id": 999999}, "category_id"),
    ({"district_id": 999999}, "district_id"),
    ({"sdgs": [18]}, "sdgs"),
])
def test_bad_values_change_nothing(app, upload_folder, overrides, field):
    citizen = factories.user()
    with pytest.raises(DomainError) as error:
        services.submit_issue(citizen, values(**overrides),
                              [prepare_photo(jpeg_with_gps(), "a.jpg")])
    assert error.value.field == field
    assert db.session.scalar(select(Issue.id)) is None
    assert stored_files(upload_folder) == []


def test_an_inactive_category_is_not_offered(app):
    category = factories.category("other")
    category.active = False
    db.session.commit()
    with pytest.raises(DomainError):
        services.submit_issue(factories.user(), values(category_id=category.id))


def test_staff_enter_an_issue_received_on_paper(app):
    organiser = factories.user(roles=["organiser"])
    issue = services.submit_issue(None, values(), channel="paper", entered_by=organiser,
                                  contact_name="Дорж", contact_phone="99112233")
    assert (issue.channel, issue.author_id, issue.entered_by_id) == ("paper", None,
                                                                     organiser.id)
    assert issue.contact_name == "Дорж"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.object_type == "Issue",
                                                       AuditEvent.object_id == issue.id))
    assert event.actor_id == organiser.id and event.after["channel"] == "paper"


def test_a_citizen_cannot_pretend_to_be_staff(app):
    citizen = factories.user()
    with pytest.raises(DomainError) as error:
        services.submit_issue(citizen, values(), channel="phone", entered_by=citizen)
    assert error.value.code == "staff_only"
    with pytest.raises(DomainError):
        services.submit_issue(None, values())  # the web needs a signed-in author


def test_one_support_per_person_and_it_can_be_withdrawn(app):
    issue = factories.issue()
    first, second = factories.user(), factories.user()
    assert services.support_issue(first, issue) is True
    assert services.support_issue(first, issue) is False
    services.support_issue(second, issue)
    assert db.session.get(Issue, issue.id).support_count == 2
    assert services.support_and_follow(first, issue) == (True, False)
    assert services.withdraw_support(first, issue) is True
    assert services.support_and_follow(first, issue) == (False, False)
    assert services.support_and_follow(second, issue) == (True, False)
    assert services.withdraw_support(first, issue) is False
    assert db.session.get(Issue, issue.id).support_count == 1
    assert db.session.scalar(select(Support.user_id)) == second.id


def test_a_hidden_or_merged_issue_takes_no_support(app):
    hidden, merged, target = factories.issue(), factories.issue(), factories.issue()
    hidden.hidden_at = utcnow()
    merged.status, merged.merged_into_id = IssueStatus.MERGED.value, target.id
    db.session.commit()
    person = factories.user()
    for issue, code in ((hidden, "issue_hidden"), (merged, "issue_merged")):
        with pytest.raises(DomainError) as error:
            services.support_issue(person, issue)
        assert error.value.code == code
    assert db.session.scalar(select(Support.id)) is None


def test_follow_and_unfollow(app):
    issue, person = factories.issue(), factories.user()
    assert services.follow_issue(person, issue) and not services.follow_issue(person, issue)
    assert services.support_and_follow(person, issue) == (False, True)
    assert services.support_and_follow(factories.user(), issue) == (False, False)
    assert db.session.query(Follow).count() == 1
    assert services.unfollow_issue(person, issue)
    assert services.support_and_follow(person, issue) == (False, False)


def test_comments_with_replies_one_level_deep(app):
    issue, alice, bold = factories.issue(), factories.user(), factories.user()
    top = services.add_comment(alice, issue, "  Манай байранд ч ийм байна.  ")
    reply = services.add_comment(bold, issue, "Хэзээнээс?", parent=top)
    reply_to_reply = services.add_comment(alice, issue, "Өнгөрсөн сараас.", parent=reply)
    assert top.body == "Манай байранд ч ийм байна."
    assert reply.parent_id == top.id
    assert reply_to_reply.parent_id == top.id  # joins the same conversation, not deeper
    issue = db.session.get(Issue, issue.id)
    assert issue.comment_count == 3


def test_comment_rules(app):
    issue, other, person = factories.issue(), factories.issue(), factories.user()
    elsewhere = services.add_comment(person, other, "Өөр асуудал дээр.")
    with pytest.raises(DomainError) as error:
        services.add_comment(person, issue, "   ")
    assert error.value.field == "body"
    with pytest.raises(DomainError):
        services.add_comment(person, issue, "x" * 2001)
    with pytest.raises(DomainError) as error:
        services.add_comment(person, issue, "Хариу", parent=elsewhere)
    assert error.value.code == "bad_parent"
    elsewhere.hidden_at = utcnow()
    db.session.commit()
    with pytest.raises(DomainError) as error:
        services.add_comment(person, other, "Хариу", parent=elsewhere)
    assert error.value.code == "parent_hidden"
    assert db.session.query(Comment).count() == 1


def test_demo_issues_cover_every_status_and_are_seeded_once(app):
    from forum_app.accounts.demo import seed_users
    from forum_app.events.demo import seed_events
    from forum_app.issues.demo import DEMO_ISSUES, seed_issues

    seed_users()
    seed_events()
    assert seed_issues() == len(DEMO_ISSUES)
    assert seed_issues() == 0
    statuses = {status for (status,) in db.session.execute(select(Issue.status))}
    assert statuses == {status.value for status in IssueStatus}
    answered = db.session.scalar(select(Issue).where(Issue.status == "answered"))
    assert answered.answers and answered.support_count > 0
    assert db.session.query(Comment).filter(Comment.parent_id.isnot(None)).count() >= 3
