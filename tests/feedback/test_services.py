"""Surveys after events, through the services: building, who gets a link, answering once,
the room's ticket-code path, and the anonymous results."""

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import func, inspect, select

from forum_app.errors import DomainError
from forum_app.extensions import db
from forum_app.feedback import invitations, results, services
from forum_app.feedback.models import Survey, SurveyInvitation, SurveyResponse
from forum_app.notifications.services import deliver_pending
from tests import factories

from .support import admit, annul, answers, attendee, ended_event, survey_for


@pytest.fixture
def organiser(app):
    return factories.user("org@example.mn", roles=["organiser"])


@pytest.fixture
def event(organiser):
    return ended_event(organiser)


def _link(mail_inbox, address: str) -> str:
    [message] = mail_inbox.to(address)
    body = message.get_body(preferencelist=("plain",)).get_content()
    return next(line.strip() for line in body.splitlines() if "/feedback/t/" in line)


def test_a_new_survey_has_starter_questions_and_only_organisers_build_it(organiser, event):
    with pytest.raises(DomainError) as error:
        services.save_survey(organiser, event, {"title_mn": " ", "title_en": ""})
    assert error.value.code == "title_required"
    with pytest.raises(DomainError) as error:
        services.save_survey(organiser, event, {"title_mn": "Санал",
                                                "opens_at": event.ends_at + timedelta(days=1)})
    assert error.value.code == "opens_too_late"
    stranger = factories.user(roles=["organiser"])
    with pytest.raises(DomainError) as error:
        services.save_survey(stranger, event, {"title_mn": "Санал"})
    assert error.value.code == "forbidden"

    survey = survey_for(event, organiser, choice=False)
    assert [q.kind for q in survey.questions] == ["rating", "rating", "text"]
    with pytest.raises(DomainError) as error:
        services.add_question(organiser, survey, {"kind": "single", "label_en": "Which?",
                                                  "options": [{"mn": "Нэг", "en": "One"}]})
    assert error.value.code == "options_required"
    assert len(survey.questions) == 3


def test_only_checked_in_attendees_get_a_link_once(organiser, event, mail_inbox):
    survey = survey_for(event, organiser)
    attendee(event, organiser, "Сарнай Б.", "sarnai@example.mn")
    attendee(event, organiser, "Bold Smith", "bold@example.mn", language="en")
    attendee(event, organiser, "Ирээгүй Хүн", "absent@example.mn", checked_in=False)
    annulled = attendee(event, organiser, "Алдаатай Бүртгэл", "annulled@example.mn")
    annul(event, organiser, annulled)
    attendee(event, organiser, "Утастай Хүн", None)  # no e-mail: the room QR is for them

    deliver_pending()  # the registration mails
    mail_inbox.clear()
    assert invitations.send_invitations(organiser, survey) == 2
    deliver_pending()
    assert {str(m["To"]) for m in mail_inbox.messages} == {"sarnai@example.mn",
                                                          "bold@example.mn"}
    [english] = mail_inbox.to("bold@example.mn")
    [mongolian] = mail_inbox.to("sarnai@example.mn")
    assert event.title_en in str(english["Subject"])  # each in their own language
    assert event.title_mn in str(mongolian["Subject"])
    link = _link(mail_inbox, "sarnai@example.mn")
    token = link.rsplit("/", 1)[1]
    invitation = invitations.invitation_for_token(token)
    assert invitation.registration.email == "sarnai@example.mn" and invitation.sent_at

    assert invitations.send_invitations(organiser, survey) == 0  # nobody gets two mails
    stranger = factories.user(roles=["organiser"])
    with pytest.raises(DomainError) as error:
        invitations.send_invitations(stranger, survey)
    assert error.value.code == "forbidden"


def test_one_response_per_attendee_and_not_linked_to_them(organiser, event):
    survey = survey_for(event, organiser)
    registration = attendee(event, organiser, "Сарнай Б.", "sarnai@example.mn")
    token = invitations.token_for_ticket(survey, registration.ticket.code)
    invitation = invitations.invitation_for_token(token)
    response = services.submit_response(invitation, answers(survey, 5, 4, "Сайхан байлаа", 1))
    assert {a.value for a in response.answers} == {5, 4, "Сайхан байлаа", 1}
    assert (response.created_at.hour, response.created_at.minute) == (0, 0)  # the day only
    db.session.refresh(invitation)  # used on that day, at no finer time that could pair them
    assert invitation.used_at == response.created_at
    columns = {c.key for c in inspect(SurveyResponse).columns}
    assert columns == {"id", "survey_id", "created_at"}  # nothing points at the person

    db.session.refresh(invitation)
    with pytest.raises(DomainError) as error:
        services.submit_response(invitation, answers(survey, 1, 1, "Дахиад", 0))
    assert error.value.code == "already_answered"
    assert db.session.scalar(select(func.count(SurveyResponse.id))) == 1


def test_bad_answers_are_refused_and_nothing_is_stored(organiser, event):
    survey = survey_for(event, organiser)
    registration = attendee(event, organiser, "Сарнай Б.", "sarnai@example.mn")
    invitation = invitations.invitation_for_token(
        invitations.token_for_ticket(survey, registration.ticket.code))
    first, second, text, choice = survey.questions
    cases = [
        answers(survey, "", 4, "", 1),  # the first rating is required
        answers(survey, 7, 4, "", 1),  # a rating is 1 to 5
        answers(survey, 5, "abc", "", 1),
        answers(survey, 5, 4, "", 3),  # only three options
        answers(survey, 5, 4, "ю" * 2001, 1),
    ]
    for data in cases:
        with pytest.raises(DomainError) as error:
            services.submit_response(invitation, data)
        assert len(error.value.fields) == 1
    assert db.session.scalar(select(func.count(SurveyResponse.id))) == 0
    db.session.refresh(invitation)
    assert invitation.used_at is None  # still usable
    services.submit_response(invitation, {f"q{first.id}": "3"})  # optional ones may be empty


