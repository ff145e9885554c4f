"""After a forum, on a phone: an attendee opens the personal link from the e-mail and answers;
another scans the room QR and types the ticket code; the organiser reads the results."""

import pytest
from playwright.sync_api import expect

from forum_app.feedback.invitations import send_invitations
from forum_app.notifications.services import deliver_pending
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.feedback.support import attendee, ended_event, survey_for
from tests.support import mn

pytestmark = pytest.mark.browser


def _texts(app, *messages):
    with app.app_context():
        return [mn(message) for message in messages]


def _personal_path(mail_inbox, address: str) -> str:
    for message in mail_inbox.to(address):
        body = message.get_body(preferencelist=("plain",)).get_content()
        for line in body.splitlines():
            if "/feedback/t/" in line:
                return "/feedback/t/" + line.strip().split("/feedback/t/", 1)[1]
    raise AssertionError(f"no survey link for {address}")


def test_attendees_answer_on_a_phone_and_the_organiser_sees_the_results(
        page, live_server, mail_inbox):
    app = live_server.app
    with app.app_context():
        organiser = factories.user("org@example.mn", roles=["organiser"], language="en")
        event = ended_event(organiser, title_mn="Тэг хаягдалтай Дархан",
                            title_en="Zero Waste Darkhan")
        slug = event.slug
        survey = survey_for(event, organiser)
        attendee(event, organiser, "Сарнай Б.", "sarnai@example.mn")
        code = attendee(event, organiser, "Дорж Г.", None).ticket.code  # no e-mail address
        assert send_invitations(organiser, survey) == 1
        deliver_pending()
    path = _personal_path(mail_inbox, "sarnai@example.mn")

    send, required, thanks, correct, code_label, go, already = _texts(
        app, "Send my answers", "Please answer this question.", "Thank you!",
        "Please correct the marked answers.", "Your ticket code", "Continue",
        "You have already answered this survey. Thank you!")

    # 1. The personal link from the e-mail, in Mongolian.
    page.goto(path)
    expect(page.get_by_role("heading", name="Санал асуулга")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=send).click()  # nothing chosen: the required one is marked
    expect(page.get_by_text(correct)).to_be_visible()
    expect(page.get_by_text(required)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("group", name="Энэ арга хэмжээ танд хэр хэрэгтэй байсан бэ?") \
        .get_by_label("5", exact=True).check()
    page.get_by_role("group", name="Зохион байгуулалтад хэр сэтгэл хангалуун байна вэ?") \
        .get_by_label("4", exact=True).check()
    page.get_by_label("Дараагийн удаа юуг сайжруулах вэ?").fill("Ангилах сав олон байгаасай.")
    page.get_by_label("Найзаасаа").check()
    page.get_by_role("button", name=send).click()
    expect(page.get_by_role("heading", name=thanks)).to_be_visible()
    assert_accessible(page)

    page.goto(path)  # the link works once
    expect(page.get_by_text(already)).to_be_visible()

    # 2. The room QR, then the ticket code.
    page.goto(f"/feedback/{slug}/room")
    expect(page.locator("img.survey-room__qr")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/feedback/{slug}/start")
    assert_accessible(page)
    page.get_by_label(code_label).fill(code.lower())
    page.get_by_role("button", name=go).click()
    page.get_by_role("group", name="Энэ арга хэмжээ танд хэр хэрэгтэй байсан бэ?") \
        .get_by_label("4", exact=True).check()
    page.get_by_role("button", name=send).click()
    expect(page.get_by_role("heading", name=thanks)).to_be_visible()

    # 3. The organiser reads the results in English.
    page.goto("/account/login")
    page.get_by_label("И-мэйл").fill("org@example.mn")
    page.get_by_label("Нууц үг").fill(factories.PASSWORD)
    page.get_by_role("button", name="Нэвтрэх").click()
    page.wait_for_url(live_server.url + "/")
    page.goto("/feedback/events")
    assert_accessible(page)
    page.get_by_role("row", name="Zero Waste Darkhan").get_by_role("link", name="Results").click()
    expect(page.get_by_role("heading", name="Survey results")).to_be_visible()
    usefulness = page.get_by_role("region", name="1. How useful was the event for you?")
    expect(usefulness.get_by_text("4.5")).to_be_visible()
    expect(page.get_by_text("Ангилах сав олон байгаасай.")).to_be_visible()
    expect(page.get_by_text("Сарнай")).to_have_count(0)  # anonymous
    assert_accessible(page)
    page.get_by_role("link", name="Edit the survey").click()
    expect(page.get_by_text("People have already answered this survey")).to_be_visible()
    assert_accessible(page)

