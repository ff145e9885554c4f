"""A status move's reason is written as an official answer is: in Mongolian, in English, or in
both. Each reader sees it in their language, else in the other one with a language mark; the
author and followers are told in their own language; older one-language reasons still show."""

import re

import pytest
from sqlalchemy import select

from forum_app.audit.models import AuditEvent
from forum_app.audit.services import record_event
from forum_app.extensions import db
from forum_app.issues.lifecycle import STATUS_ACTION
from forum_app.issues.models import Issue
from forum_app.notifications.models import OutboxMessage
from tests import factories
from tests.issues import lifecycle_support as make
from tests.support import mn, text_of

WHY_MN = "Олон иргэн дэмжсэн тул хянаж байна."
WHY_EN = "Under review: many citizens support it."


@pytest.fixture
def staffed(app):
    issue = make.issue(factories.user("author@example.mn", language="en"))
    follower = factories.user("follower@example.mn", language="mn")
    make.follow(follower, issue)
    return issue, make.organiser(email="secretariat@example.mn")


def move(client, auth, issue, **data):
    assert auth.login("secretariat@example.mn").status_code == 302
    response = client.post(f"/issues/{issue.id}/status",
                           data={"move-to_status": "under_review"} | data)
    auth.logout()
    return response


def journey_in(client, issue, language: str) -> str:
    client.set_cookie("lang", language)
    return text_of(client.get(f"/issues/{issue.id}"))


def test_the_form_asks_for_the_reason_in_both_languages(client, auth, staffed):
    issue, _organiser = staffed
    auth.login("secretariat@example.mn")
    page = text_of(client.get(f"/issues/{issue.id}/status"))
    [mongolian] = re.findall(r'<textarea[^>]*name="move-reason"[^>]*>', page)
    [english] = re.findall(r'<textarea[^>]*name="move-reason_en"[^>]*>', page)
    assert 'lang="mn"' in mongolian and 'lang="en"' in english
    assert mn("Reason in Mongolian") in page and mn("Reason in English") in page


def test_both_languages_each_reader_gets_their_own_with_the_other_one_folded(
        client, auth, staffed):
    issue, _organiser = staffed
    assert move(client, auth, issue, **{"move-reason": WHY_MN,
                                        "move-reason_en": WHY_EN}).status_code == 302
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == STATUS_ACTION))
    assert (event.reason, event.reason_en) == (WHY_MN, WHY_EN)

    mongolian = journey_in(client, issue, "mn")
    assert f'<span lang="mn">{WHY_MN}</span>' in mongolian
    assert mn("The reason in English") in mongolian and f'<p class="prewrap" lang="en">' \
        f"{WHY_EN}</p>" in mongolian
    english = journey_in(client, issue, "en")
    assert f'<span lang="en">{WHY_EN}</span>' in english
    assert "The reason in Mongolian" in english and "(in English)" not in english


def test_one_language_only_is_shown_to_the_other_reader_with_a_mark(client, auth, staffed):
    issue, _organiser = staffed
    assert move(client, auth, issue, **{"move-reason_en": WHY_EN}).status_code == 302
    mongolian = journey_in(client, issue, "mn")
    assert f'<span lang="en">{WHY_EN}</span> <span class="lang-mark">({mn("in English")})' \
        in mongolian
    english = journey_in(client, issue, "en")
    assert f'<span lang="en">{WHY_EN}</span>' in english and "lang-mark" not in english


def test_no_reason_in_either_language_is_refused_and_nothing_moves(client, auth, staffed):
    issue, _organiser = staffed
    response = move(client, auth, issue, **{"move-reason": "  ", "move-reason_en": ""})
    assert response.status_code == 422
    assert mn("Please give the reason for this step in Mongolian, in English, or in both; it "
              "is shown on the issue's public timeline.") in text_of(response)
    assert db.session.get(Issue, issue.id).status == "submitted"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == STATUS_ACTION)) \
        is None


def test_the_author_and_followers_are_told_why_in_their_own_language(client, auth, staffed):
    issue, _organiser = staffed
    move(client, auth, issue, **{"move-reason": WHY_MN, "move-reason_en": WHY_EN})
    mails = {m.recipient: m for m in db.session.scalars(select(OutboxMessage))}
    assert WHY_EN in mails["author@example.mn"].body_text
    assert WHY_MN not in mails["author@example.mn"].body_text
    assert WHY_MN in mails["follower@example.mn"].body_text
    assert f'<span lang="mn">{WHY_MN}</span>' in mails["follower@example.mn"].body_html


def test_a_reason_written_before_reasons_were_bilingual_still_shows_as_written(client,
                                                                               staffed):
    issue, organiser = staffed
    record_event(organiser, issue, STATUS_ACTION, before={"status": "submitted"},
                 after={"status": "under_review", "by": "secretariat"},
                 reason="Хянаж байна / Under review")
    issue.status = "under_review"
    db.session.commit()
    for language in ("mn", "en"):
        page = journey_in(client, issue, language)
        assert "<span>Хянаж байна / Under review</span>" in page and "lang-mark" not in page


def test_the_notices_page_gives_each_person_the_reason_in_their_language(client, auth,
                                                                         staffed):
    issue, _organiser = staffed
    move(client, auth, issue, **{"move-reason": WHY_MN, "move-reason_en": WHY_EN})
    auth.login("author@example.mn")  # reads English
    page = text_of(client.get("/notifications/"))
    assert f'<span lang="en">{WHY_EN}</span>' in page and WHY_MN not in page
    auth.logout()
    auth.login("follower@example.mn")  # reads Mongolian
    page = text_of(client.get("/notifications/"))
    assert f'<span lang="mn">{WHY_MN}</span>' in page and WHY_EN not in page
