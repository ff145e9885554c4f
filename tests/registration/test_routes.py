"""Registering, the ticket page, cancelling, and "my registrations", through HTTP, with real
mail over SMTP."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum_app.accounts.models import User
from forum_app.events.services import cancel_event
from forum_app.extensions import db
from forum_app.i18n import utcnow
from forum_app.notifications.models import OutboxMessage
from forum_app.registration.models import Answer, Registration
from tests import factories
from tests.registration.support import (
    add_question,
    attachments,
    confirm_in_browser,
    decode_qr,
    guest,
    manage_path,
    past,
    set_registration_window,
)
from tests.support import mn, text_of


def register_url(event, **query) -> str:
    suffix = "".join(f"?{k}={v}" for k, v in query.items())
    return f"/events/{event.slug}/register{suffix}"


def registrations() -> list[Registration]:
    return list(db.session.scalars(select(Registration).order_by(Registration.id)))


def outbox_count() -> int:
    return db.session.scalar(select(func.count(OutboxMessage.id)))


def organiser_of(event) -> User:
    return db.session.get(User, event.created_by_id)


def ticket_mail(inbox, address, subject):
    return [m for m in inbox.to(address) if m["Subject"] == subject]


def test_guest_registers_and_gets_the_ticket_by_mail_with_a_readable_qr(
        client, app, mail_inbox, tmp_path):
    event = factories.event(capacity=10)
    form = client.get(register_url(event))
    assert form.status_code == 200
    assert mn("Register for the event") in text_of(form)

    response = client.post(register_url(event), data=guest())
    assert response.status_code == 302
    [registration] = registrations()
    assert registration.state == "held" and registration.user_id is None
    assert registration.ticket is None
    assert registration.consent_at is not None and registration.consent_version
    held = text_of(client.get(response.headers["Location"]))
    assert mn("We are holding a seat for you for %(minutes)d minutes. To confirm it, open the "
              "e-mail we have sent to %(email)s and follow its link; your ticket comes then. "
              "An unconfirmed seat goes to the next person.", minutes=30,
              email="saraa@example.mn") in held
    assert 'class="ticket__qr"' not in held and mn("Valid ticket") not in held
    [hold_mail] = mail_inbox.to("saraa@example.mn")
    assert hold_mail["Subject"] == mn("Confirm your seat: %(title)s", title=event.title_mn)
    assert "ticket-qr.png" not in attachments(hold_mail)

    confirmed = confirm_in_browser(client, "saraa@example.mn")
    assert confirmed.headers["Location"] == response.headers["Location"]
    db.session.refresh(registration)
    code = registration.ticket.code
    assert registration.state == "confirmed"
    page = client.get(response.headers["Location"])
    text = text_of(page)
    assert page.status_code == 200
    assert mn("Your seat is confirmed. Here is your ticket; we have also sent it to %(email)s.",
              email="saraa@example.mn") in text
    assert code in text and mn("Valid ticket") in text and "Батын Сараа" in text
    assert 'class="ticket__qr" src="data:image/svg+xml;base64,' in text
    assert page.headers["Cache-Control"] == "private, no-store"

    [message] = ticket_mail(mail_inbox, "saraa@example.mn",
                            mn("Your ticket: %(title)s", title=event.title_mn))
    body = message.get_body(("plain",)).get_content()
    assert mn("Hello %(name)s,", name="Батын Сараа") in body
    assert event.title_mn in body and code in body
    assert 'src="cid:ticket-qr"' in message.get_body(("html",)).get_content()
    files = attachments(message)
    assert files["ticket-qr-inline.png"][2] == "<ticket-qr>"
    assert files["ticket-qr.png"][0] == "image/png"
    assert decode_qr(files["ticket-qr.png"][1], tmp_path) == code
    assert files["event.ics"][0] == "text/calendar"
    assert "BEGIN:VEVENT" in files["event.ics"][1]
    link = next(line for line in body.splitlines() if "/r/" in line)
    assert manage_path(link) == response.headers["Location"]


def test_same_person_cannot_register_twice_and_the_ticket_is_not_revealed(
        client, app, mail_inbox):
    event = factories.event()
    first = client.post(register_url(event), data=guest())
    confirm_in_browser(client, "saraa@example.mn")
    code = registrations()[0].ticket.code
    mail_inbox.clear()

    again = client.post(register_url(event), data=guest(name="Сараа", email="SARAA@example.mn"))
    text = text_of(again)
    assert again.status_code == 422
    assert mn("This e-mail address or phone number is already registered for this event. We "
              "have sent the link to that registration again to its e-mail address: there it "
              "can be seen or cancelled.") in text
    assert code not in text and first.headers["Location"] not in text
    assert len(registrations()) == 1
    # The link goes again to the registered address only (tests/security, finding 3).
    [resent] = mail_inbox.to("saraa@example.mn")
    assert first.headers["Location"] in resent.get_body(("plain",)).get_content()


def test_signed_in_person_gets_the_profile_prefilled_and_is_sent_to_their_ticket(
        client, auth, app):
    district = factories.district()
    user = factories.user("nomin@example.mn", name="Номин Бат", phone="99001122",
                          organisation="Дархан ХХК", stakeholder_kind="business",
                          district_id=district.id)
    event = factories.event()
    auth.login("nomin@example.mn")
    form = text_of(client.get(register_url(event)))
    assert 'value="Номин Бат"' in form and 'value="nomin@example.mn"' in form
    assert 'value="99001122"' in form and 'value="Дархан ХХК"' in form
    assert '<option selected value="business">' in form
    assert f'<option selected value="{district.id}">' in form

    response = client.post(register_url(event), data=guest(
        name="Номин Бат", email="nomin@example.mn", phone="99001122"))
    assert response.status_code == 302 and "/r/" in response.headers["Location"]
    [registration] = registrations()
    assert registration.user_id == user.id

    mine = f"/account/registrations/{registration.id}"
    assert client.get(register_url(event)).headers["Location"] == mine
    again = client.post(register_url(event), data=guest(
        name="Номин Бат", email="nomin@example.mn"))
    assert again.status_code == 302 and again.headers["Location"] == mine
    page = client.get(mine)
    assert page.status_code == 200
    assert registration.ticket.code in text_of(page)
    assert mn("You are already registered for this event. Here is your ticket.") in text_of(page)
    assert len(registrations()) == 1

    # The event page itself shows the registration instead of a second "Register".
    event_page = text_of(client.get(f"/events/{event.slug}"))
    assert f'href="{mine}"' in event_page
    assert mn("See my registration and ticket") in event_page
    assert f'href="{register_url(event)}"' not in event_page


def test_full_event_waitlists_and_cancelling_gives_the_seat_to_the_first_waiting(
        client, app, mail_inbox, tmp_path):
    event = factories.event(capacity=1)
    first = client.post(register_url(event), data=guest())
    confirm_in_browser(client, "saraa@example.mn")
    second = client.post(register_url(event), data=guest(name="Доржийн Бат",
                                                          email="bat@example.mn"))
    waiting_page = text_of(client.get(second.headers["Location"]))
    assert mn("The event is full, so you are on the waiting list, in place %(n)d. If a seat "
              "becomes free, it is yours in turn and we will send you your ticket.",
              n=1) in waiting_page
    assert mn("place %(n)d", n=1) in waiting_page
    assert "ticket__qr" not in waiting_page
    assert [r.state for r in registrations()] == ["confirmed", "waitlisted"]
    [waiting_mail] = mail_inbox.to("bat@example.mn")
    assert waiting_mail["Subject"] == mn("You are on the waiting list: %(title)s",
                                         title=event.title_mn)
    # Confirmed while waiting: a seat given later comes with the ticket at once.
    proven = confirm_in_browser(client, "bat@example.mn")
    assert mn("Your e-mail address is confirmed. When a seat is given to you, your ticket "
              "comes at once.") in text_of(client.get(proven.headers["Location"]))

    first_path = first.headers["Location"]
    old_code = registrations()[0].ticket.code
    unconfirmed = client.post(first_path + "/cancel", data={})
    assert unconfirmed.status_code == 422
    assert mn("Please tick the box to confirm the cancellation.") in text_of(unconfirmed)
    assert registrations()[0].state == "confirmed"

    cancelled = client.post(first_path + "/cancel", data={"confirm": "y"})
    assert cancelled.status_code == 302 and cancelled.headers["Location"] == first_path
    page = text_of(client.get(first_path))
    assert mn("This ticket is not valid.") in page
    assert mn("This registration has been cancelled.") in page
    assert old_code not in page and "ticket__qr" not in page
    assert client.get(first_path + "/ticket.pdf").status_code == 404
    assert client.get(first_path + "/qr.png").status_code == 404
    assert mn("Cannot come?") not in page

    promoted = registrations()[1]
    assert promoted.state == "confirmed"
    [seat_mail] = ticket_mail(mail_inbox, "bat@example.mn",
                              mn("A seat is free for you: %(title)s", title=event.title_mn))
    assert decode_qr(attachments(seat_mail)["ticket-qr.png"][1], tmp_path) \
        == promoted.ticket.code
    assert promoted.ticket.code in text_of(client.get(second.headers["Location"]))
    assert ticket_mail(mail_inbox, "saraa@example.mn", mn(
        "Registration cancelled: %(title)s", title=event.title_mn))


def test_cancelling_twice_or_after_the_start_is_refused_with_a_message(client, app):
    event = factories.event()
    path = client.post(register_url(event), data=guest()).headers["Location"]
    confirm_in_browser(client, "saraa@example.mn")
    event.starts_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    page = client.get(path)
    assert mn("Cannot come?") not in text_of(page)
    refused = client.post(path + "/cancel", data={"confirm": "y"}, follow_redirects=True)
    assert mn("The event has started; the registration can no longer be cancelled here. "
              "Please contact the organisers.") in text_of(refused)
    assert registrations()[0].state == "confirmed"


def test_closed_window_shows_a_clear_message_and_saves_nothing(client, app):
    event = factories.event()
    set_registration_window(event, closes=past())
    page = client.get(register_url(event))
    assert page.status_code == 200
    assert mn("Registration for this event has closed.") in text_of(page)
    assert 'name="consent"' not in text_of(page)
    posted = client.post(register_url(event), data=guest())
    assert posted.status_code == 422
    assert mn("Registration for this event has closed.") in text_of(posted)

    set_registration_window(event, opens=utcnow() + timedelta(days=1))
    assert mn("Registration has not opened yet.") in text_of(client.get(register_url(event)))
    assert client.post(register_url(event), data=guest()).status_code == 422
    assert registrations() == [] and outbox_count() == 0


def test_cancelled_event_takes_no_registrations(client, app):
    event = factories.event()
    cancel_event(organiser_of(event), event, "Цаг агаарын улмаас")
    page = client.get(register_url(event))
    assert mn("This event has been cancelled.") in text_of(page)
    posted = client.post(register_url(event), data=guest())
    assert posted.status_code == 422
    assert mn("This event has been cancelled.") in text_of(posted)
    assert registrations() == []


def test_invitation_only_event_needs_the_code_from_the_invitation(client, app):
    event = factories.event(registration_mode="invitation")
    message = mn("This event is by invitation only. Please use the link from your invitation.")
    assert message in text_of(client.get(register_url(event)))
    assert message in text_of(client.get(register_url(event, invite="wrong-code")))
    posted = client.post(register_url(event), data=guest())
    assert posted.status_code == 422 and message in text_of(posted)
    assert registrations() == []

    invited = text_of(client.get(register_url(event, invite=event.invitation_code)))
    assert f'name="invite" value="{event.invitation_code}"' in invited
    response = client.post(register_url(event), data=guest(invite=event.invitation_code))
    assert response.status_code == 302
    assert [r.state for r in registrations()] == ["confirmed"]


def test_unknown_and_draft_events_are_not_found(client, app):
    draft = factories.event(publish=False)
    assert client.get("/events/no-such-event/register").status_code == 404
    assert client.get(register_url(draft)).status_code == 404
    assert client.post(register_url(draft), data=guest()).status_code == 404
    assert registrations() == []


@pytest.mark.parametrize(("overrides", "message"), [
    ({"name": "Я" * 10_000}, ("The name is too long (at most %(n)d characters).", {"n": 120})),
    ({"consent": ""}, ("Please accept the privacy notice to register.", {})),
    ({"email": "", "phone": ""}, ("Please give an e-mail address or a phone number.", {})),
    ({"email": "not-an-email"}, ("Please enter a valid e-mail address.", {})),
    ({"phone": "call me"}, ("Please enter a phone number of digits, for example 99112233.", {})),
    ({"stakeholder_kind": "president"}, ("Please choose who you are.", {})),
    ({"district_id": "abc"}, ("Please choose a district from the list.", {})),
])
def test_bad_input_is_explained_on_the_form_and_nothing_is_saved(client, app, overrides,
                                                                  message):
    event = factories.event()
    response = client.post(register_url(event), data=guest(**overrides))
    text = text_of(response)
    assert response.status_code == 422
    assert mn(message[0], **message[1]) in text
    assert mn("Please correct the marked fields.") in text
    assert 'aria-invalid="true"' in text
    assert registrations() == [] and outbox_count() == 0


def test_guest_with_a_phone_only_is_asked_for_an_email_to_confirm_the_seat(client, app):
    event = factories.event()
    response = client.post(register_url(event), data=guest(email="", phone="99112233"))
    assert response.status_code == 422
    assert mn("Please give an e-mail address: we send you a link there that confirms your "
              "seat. Without e-mail, sign in or register at the door.") in text_of(response)
    assert registrations() == [] and outbox_count() == 0


def test_custom_questions_are_asked_and_required_ones_enforced(client, app):
    event = factories.event()
    topic = add_question(event, "single", "Аль сэдэв сонирхож байна вэ?", required=True,
                         options=["Хог хаягдал", "Замын хөдөлгөөн", "Ногоон байгууламж"])
    days = add_question(event, "multiple", "Аль өдрүүдэд ирэх вэ?",
                        options=["Даваа", "Мягмар", "Лхагва"])
    lunch = add_question(event, "yes_no", "Үдийн хоол авах уу?", required=True)
    note = add_question(event, "text", "Санал хүсэлт")

    form = text_of(client.get(register_url(event)))
    for label in ("Аль сэдэв сонирхож байна вэ?", "Замын хөдөлгөөн", "Мягмар",
                  "Үдийн хоол авах уу?"):
        assert label in form
    assert mn("%(label)s (optional)", label="Санал хүсэлт") in form

    missing = client.post(register_url(event), data=guest(**{f"q_{lunch.id}": "yes"}))
    assert missing.status_code == 422
    assert mn("Please answer this question.") in text_of(missing)
    assert f'id="q_{topic.id}-error"' in text_of(missing)
    bad = client.post(register_url(event), data=guest(
        **{f"q_{topic.id}": "9", f"q_{lunch.id}": "yes"}))
    assert bad.status_code == 422 and mn("Please choose from the list.") in text_of(bad)
    assert registrations() == []

    response = client.post(register_url(event), data=guest(**{
        f"q_{topic.id}": "1", f"q_{days.id}": ["0", "2"], f"q_{lunch.id}": "no",
        f"q_{note.id}": "Дохионы хэлмэрч хэрэгтэй"}))
    assert response.status_code == 302
    answers = {a.question_id: a.value for a in db.session.scalars(select(Answer))}
    assert answers == {topic.id: 1, days.id: [0, 2], lunch.id: False,
                       note.id: "Дохионы хэлмэрч хэрэгтэй"}


def test_my_registrations_lists_upcoming_and_past_and_guards_each_ticket(client, auth, app):
    factories.user("nomin@example.mn", name="Номин Бат")
    factories.user("other@example.mn", name="Өөр Хүн")
    soon = factories.event(title_mn="Ногоон Дархан форум")
    earlier = factories.event(title_mn="Өнгөрсөн сургалт")
    assert client.get("/account/registrations").status_code == 302  # sign in first

    auth.login("nomin@example.mn")
    for event in (soon, earlier):
        client.post(register_url(event), data=guest(name="Номин Бат",
                                                     email="nomin@example.mn"))
    earlier.starts_at, earlier.ends_at = past(30), past(27)
    db.session.commit()
    upcoming_id, past_id = (r.id for r in registrations())

    page = text_of(client.get("/account/registrations"))
    assert page.index(mn("Upcoming")) < page.index("Ногоон Дархан форум") \
        < page.index(mn("Past")) < page.index("Өнгөрсөн сургалт")
    assert f'href="/account/registrations/{upcoming_id}"' in page
    assert f'href="/account/registrations/{past_id}"' in page

    cancel = client.post(f"/account/registrations/{upcoming_id}/cancel", data={"confirm": "y"})
    assert cancel.headers["Location"] == f"/account/registrations/{upcoming_id}"
    assert mn("This ticket is not valid.") in text_of(client.get(cancel.headers["Location"]))
    assert registrations()[0].state == "cancelled"

    auth.logout()
    auth.login("other@example.mn")
    assert client.get(f"/account/registrations/{past_id}").status_code == 404
    assert client.post(f"/account/registrations/{past_id}/cancel",
                       data={"confirm": "y"}).status_code == 404
    assert mn("You have no registrations for upcoming events.") in text_of(
        client.get("/account/registrations"))


def test_registration_posts_are_rate_limited(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        factories.seed_reference()
        slug = factories.event().slug
    codes = [client.post(f"/events/{slug}/register", data=guest(consent="")).status_code
             for _ in range(21)]
    assert codes[:20] == [422] * 20 and codes[20] == 429
