"""Surveys through the pages: the builder, the e-mailed links, the room QR and ticket code,
answering once, the anonymous results and CSV, access, and `flask send-surveys`."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum_app.extensions import db
from forum_app.feedback import invitations
from forum_app.feedback.models import Survey, SurveyResponse
from forum_app.feedback.services import submit_response
from forum_app.i18n import utcnow
from forum_app.notifications.services import deliver_pending
from tests import factories
from tests.conftest import AuthActions
from tests.support import mn, text_of

from .support import answers, attendee, ended_event, survey_for


@pytest.fixture
def organiser(app):
    return factories.user("org@example.mn", roles=["organiser"], language="en")


@pytest.fixture
def event(organiser):
    return ended_event(organiser)


def _personal_path(mail_inbox, address: str) -> str:
    [message] = [m for m in mail_inbox.to(address) if "/feedback/t/" in
                 m.get_body(preferencelist=("plain",)).get_content()]
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = next(line.strip() for line in body.splitlines() if "/feedback/t/" in line)
    return "/feedback/t/" + link.split("/feedback/t/", 1)[1]


def test_organiser_builds_a_survey(client, auth, organiser, event):
    auth.login("org@example.mn")
    page = client.get(f"/feedback/events/{event.slug}/survey")
    assert page.status_code == 200 and "Feedback: " in text_of(page)
    response = client.post(f"/feedback/events/{event.slug}/survey",
                           data={"title_mn": "", "title_en": ""})
    assert response.status_code == 422
    assert "Please give the survey a title, in Mongolian or English." in text_of(response)
    assert db.session.scalar(select(func.count(Survey.id))) == 0

    response = client.post(f"/feedback/events/{event.slug}/survey",
                           data={"title_mn": "Санал асуулга", "title_en": "Feedback"})
    assert response.status_code == 302
    response = client.post(f"/feedback/events/{event.slug}/survey/questions",
                           data={"kind": "single", "label_en": "Will you come again?",
                                 "options_en": "Yes\nNo"})
    assert response.status_code == 302
    response = client.post(f"/feedback/events/{event.slug}/survey/questions",
                           data={"kind": "single", "label_en": "Only one option?",
                                 "options_en": "Yes"})
    assert response.status_code == 422
    assert "Give at least two options to choose from." in text_of(response)
    page = text_of(client.get(f"/feedback/events/{event.slug}/survey"))
    assert "Will you come again?" in page and "How useful was the event for you?" in page
    survey = db.session.scalar(select(Survey))
    last = survey.questions[-1]
    client.post(f"/feedback/events/{event.slug}/survey/questions/{last.id}/move",
                data={"direction": "up"})
    db.session.expire_all()
    assert survey.questions[-2].id == last.id


def test_emailed_link_answers_once_and_reuse_is_refused(client, auth, organiser, event,
                                                        mail_inbox):
    survey = survey_for(event, organiser)
    attendee(event, organiser, "Сарнай Б.", "sarnai@example.mn")
    attendee(event, organiser, "Ирээгүй Хүн", "absent@example.mn", checked_in=False)
    auth.login("org@example.mn")
    response = client.post(f"/feedback/events/{event.slug}/survey/send", follow_redirects=True)
    assert "Personal links sent by e-mail: 1." in text_of(response)
    assert not [m for m in mail_inbox.to("absent@example.mn")
                if "/feedback/t/" in m.get_body(preferencelist=("plain",)).get_content()]
    path = _personal_path(mail_inbox, "sarnai@example.mn")

    visitor = client.application.test_client()
    page = visitor.get(path)
    assert page.status_code == 200
    assert "Энэ арга хэмжээ танд хэр хэрэгтэй байсан бэ?" in text_of(page)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    for wrong in (9, "²", "1" * 40):
        response = visitor.post(path, data=answers(survey, wrong))
        assert response.status_code == 422  # shown again with the message, nothing stored
        assert mn("Please choose one of the answers.") in text_of(response)
    assert db.session.scalar(select(func.count(SurveyResponse.id))) == 0

    response = visitor.post(path, data=answers(survey, 5, 4, "Цаг нь бага байлаа", 2))
    assert response.status_code == 302 and response.location.endswith(
        f"/feedback/{event.slug}/thanks")
    assert visitor.get(response.location).status_code == 200

    again = visitor.post(path, data=answers(survey, 1, 1, "Дахин", 0))
    assert again.status_code == 409
    assert mn("You have already answered this survey. Thank you!") in text_of(again)
    assert db.session.scalar(select(func.count(SurveyResponse.id))) == 1
    assert mn("You have already answered this survey. Thank you!") in text_of(visitor.get(path))
    assert visitor.get("/feedback/t/not-a-real-token").status_code == 404


def test_room_qr_and_ticket_code_lead_to_the_personal_link(client, organiser, event):
    survey = survey_for(event, organiser)
    present = attendee(event, organiser, "Сарнай Б.", "sarnai@example.mn")
    absent = attendee(event, organiser, "Ирээгүй Хүн", "absent@example.mn", checked_in=False)
    room = client.get(f"/feedback/{event.slug}/room")
    assert room.status_code == 200
    page = text_of(room)
    assert 'src="data:image/svg+xml;base64,' in page
    assert f"http://localhost/feedback/{event.slug}/start" in page

    start = f"/feedback/{event.slug}/start"
    assert client.get(start).status_code == 200
    response = client.post(start, data={"code": absent.ticket.code})
    assert response.status_code == 422
    assert mn("This ticket has not been checked in at the event. The survey is for the "
              "people who took part.") in text_of(response)
    response = client.post(start, data={"code": "DF1-WRONG"})
    assert response.status_code == 422
    response = client.post(start, data={"code": present.ticket.code.lower()})
    assert response.status_code == 302
    token = invitations.invitation_token(survey.id, present.id)
    assert response.location.endswith(f"/feedback/t/{token}")
    assert client.post(response.location, data=answers(survey, 4)).status_code == 302
    again = client.post(start, data={"code": present.ticket.code})
    assert again.status_code == 422
    assert mn("You have already answered this survey. Thank you!") in text_of(again)
    assert client.get("/feedback/no-such-event/room").status_code == 404


def test_a_signed_in_attendee_needs_no_code(app, organiser, event):
    survey = survey_for(event, organiser)
    person = factories.user("sarnai@example.mn", name="Сарнай Б.")
    registration = attendee(event, organiser, "Сарнай Б.", "sarnai@example.mn", user=person)
    stranger = app.test_client()
    factories.user("stranger@example.mn")
    AuthActions(stranger).login("stranger@example.mn")
    assert "/start/mine" not in text_of(stranger.get(f"/feedback/{event.slug}/start"))
    assert stranger.post(f"/feedback/{event.slug}/start/mine").status_code == 422

    client = app.test_client()
    AuthActions(client).login("sarnai@example.mn")
    page = text_of(client.get(f"/feedback/{event.slug}/start"))
    assert f'action="/feedback/{event.slug}/start/mine"' in page
    response = client.post(f"/feedback/{event.slug}/start/mine")
    token = invitations.invitation_token(survey.id, registration.id)
    assert response.status_code == 302 and response.location.endswith(f"/feedback/t/{token}")


def test_results_are_anonymous_and_correct(app, client, auth, organiser, event):
    survey = survey_for(event, organiser)
    for n, values in enumerate([(5, 4, "=cmd|' /C calc'!A0", 0), (3, 2, "Сайн", 1)]):
        registration = attendee(event, organiser, f"Нууц Нэр{n}", f"secret{n}@example.mn")
        invitation = invitations.invitation_for_token(
            invitations.token_for_ticket(survey, registration.ticket.code))
        submit_response(invitation, answers(survey, *values))
    auth.login("org@example.mn")
    page = client.get(f"/feedback/events/{event.slug}/results")
    assert page.status_code == 200
    body = text_of(page)
    assert "4.0" in body and "3.0" in body  # the two averages
    assert "Сайн" in body and "=cmd|' /C calc'!A0" in body  # comments shown as text
    assert "50%" in body
    assert "Нууц Нэр" not in body and "secret0@example.mn" not in body

    export = client.get(f"/feedback/events/{event.slug}/results.csv")
    assert export.status_code == 200
    assert export.headers["Content-Type"] == "text/csv; charset=utf-8"
    data = export.get_data().decode("utf-8-sig")
    assert "'=cmd|' /C calc'!A0" in data
    assert "Нууц Нэр" not in data and "@example.mn" not in data

    official = app.test_client()
    factories.user("official@example.mn", roles=["official"], department_slug="environment")
    AuthActions(official).login("official@example.mn")
    assert official.get(f"/feedback/events/{event.slug}/results").status_code == 200
    listing = text_of(official.get("/feedback/events"))
    assert event.title_mn in listing and f"/feedback/events/{event.slug}/results" in listing


@pytest.mark.parametrize("path", ["/feedback/events/{slug}/results",
                                  "/feedback/events/{slug}/results.csv",
                                  "/feedback/events/{slug}/survey"])
def test_citizens_and_other_organisers_get_403(app, organiser, event, path):
    survey_for(event, organiser)
    for email, roles in [("citizen@example.mn", ()), ("other@example.mn", ["organiser"])]:
        factories.user(email, roles=roles)
        client = app.test_client()
        AuthActions(client).login(email)
        assert client.get(path.format(slug=event.slug)).status_code == 403
    assert app.test_client().get(path.format(slug=event.slug)).status_code == 302  # sign in


def test_send_surveys_command_mails_ended_events_once(app, organiser, event, mail_inbox):
    survey_for(event, organiser)
    attendee(event, organiser, "Сарнай Б.", "sarnai@example.mn")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["send-surveys"])
    assert result.exit_code == 0, result.output
    assert f"{event.slug}: 1 survey links queued" in result.output
    deliver_pending()
    assert _personal_path(mail_inbox, "sarnai@example.mn")
    result = runner.invoke(args=["send-surveys"])
    assert "links queued: 0" in result.output


def test_a_survey_that_has_not_opened_says_when(client, organiser):
    event = factories.event(organiser, days_ahead=2)
    survey_for(event, organiser)
    page = client.get(f"/feedback/{event.slug}/start")
    assert page.status_code == 200
    assert utcnow() < event.starts_at - timedelta(days=1)
    assert 'name="code"' not in page.get_data(as_text=True)
