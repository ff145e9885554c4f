"""Finding 5, the rest: when an issue or a comment is hidden (by reports or by a moderator),
its author is told why and may appeal once per hiding; the appeal waits in the moderators'
queue; the moderator restores or keeps it hidden with a reason, and the author is told."""

from sqlalchemy import func, select

from forum_app.audit.models import AuditEvent
from forum_app.extensions import db
from forum_app.moderation.models import Appeal
from forum_app.moderation.services import ALREADY_APPEALED
from tests import factories
from tests.conftest import AuthActions
from tests.moderation.support import comment, delivered_to, issue
from tests.support import mn, text_of

TITLE = "Хогийн цэг халиж байна"


def signed_in(app, email: str):
    client = app.test_client()
    AuthActions(client).login(email)
    return client


def hidden_by_three_reports(app, target) -> None:
    for n in range(3):
        factories.user(f"neighbour{n}@example.mn", verified=True)
        signed_in(app, f"neighbour{n}@example.mn").post(
            f"/moderation/flag/issue/{target.id}", data={"reason": "spam", "note": ""})


def appeal_count() -> int:
    return db.session.scalar(select(func.count(Appeal.id)))


def test_reported_issue_author_told_appeals_and_the_moderator_restores_it(app, client,
                                                                         mail_inbox):
    author = factories.user("author@example.mn", name="Бат Зохиогч")
    factories.user("mod@example.mn", roles=["moderator"], name="Ганбат Модератор")
    target = issue(author, title=TITLE)
    hidden_by_three_reports(app, target)
    assert client.get(f"/issues/{target.id}").status_code == 404

    # Told by mail, in Mongolian, with the link to appeal; and on the notifications page.
    [mail] = delivered_to(mail_inbox, "author@example.mn")
    appeal_url = f"/moderation/appeal/issue/{target.id}"
    assert mn("Your issue is hidden until a moderator reviews it") in mail
    assert appeal_url in mail
    me = signed_in(app, "author@example.mn")
    notices = text_of(me.get("/notifications/"))
    assert mn("Your %(what)s is hidden until the moderators review the reports about it.",
              what=mn("issue")) in notices

    # The author still sees the issue, marked hidden, with the appeal form.
    page = text_of(me.get(f"/issues/{target.id}"))
    assert TITLE in page
    assert mn("Several people reported this, so it is hidden from the public until a "
              "moderator reviews it.") in page
    assert mn("Send the appeal") in page

    empty = me.post(appeal_url, data={"text": "  "})
    assert empty.status_code == 422
    assert mn("Please tell the moderators why it should be shown.") in text_of(empty)
    assert appeal_count() == 0

    sent = me.post(appeal_url, data={"text": "Энэ бол жинхэнэ асуудал, зар биш."})
    assert sent.status_code == 302
    page = text_of(me.get(f"/issues/{target.id}"))
    assert "Энэ бол жинхэнэ асуудал, зар биш." in page
    assert mn("Send the appeal") not in page

    # Once per hiding: a second appeal is refused with a clear message and changes nothing.
    again = me.post(appeal_url, data={"text": "Дахин хүсье."})
    assert again.status_code == 422
    assert mn(str(ALREADY_APPEALED)) in text_of(again)
    assert appeal_count() == 1

    # The moderators' queue shows it as an appeal, with the author's words.
    moderator = signed_in(app, "mod@example.mn")
    queue = text_of(moderator.get("/moderation/"))
    assert mn("The author asks for it to be shown again:") in queue
    assert "Энэ бол жинхэнэ асуудал, зар биш." in queue

    mail_inbox.clear()
    restored = moderator.post(f"/moderation/issue/{target.id}/restore",
                              data={"reason": "Зар биш, иргэний бодит асуудал."})
    assert restored.status_code == 302
    assert client.get(f"/issues/{target.id}").status_code == 200
    [result] = delivered_to(mail_inbox, "author@example.mn")
    assert mn("Your issue is visible again") in result
    assert "Зар биш, иргэний бодит асуудал." in result
    assert "Энэ бол жинхэнэ асуудал" not in text_of(moderator.get("/moderation/"))

    # Every step is in the moderation history.
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "Issue", AuditEvent.object_id == target.id)
        .order_by(AuditEvent.id)).all()
    assert actions == ["moderation.auto_hidden", "moderation.appealed", "moderation.restored"]
    history = text_of(moderator.get(f"/moderation/issue/{target.id}"))
    assert mn("appealed by the author") in history
    assert mn("answering the appeal") in history


def test_nobody_else_can_see_or_appeal_a_hidden_issue(app, client):
    author = factories.user("author@example.mn")
    factories.user("other@example.mn")
    target = issue(author, title=TITLE)
    hidden_by_three_reports(app, target)
    appeal_url = f"/moderation/appeal/issue/{target.id}"

    other = signed_in(app, "other@example.mn")
    assert other.get(appeal_url).status_code == 404
    assert other.post(appeal_url, data={"text": "Нээгээч."}).status_code == 404
    assert other.get(f"/issues/{target.id}").status_code == 404
    anonymous = client.post(appeal_url, data={"text": "Нээгээч."})
    assert anonymous.status_code == 302 and "/account/login" in anonymous.location
    assert appeal_count() == 0


def test_a_moderator_hides_a_comment_the_appeal_is_refused_with_a_reason(app, mail_inbox):
    author = factories.user("author@example.mn")
    factories.user("mod@example.mn", roles=["moderator"])
    remark = comment(issue(author, title=TITLE), author, body="Дарга нар юу ч хийдэггүй.")
    moderator = signed_in(app, "mod@example.mn")
    moderator.post(f"/moderation/comment/{remark.id}/hide",
                   data={"reason": "Хувь хүнийг доромжилсон."})

    [mail] = delivered_to(mail_inbox, "author@example.mn")
    assert "Хувь хүнийг доромжилсон." in mail
    appeal_url = f"/moderation/appeal/comment/{remark.id}"
    assert appeal_url in mail

    me = signed_in(app, "author@example.mn")
    issue_page = text_of(me.get(f"/issues/{remark.issue_id}"))
    assert mn("Why it is hidden, and how to appeal") in issue_page
    page = text_of(me.get(appeal_url))
    assert "Хувь хүнийг доромжилсон." in page and "Дарга нар юу ч хийдэггүй." in page
    assert me.post(appeal_url, data={"text": "Хэнийг ч нэрлээгүй."}).status_code == 302

    item = text_of(moderator.get(f"/moderation/comment/{remark.id}"))
    assert "Хэнийг ч нэрлээгүй." in item and mn("Keep it hidden") in item
    mail_inbox.clear()
    kept = moderator.post(f"/moderation/comment/{remark.id}/hide",
                          data={"reason": "Албан тушаалтныг доромжилсон хэвээр."})
    assert kept.status_code == 302

    [result] = delivered_to(mail_inbox, "author@example.mn")
    assert mn("Your appeal was reviewed: your comment stays hidden") in result
    assert "Албан тушаалтныг доромжилсон хэвээр." in result
    page = text_of(me.get(appeal_url))
    assert "Албан тушаалтныг доромжилсон хэвээр." in page
    again = me.post(appeal_url, data={"text": "Дахин."})
    assert again.status_code == 422 and mn(str(ALREADY_APPEALED)) in text_of(again)
    assert "Хэнийг ч нэрлээгүй." not in text_of(moderator.get("/moderation/"))  # decided