def test_the_room_path_needs_a_checked_in_ticket_of_this_event(organiser, event):
    survey = survey_for(event, organiser)
    present = attendee(event, organiser, "Сарнай Б.", "sarnai@example.mn")
    absent = attendee(event, organiser, "Ирээгүй Хүн", "absent@example.mn", checked_in=False)
    other_event = ended_event(organiser, hours_ago=3)
    elsewhere = attendee(other_event, organiser, "Өөр Хүн", "other@example.mn")
    for code, expected in [("DF1-NOTAREALCODE", "unknown_ticket"),
                           (elsewhere.ticket.code, "unknown_ticket"),
                           (absent.ticket.code, "not_checked_in"), ("", "unknown_ticket")]:
        with pytest.raises(DomainError) as error:
            invitations.token_for_ticket(survey, code)
        assert error.value.code == expected and error.value.field == "code"

    typed = present.ticket.code.lower().replace("-", "- ")  # case and spaces forgiven
    token = invitations.token_for_ticket(survey, typed)
    assert token == invitations.token_for_ticket(survey, present.ticket.code)
    assert token == invitations.invitation_token(survey.id, present.id)  # as in the e-mail
    assert db.session.scalar(select(func.count(SurveyInvitation.id))) == 1
    services.submit_response(invitations.invitation_for_token(token), answers(survey, 4))
    with pytest.raises(DomainError) as error:
        invitations.token_for_ticket(survey, present.ticket.code)
    assert error.value.code == "already_answered"

    admit(event, organiser, absent)  # arrives late, checked in at the door
    assert invitations.token_for_ticket(survey, absent.ticket.code)


def test_the_survey_takes_answers_only_once_open(organiser):
    event = factories.event(organiser, days_ahead=3)
    survey = survey_for(event, organiser)
    assert not survey.is_open_at(event.starts_at - timedelta(minutes=1))
    with pytest.raises(DomainError) as error:
        invitations.send_invitations(organiser, survey)
    assert error.value.code == "not_open"


def test_results_averages_distributions_and_comments(organiser, event):
    survey = survey_for(event, organiser)
    given = [(5, 4, "Маш хэрэгтэй байлаа", 0), (4, 2, "", 0), (4, "", "More time please", 1),
             (2, 3, "", 2)]
    for n, values in enumerate(given):
        registration = attendee(event, organiser, f"Оролцогч {n}", f"p{n}@example.mn")
        invitation = invitations.invitation_for_token(
            invitations.token_for_ticket(survey, registration.ticket.code))
        services.submit_response(invitation, answers(survey, *values))

    usefulness, organisation, comments, heard = results.survey_results(survey)
    assert usefulness.answered == 4 and usefulness.average == 3.75
    assert [(s.label, s.count, s.percent) for s in usefulness.shares] == [
        ("1", 0, 0), ("2", 1, 25), ("3", 0, 0), ("4", 2, 50), ("5", 1, 25)]
    assert organisation.answered == 3 and organisation.average == 3.0
    assert comments.comments == ["Маш хэрэгтэй байлаа", "More time please"]
    assert [(s.count, s.percent) for s in heard.shares] == [(2, 50), (1, 25), (1, 25)]
    assert heard.shares[0].bar == 10  # half of the bar's 20 steps


def test_csv_has_one_anonymous_row_per_response_and_no_formulas(organiser, event):
    survey = survey_for(event, organiser)
    evil = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+1+2", "-3", "@SUM(A1)"]
    for n, text in enumerate(evil):
        registration = attendee(event, organiser, f"=Нэр {n}", f"x{n}@example.mn")
        invitation = invitations.invitation_for_token(
            invitations.token_for_ticket(survey, registration.ticket.code))
        services.submit_response(invitation, answers(survey, 5, 5, text, 1))
    data = results.results_csv(survey).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data)))
    assert len(rows) == 1 + len(evil)
    assert [row[3] for row in rows[1:]] == ["'" + text for text in evil]
    assert [row[0] for row in rows[1:]] == ["1", "2", "3", "4"]
    assert "Нэр" not in data and "@example.mn" not in data


def test_send_due_invitations_covers_ended_events_only(organiser, event, mail_inbox):
    survey_for(event, organiser)
    attendee(event, organiser, "Сарнай Б.", "sarnai@example.mn")
    upcoming = factories.event(organiser, days_ahead=5)
    survey_for(upcoming, organiser)
    assert invitations.send_due_invitations() == {event.slug: 1}
    assert invitations.send_due_invitations() == {event.slug: 0}


def test_demo_feedback_is_added_once(app):
    from forum_app.accounts.demo import seed_users
    from forum_app.events.demo import seed_events
    from forum_app.feedback.demo import EVENT_SLUG, seed_feedback

    assert seed_feedback() == 0  # no demo event yet: nothing to attach to
    seed_users()
    seed_events()
    assert seed_feedback() == 8
    assert seed_feedback() == 0
    survey = db.session.scalar(select(Survey))
    assert survey.event.slug == EVENT_SLUG
    usefulness = results.survey_results(survey)[0]
    assert usefulness.answered == 8 and usefulness.average == 4.0
