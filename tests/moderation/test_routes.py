"""Reporting through the pages, the moderators' queue and decisions, access and rate limit."""


import pytest
from flask import render_template_string
from flask_login import login_user
from sqlalchemy import func, select

from forum_app.extensions import db
from forum_app.issues.models import Flag
from tests import factories
from tests.conftest import AuthActions
from tests.support import mn, text_of

from .support import comment, delivered_to, issue


@pytest.fixture
def author(app):
    return factories.user("author@example.mn", name="Бат Зохиогч")


@pytest.fixture
def moderator(app):
    return factories.user("mod@example.mn", roles=["moderator"], name="Ганбат Модератор")


def _flag_as(app, email, target_type, target_id, reason="spam", **extra):
    client = app.test_client()
    AuthActions(client).login(email)
    return client.post(f"/moderation/flag/{target_type}/{target_id}",
                       data={"reason": reason, "next": f"/issues/{target_id}", **extra})


def test_three_people_report_an_issue_it_is_hidden_and_queued(app, client, auth, author,
                                                             moderator):
    target = issue(author)
    for n in range(3):
        factories.user(f"f{n}@example.mn")
    response = _flag_as(app, "f0@example.mn", "issue", target.id, "spam",
                        note="Зар сурталчилгаа")
    assert response.status_code == 302 and response.location.endswith(f"/issues/{target.id}")
    _flag_as(app, "f1@example.mn", "issue", target.id, "offensive")
    db.session.refresh(target)
    assert target.hidden_at is None
    _flag_as(app, "f2@example.mn", "issue", target.id, "spam")
    db.session.refresh(target)
    assert target.hidden_at is not None

    auth.login("mod@example.mn")
    queue = client.get("/moderation/")
    assert queue.status_code == 200
    page = text_of(queue)
    assert "Хогийн цэг халиж байна" in page
    assert mn("Hidden until reviewed") in page
    assert f"{mn('Spam')} (2)" in page and f"{mn('Offensive')} (1)" in page

    item = text_of(client.get(f"/moderation/issue/{target.id}"))
    assert "Зар сурталчилгаа" in item  # the reporter's note
    assert "Бат Зохиогч" in item  # moderators see who wrote it


def test_the_same_person_reports_once(app, client, auth, author):
    target = issue(author)
    factories.user("f0@example.mn")
    _flag_as(app, "f0@example.mn", "issue", target.id)
    auth.login("f0@example.mn")
    response = client.post(f"/moderation/flag/issue/{target.id}",
                           data={"reason": "offensive", "next": "/"}, follow_redirects=True)
    assert mn("You have already reported this. The moderators will look at it.") \
        in text_of(response)
    db.session.refresh(target)
    assert target.flag_count == 1


def test_a_report_without_a_reason_is_shown_again(client, auth, author):
    target = issue(author)
    reply = comment(target, author)
    factories.user("f0@example.mn")
    auth.login("f0@example.mn")
    response = client.post(f"/moderation/flag/comment/{reply.id}", data={"next": "/"})
    assert response.status_code == 422
    assert mn("Please choose why you report this.") in text_of(response)
    assert db.session.scalar(select(func.count(Flag.id))) == 0
    assert client.get(f"/moderation/flag/comment/{reply.id}").status_code == 200
    assert client.get("/moderation/flag/comment/999999").status_code == 404
    assert client.post("/moderation/flag/issue/99999999999999999999",
                       data={"reason": "spam"}).status_code == 404


def test_reporting_needs_an_account(client, author):
    target = issue(author)
    response = client.post(f"/moderation/flag/issue/{target.id}", data={"reason": "spam"})
    assert response.status_code == 302 and "/account/login" in response.location
    assert db.session.scalar(select(func.count(Flag.id))) == 0


def test_moderator_restores_with_a_reason_and_the_author_gets_mail(app, client, auth, author,
                                                                   moderator, mail_inbox):
    target = issue(author)
    for n in range(3):
        factories.user(f"f{n}@example.mn")
        _flag_as(app, f"f{n}@example.mn", "issue", target.id)
    mail_inbox.clear()
    auth.login("mod@example.mn")

    response = client.post(f"/moderation/issue/{target.id}/restore", data={"reason": ""})
    assert response.status_code == 422
    assert mn("Please give a reason.") in text_of(response)
    db.session.refresh(target)
    assert target.hidden_at is not None  # nothing changed

    response = client.post(f"/moderation/issue/{target.id}/restore",
                           data={"reason": "Жинхэнэ иргэний асуудал."})
    assert response.status_code == 302
    db.session.refresh(target)
    assert target.hidden_at is None and target.flag_count == 0
    [mail] = delivered_to(mail_inbox, "author@example.mn")
    assert "Жинхэнэ иргэний асуудал." in mail
    page = text_of(client.get(f"/moderation/issue/{target.id}"))
    assert "Жинхэнэ иргэний асуудал." in page  # the history shows the decision and why


