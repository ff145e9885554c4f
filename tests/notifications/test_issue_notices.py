"""Authors and followers hear of status changes and official answers: in the app, and by
e-mail over SMTP at once or in a daily digest, as each person chose."""

from sqlalchemy import func, select

from forum_app.extensions import db
from forum_app.issues import lifecycle
from forum_app.issues.notices import send_daily_digests
from forum_app.notifications.models import Notification, NotificationPreference, OutboxMessage
from forum_app.notifications.services import deliver_pending
from tests import factories
from tests.issues import lifecycle_support as make


def notices(user) -> list[Notification]:
    return db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                              .order_by(Notification.id)).all()


def prefer(user, email="immediate", in_app=True) -> None:
    db.session.add(NotificationPreference(user_id=user.id, email=email, in_app=in_app))
    db.session.commit()


def body_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def test_author_and_followers_hear_of_a_move_but_not_the_one_who_made_it(app, mail_inbox):
    author = factories.user("bat@example.mn", name="Батбаяр")
    follower = factories.user("saraa@example.mn", language="en", name="Saraa")
    organiser = make.organiser(email="clerk@example.mn")
    issue = make.issue(author, title="Хогийн сав дүүрсэн")
    make.follow(follower, issue)
    make.follow(organiser, issue)
    lifecycle.move_issue(organiser, issue, "under_review", "Хэлтэст шилжүүлэв")
    assert [n.kind for n in notices(author)] == ["issue.status_changed"]
    assert [n.kind for n in notices(follower)] == ["issue.status_changed"]
    assert notices(organiser) == []

    assert deliver_pending() == {"sent": 2, "failed": 0}
    [mongolian] = mail_inbox.to("bat@example.mn")
    [english] = mail_inbox.to("saraa@example.mn")
    assert mail_inbox.to("clerk@example.mn") == []
    assert english["Subject"] == "Issue “Хогийн сав дүүрсэн”: Under review"
    body = body_of(english)
    assert "changed from “Submitted” to “Under review”" in body
    assert "Why: Хэлтэст шилжүүлэв" in body
    assert f"/issues/{issue.id}" in body
    assert body_of(mongolian).startswith("Сайн байна уу, Батбаяр")
    languages = {row.recipient: row.language for row in db.session.execute(
        select(OutboxMessage.recipient, OutboxMessage.language))}
    assert languages == {"bat@example.mn": "mn", "saraa@example.mn": "en"}
    assert all(n.emailed_at is not None for n in notices(author) + notices(follower))


def test_a_merge_mail_links_the_issue_it_continues_as(app, mail_inbox):
    author = factories.user("bat@example.mn", language="en")
    duplicate, original = make.issue(author), make.issue()
    lifecycle.move_issue(make.organiser(), duplicate, "merged", "Same problem",
                         merged_into=original)
    deliver_pending()
    [message] = mail_inbox.to("bat@example.mn")
    assert "It continues as another issue: http" in body_of(message)
    assert f"/issues/{original.id}" in \
        body_of(message)


def test_an_acceptance_mail_names_and_links_the_forum_session(app, mail_inbox):
    author = factories.user("bat@example.mn", language="en")
    organiser = make.organiser()
    forum = factories.event(organiser, title_en="Darkhan City Forum: Green Darkhan 2032")
    issue = make.issue(author, status="under_review")
    lifecycle.move_issue(organiser, issue, "accepted", "On the agenda", forum_event=forum)
    deliver_pending()
    body = body_of(mail_inbox.to("bat@example.mn")[0])
    assert "It will be discussed at: Darkhan City Forum: Green Darkhan 2032" in body
    assert f"/events/{forum.slug}" in body


def test_an_answer_reaches_people_in_their_language(app, mail_inbox):
    mongolian = factories.user("bat@example.mn")
    english = factories.user("saraa@example.mn", language="en")
    issue = make.issue(mongolian)
    make.follow(english, issue)
    lifecycle.post_answer(make.official("water"), issue, "Шугамыг 5 сард солино.",
                          "The pipe will be replaced in May.")
    deliver_pending()
    [to_english] = mail_inbox.to("saraa@example.mn")
    assert to_english["Subject"].startswith("Water Supply and Sewage Authority answered")
    assert "The pipe will be replaced in May." in body_of(to_english)
    [to_mongolian] = mail_inbox.to("bat@example.mn")
    assert "Шугамыг 5 сард солино." in body_of(to_mongolian)
    assert "Ус сувгийн удирдах газар" in to_mongolian["Subject"]
    assert [n.kind for n in notices(english)] == ["issue.answered"]


