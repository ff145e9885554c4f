"""Flags, the hide-at-three-flags rule, moderators' decisions and blocking, through the
services; e-mail goes through the outbox to the test SMTP server."""

import pytest
from sqlalchemy import func, select

from forum_app.accounts.services import authenticate
from forum_app.audit.models import AuditEvent
from forum_app.errors import DomainError
from forum_app.extensions import db
from forum_app.issues.models import HIDE_AT_FLAGS, Flag
from forum_app.moderation import services
from forum_app.notifications.models import Notification
from forum_app.notifications.services import deliver_pending
from tests import factories
from tests.support import mn

from .support import comment, delivered_to, issue


@pytest.fixture
def people(app):
    return {"author": factories.user("author@example.mn"),
            "moderator": factories.user("mod@example.mn", roles=["moderator"]),
            "flaggers": [factories.user(f"flagger{n}@example.mn") for n in range(4)]}


def _audit(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_three_flags_hide_an_issue_pending_review_and_tell_the_author(people, mail_inbox):
    target = issue(people["author"])
    first, second, third = people["flaggers"][:3]
    services.flag_content(first, "issue", target.id, "spam")
    services.flag_content(second, "issue", target.id, "offensive", "Хэт бүдүүлэг үг")
    db.session.refresh(target)
    assert target.flag_count == 2 and target.hidden_at is None  # two are not enough

    services.flag_content(third, "issue", target.id, "spam")
    db.session.refresh(target)
    assert HIDE_AT_FLAGS == 3
    assert target.flag_count == 3
    assert target.hidden_at is not None and target.hidden_reason == "flagged"
    [event] = _audit("moderation.auto_hidden")
    assert event.object_id == target.id and event.after == {"hidden": True, "flags": 3}

    [notice] = db.session.scalars(select(Notification).where(
        Notification.user_id == people["author"].id)).all()
    assert notice.kind == "moderation.hidden_pending" and notice.object_id == target.id
    deliver_pending()
    [mail] = delivered_to(mail_inbox, "author@example.mn")
    assert "Хогийн цэг халиж байна" in mail
    assert mn("Your issue is hidden until a moderator reviews it") in mail


def test_each_person_flags_once(people):
    target = issue(people["author"])
    flagger = people["flaggers"][0]
    services.flag_content(flagger, "issue", target.id, "spam")
    with pytest.raises(DomainError) as error:
        services.flag_content(flagger, "issue", target.id, "offensive")
    assert error.value.code == "already_flagged"
    db.session.refresh(target)
    assert target.flag_count == 1
    assert db.session.scalar(select(func.count(Flag.id))) == 1


def test_bad_flags_change_nothing(people):
    target = issue(people["author"])
    flagger = people["flaggers"][0]
    cases = [
        (people["author"], "issue", target.id, "spam", "own_content"),
        (flagger, "issue", target.id, "boring", "bad_reason"),
        (flagger, "photo", target.id, "spam", "bad_target"),
        (flagger, "issue", target.id + 999, "spam", "not_found"),
    ]
    for user, target_type, target_id, reason, code in cases:
        with pytest.raises(DomainError) as error:
            services.flag_content(user, target_type, target_id, reason)
        assert error.value.code == code
    db.session.refresh(target)
    assert target.flag_count == 0
    assert db.session.scalar(select(func.count(Flag.id))) == 0


def test_three_flags_hide_a_comment_but_not_its_issue(people):
    target_issue = issue(people["author"])
    reply = comment(target_issue, people["flaggers"][3], body="Та нар бүгд худалч!")
    for flagger in people["flaggers"][:3]:
        services.flag_content(flagger, "comment", reply.id, "offensive")
    db.session.refresh(reply)
    db.session.refresh(target_issue)
    assert reply.hidden_at is not None and reply.hidden_reason == "flagged"
    assert target_issue.hidden_at is None
    with pytest.raises(DomainError) as error:  # hidden: nothing left to report
        services.flag_content(people["author"], "comment", reply.id, "spam")
    assert error.value.code == "already_hidden"


def test_moderator_hides_with_a_reason_and_the_author_is_told(people, mail_inbox):
    target = issue(people["author"])
    services.flag_content(people["flaggers"][0], "issue", target.id, "personal_data")
    with pytest.raises(DomainError) as error:
        services.hide_content(people["moderator"], target, "   ")
    assert error.value.code == "reason_required"
    db.session.refresh(target)
    assert target.hidden_at is None

    services.hide_content(people["moderator"], target, "Хувь хүний утасны дугаар бичсэн.")
    db.session.refresh(target)
    assert target.hidden_at is not None
    assert target.hidden_reason == "Хувь хүний утасны дугаар бичсэн."
    assert db.session.scalar(select(func.count(Flag.id)).where(Flag.resolved_at.is_(None))) == 0
    [event] = _audit("moderation.hidden")
    assert event.actor_id == people["moderator"].id
    assert event.reason == "Хувь хүний утасны дугаар бичсэн."
    deliver_pending()
    [mail] = delivered_to(mail_inbox, "author@example.mn")
    assert "Хувь хүний утасны дугаар бичсэн." in mail

    with pytest.raises(DomainError) as error:
        services.hide_content(people["moderator"], target, "Дахин")
    assert error.value.code == "already_hidden"


def test_restore_with_a_reason_needs_three_new_flags_to_hide_again(people, mail_inbox):
    target = issue(people["author"])
    for flagger in people["flaggers"][:3]:
        services.flag_content(flagger, "issue", target.id, "spam")
    deliver_pending()
    mail_inbox.clear()

    with pytest.raises(DomainError):
        services.restore_content(people["moderator"], target, "")
    services.restore_content(people["moderator"], target, "Энэ бол жинхэнэ асуудал, спам биш.")
    db.session.refresh(target)
    assert target.hidden_at is None and target.hidden_reason is None
    assert target.flag_count == 0
    [event] = _audit("moderation.restored")
    assert event.before == {"hidden": True, "pending": True}
    assert event.reason == "Энэ бол жинхэнэ асуудал, спам биш."
    deliver_pending()
    [mail] = delivered_to(mail_inbox, "author@example.mn")
    assert "Энэ бол жинхэнэ асуудал, спам биш." in mail

    # The earlier flaggers have had their say; one new flag does not hide it again.
    with pytest.raises(DomainError):
        services.flag_content(people["flaggers"][0], "issue", target.id, "spam")
    services.flag_content(people["flaggers"][3], "issue", target.id, "spam")
    db.session.refresh(target)
    assert target.flag_count == 1 and target.hidden_at is None

    with pytest.raises(DomainError) as error:  # visible content with no open flag
        services.restore_content(people["moderator"], issue(people["author"]), "Яагаад")
    assert error.value.code == "not_hidden"


def test_keeping_reported_content_visible_does_not_alarm_the_author(people, mail_inbox):
    target = issue(people["author"])
    services.flag_content(people["flaggers"][0], "issue", target.id, "off_topic")
    services.restore_content(people["moderator"], target, "Сэдэвт хамаатай.")
    deliver_pending()
    assert mail_inbox.to("author@example.mn") == []
    assert db.session.scalar(select(func.count(Flag.id)).where(Flag.resolved_at.is_(None))) == 0


def test_only_moderators_decide(people):
    target = issue(people["author"])
    citizen = people["flaggers"][0]
    for call in (lambda: services.hide_content(citizen, target, "Муу"),
                 lambda: services.restore_content(citizen, target, "Сайн"),
                 lambda: services.block_user(citizen, people["author"], "Муу")):
        with pytest.raises(DomainError) as error:
            call()
        assert error.value.code == "forbidden"
    db.session.refresh(target)
    assert target.hidden_at is None and people["author"].blocked_at is None


def test_block_a_user_they_are_told_and_cannot_sign_in(people, mail_inbox):
    author = people["author"]
    with pytest.raises(DomainError) as error:
        services.block_user(people["moderator"], author, "")
    assert error.value.code == "reason_required"
    services.block_user(people["moderator"], author, "Дахин дахин доромжилсон.")
    db.session.refresh(author)
    assert author.blocked_at is not None
    with pytest.raises(DomainError) as error:
        authenticate("author@example.mn", factories.PASSWORD)
    assert error.value.code == "blocked"
    [event] = _audit("user.blocked")
    assert event.reason == "Дахин дахин доромжилсон." and event.actor_id == people["moderator"].id
    deliver_pending()
    [mail] = delivered_to(mail_inbox, "author@example.mn")
    assert "Дахин дахин доромжилсон." in mail

    with pytest.raises(DomainError) as error:
        services.block_user(people["moderator"], author, "Дахин")
    assert error.value.code == "already_blocked"


def test_a_moderator_cannot_block_an_administrator(people):
    admin = factories.user("admin@example.mn", roles=["admin"])
    with pytest.raises(DomainError) as error:
        services.block_user(people["moderator"], admin, "Туршилт")
    assert error.value.code == "forbidden"
    db.session.refresh(admin)
    assert admin.blocked_at is None
    assert db.session.scalar(select(func.count(Notification.id))) == 0  # nothing queued either


def test_hiding_and_restoring_a_comment_keeps_the_issues_comment_count_true(app):
    """The list shows how many visible comments an issue has."""
    from forum_app.issues.services import add_comment
    from forum_app.moderation.services import hide_content, restore_content

    moderator = factories.user(roles=["moderator"])
    author = factories.user()
    issue = factories.issue(author)
    comment = add_comment(author, issue, "Хогийн сав хэтэрхий цөөн байна.")
    add_comment(author, issue, "Бас нэг сэтгэгдэл.")
    db.session.refresh(issue)
    assert issue.comment_count == 2
    hide_content(moderator, comment, "Хувийн мэдээлэл")
    db.session.refresh(issue)
    assert issue.comment_count == 1
    restore_content(moderator, comment, "Засварласан")
    db.session.refresh(issue)
    assert issue.comment_count == 2