def test_moderator_hides_a_comment_and_blocks_its_author(app, client, auth, author, moderator,
                                                        mail_inbox):
    troll = factories.user("troll@example.mn", name="Хар Тролл")
    reply = comment(issue(author), troll, body="Худалч нар аа!")
    auth.login("mod@example.mn")
    response = client.post(f"/moderation/comment/{reply.id}/hide",
                           data={"reason": "Доромжилсон үг."})
    assert response.status_code == 302
    db.session.refresh(reply)
    assert reply.hidden_at is not None and reply.hidden_reason == "Доромжилсон үг."
    assert "Худалч нар аа!" in text_of(client.get("/moderation/"))  # listed as hidden

    response = client.post(f"/moderation/comment/{reply.id}/block-author",
                           data={"block-reason": ""})
    assert response.status_code == 422
    response = client.post(f"/moderation/comment/{reply.id}/block-author",
                           data={"block-reason": "Байнга доромжилдог."})
    assert response.status_code == 302
    db.session.refresh(troll)
    assert troll.blocked_at is not None
    assert any("Байнга доромжилдог." in text for text in delivered_to(mail_inbox,
                                                                     "troll@example.mn"))
    other = app.test_client()
    assert AuthActions(other).login("troll@example.mn").status_code == 401


@pytest.mark.parametrize("method, path", [
    ("get", "/moderation/"), ("get", "/moderation/issue/{id}"),
    ("post", "/moderation/issue/{id}/hide"), ("post", "/moderation/issue/{id}/restore"),
    ("post", "/moderation/issue/{id}/block-author")])
def test_non_moderators_get_403(client, auth, author, method, path):
    target = issue(author)
    factories.user("org@example.mn", roles=["organiser", "official"])
    auth.login("org@example.mn")
    response = getattr(client, method)(path.format(id=target.id), data={"reason": "Муу"})
    assert response.status_code == 403
    db.session.refresh(target)
    assert target.hidden_at is None and author.blocked_at is None


def test_moderation_link_only_for_moderators(client, auth, moderator, author):
    auth.login("author@example.mn")
    assert mn("Moderation") not in text_of(client.get("/"))
    auth.logout()
    auth.login("mod@example.mn")
    assert 'href="/moderation/"' in client.get("/").get_data(as_text=True)


def test_flagging_is_rate_limited_per_person(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True)
    with app.app_context():
        factories.seed_reference()
        author = factories.user("author@example.mn")
        factories.user("eager@example.mn")
        targets = [issue(author, title=f"Асуудал {n}") for n in range(11)]
        client = app.test_client()
        AuthActions(client).login("eager@example.mn")
        statuses = [client.post(f"/moderation/flag/issue/{t.id}",
                                data={"reason": "spam", "next": "/"}).status_code
                    for t in targets]
        assert statuses[:10] == [302] * 10
        assert statuses[10] == 429
        assert db.session.scalar(select(func.count(Flag.id))) == 10


def test_the_flag_partial_offers_the_reasons_but_not_to_the_author(app, author):
    target = issue(author)
    reader = factories.user("reader@example.mn")
    with app.test_request_context(f"/issues/{target.id}"):
        login_user(reader)
        page = render_template_string('{% include "issues/_flag.html" %}', issue=target)
        assert f'action="/moderation/flag/issue/{target.id}"' in page
        assert page.count('type="radio" name="reason"') == 4
        reply = comment(target, author)
        page = render_template_string(
            '{% for comment in [c] %}{% include "issues/_flag.html" %}{% endfor %}',
            issue=target, c=reply)
        assert f'action="/moderation/flag/comment/{reply.id}"' in page
    with app.test_request_context(f"/issues/{target.id}"):
        login_user(author)
        assert "<form" not in render_template_string('{% include "issues/_flag.html" %}',
                                                     issue=target)