def test_the_mail_is_written_with_the_move_or_not_at_all(app):
    author = factories.user()
    issue = make.issue(author)
    try:
        lifecycle.move_issue(make.organiser(), issue, "under_review", " ")
    except Exception:  # noqa: BLE001 - the missing reason is the point
        db.session.rollback()
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0
    lifecycle.move_issue(make.organiser(), issue, "under_review", "Шалгая")
    outbox = db.session.scalars(select(OutboxMessage)).all()
    assert [m.recipient for m in outbox] == [author.email]  # committed with the move


def test_each_person_chooses_their_channels(app, mail_inbox):
    people = {
        "quiet@example.mn": ("off", True),
        "mail-only@example.mn": ("immediate", False),
        "daily@example.mn": ("daily", True),
        "daily-mail-only@example.mn": ("daily", False),
    }
    issue = make.issue()
    users = {}
    for email, (choice, in_app) in people.items():
        users[email] = factories.user(email)
        prefer(users[email], choice, in_app)
        make.follow(users[email], issue)
    lifecycle.move_issue(make.organiser(), issue, "under_review", "Шалгая")
    assert deliver_pending()["sent"] == 1
    assert [m["To"] for m in mail_inbox.messages] == ["mail-only@example.mn"]
    assert notices(users["mail-only@example.mn"]) == []
    [quiet] = notices(users["quiet@example.mn"])
    assert quiet.read_at is None and quiet.emailed_at is None
    [daily] = notices(users["daily@example.mn"])
    assert daily.read_at is None and daily.emailed_at is None
    [silent] = notices(users["daily-mail-only@example.mn"])
    assert silent.read_at is not None  # kept for the digest only; never "unread" in the app


def test_the_daily_digest_sends_one_mail_per_person_once(app, mail_inbox):
    daily = factories.user("daily@example.mn", language="en")
    prefer(daily, "daily")
    quiet = factories.user("quiet@example.mn")
    prefer(quiet, "off")
    first, second = make.issue(daily, title="Гудамжны гэрэл"), make.issue(title="Ус тасарсан")
    make.follow(daily, second)
    make.follow(quiet, second)
    organiser, official = make.organiser(), make.official("water")
    lifecycle.move_issue(organiser, first, "under_review", "Checking the street lights")
    lifecycle.post_answer(official, second, None, "Water is back on Friday.")
    assert deliver_pending()["sent"] == 0  # nobody here wants mail at once

    result = app.test_cli_runner().invoke(args=["send-digests"])
    assert result.exit_code == 0 and "queued 1 digest" in result.output
    assert deliver_pending() == {"sent": 1, "failed": 0}
    [digest] = mail_inbox.to("daily@example.mn")
    assert digest["Subject"] == "Darkhan City Forum: 2 updates today"
    body = body_of(digest)
    assert "Гудамжны гэрэл" in body and "Ус тасарсан" in body
    assert "Why: Checking the street lights" in body
    assert "Water Supply and Sewage Authority published an answer." in body
    assert mail_inbox.to("quiet@example.mn") == []

    assert send_daily_digests() == 0  # nothing new: no second mail
    lifecycle.move_issue(organiser, first, "declined", "Not ours")
    assert send_daily_digests() == 1


def test_blocked_people_are_not_told(app, mail_inbox):
    from forum_app.accounts.services import set_blocked

    author = factories.user("bat@example.mn")
    issue = make.issue(author)
    set_blocked(factories.user(roles=["admin"]), author, True, "spam")
    lifecycle.move_issue(make.organiser(), issue, "under_review", "Шалгая")
    deliver_pending()
    assert notices(author) == [] and mail_inbox.to("bat@example.mn") == []
