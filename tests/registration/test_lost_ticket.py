""""Lost your ticket?": a guest gives the address or phone number they registered with and
gets the links again at the address on the registration, over real SMTP; whoever asks learns
nothing about who is registered; the page is limited per address and per network."""

import logging
from datetime import timedelta

import pytest

from forum_app.extensions import db
from forum_app.i18n import LANG_COOKIE, utcnow
from forum_app.notifications.services import deliver_pending
from forum_app.registration import services
from forum_app.registration.models import Registration
from forum_app.registration.services import RegistrationInput
from tests import factories
from tests.registration.support import manage_path, register_confirmed
from tests.support import mn, text_of

SENT = ("If we have a registration for this e-mail address or phone number, we have sent the "
        "link to it again, to the e-mail address given when registering. Please look in your "
        "mail in a few minutes, also in the spam folder.")
LIMITED = ("The links have been asked for too often from here or for this address. Please "
           "wait an hour, then try again. The links already sent are still valid: look for "
           "them in your mail, also in the spam folder.")


def saraa(**values) -> RegistrationInput:
    return RegistrationInput(**({"name": "Батын Сараа", "email": "saraa@example.mn",
                                 "consent": True} | values))


def ask(client, contact: str):
    """Send the form and follow the answer, as a browser does (the mail leaves once the first
    answer has gone out)."""
    return client.post("/tickets/lost", data={"contact": contact}, follow_redirects=True)


def delivered(mail_inbox) -> None:
    """The mails of registering are out (the tests register through the services, which only
    queue them); the inbox then holds only what asking for the links sends."""
    deliver_pending()
    mail_inbox.clear()


def body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_a_guest_gets_their_ticket_link_again_by_mail_and_it_opens_the_ticket(
        app, client, mail_inbox):
    event = factories.event(title_mn="Дарханы хотын форум: хог хаягдал")
    register_confirmed(event, saraa(phone="9911 2233"))
    delivered(mail_inbox)

    page = ask(client, "  Saraa@Example.MN ")

    assert page.status_code == 200
    assert mn(SENT) in text_of(page)
    [mail] = mail_inbox.to("saraa@example.mn")
    assert "Дарханы хотын форум: хог хаягдал" in mail["Subject"]
    ticket_page = client.get(manage_path(body(mail)))
    assert ticket_page.status_code == 200
    assert "ticket__qr" in text_of(ticket_page)  # the QR of a confirmed ticket
    assert "Батын Сараа" in text_of(ticket_page)


def test_a_phone_number_finds_the_registration_and_the_mail_goes_to_its_address(
        app, client, mail_inbox):
    first, second = factories.event(), factories.event(days_ahead=20)
    register_confirmed(first, saraa(phone="9911-2233"))
    register_confirmed(second, saraa(phone="+976 99112233"))
    delivered(mail_inbox)

    ask(client, "99112233")

    mails = mail_inbox.to("saraa@example.mn")
    assert len(mails) == 2  # one per registration, each with its own link
    paths = {manage_path(body(mail)) for mail in mails}
    assert len(paths) == 2
    assert all(client.get(path).status_code == 200 for path in paths)


def test_an_unknown_address_gets_the_same_answer_and_nobody_gets_mail(app, client, mail_inbox):
    event = factories.event()
    register_confirmed(event, saraa())
    delivered(mail_inbox)

    known = client.post("/tickets/lost", data={"contact": "saraa@example.mn"})
    known_page = text_of(client.get(known.headers["Location"]))
    unknown = client.post("/tickets/lost", data={"contact": "nobody@example.mn"})
    unknown_page = text_of(client.get(unknown.headers["Location"]))

    assert (known.status_code, known.headers["Location"]) == (
        unknown.status_code, unknown.headers["Location"])
    assert known_page == unknown_page and mn(SENT) in unknown_page
    assert mail_inbox.to("nobody@example.mn") == []


def test_a_seat_not_yet_confirmed_gets_its_confirmation_mail_again(app, client, mail_inbox):
    event = factories.event()
    registration, _ = services.register(event, saraa())
    assert registration.state == "held"
    delivered(mail_inbox)

    ask(client, "saraa@example.mn")

    [mail] = mail_inbox.to("saraa@example.mn")
    link = body(mail).split("/r/", 1)[1].split()[0]
    assert "/confirm/" in link
    client.post("/r/" + link)  # the owner of the mailbox presses "Confirm"
    assert db.session.get(Registration, registration.id).state == "confirmed"


def test_ended_and_cancelled_registrations_are_not_sent(app, client, mail_inbox):
    long_ago = utcnow() - timedelta(days=60)
    old = factories.event(publish=True, starts_at=utcnow() + timedelta(days=3))
    register_confirmed(old, saraa())
    old.starts_at, old.ends_at = long_ago, long_ago + timedelta(hours=3)
    cancelled_event = factories.event(days_ahead=5)
    cancelled, _ = register_confirmed(cancelled_event, saraa())
    services.cancel_registration(cancelled)
    db.session.commit()
    delivered(mail_inbox)

    page = ask(client, "saraa@example.mn")

    assert mn(SENT) in text_of(page)
    assert mail_inbox.to("saraa@example.mn") == []


def test_what_is_not_an_address_or_number_is_refused_clearly_and_nothing_is_sent(
        app, client, mail_inbox):
    for contact, message in (("", "Please enter the e-mail address or phone number you "
                                  "registered with."),
                             ("saraa", "Please enter an e-mail address (name@example.mn) or a "
                                       "phone number of digits (99112233).")):
        page = client.post("/tickets/lost", data={"contact": contact})
        assert page.status_code == 422
        assert mn(message) in text_of(page)
    assert mail_inbox.messages == []


@pytest.fixture
def limited_app(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, LOST_TICKET_ADDRESS_LIMIT="2 per hour",
                      LOST_TICKET_NETWORK_LIMIT="4 per hour")
    with app.app_context():
        factories.seed_reference()
        yield app


def test_asking_again_and_again_is_limited_per_address_then_per_network(limited_app,
                                                                      caplog):
    client = limited_app.test_client()
    caplog.set_level(logging.DEBUG)
    register_confirmed(factories.event(), saraa())

    same = [client.post("/tickets/lost", data={"contact": "saraa@example.mn"}).status_code
            for _ in range(3)]
    assert same == [302, 302, 429]
    page = client.post("/tickets/lost", data={"contact": "SARAA@example.mn"})
    assert page.status_code == 429 and mn(LIMITED) in text_of(page)
    # A refused form is not counted; another address from this network still gets through.
    assert client.post("/tickets/lost", data={"contact": "x"}).status_code == 422
    others = [client.post("/tickets/lost", data={"contact": f"p{n}@example.mn"}).status_code
              for n in range(3)]
    assert others == [302, 302, 429]  # the network's four answers are spent
    client.set_cookie(LANG_COOKIE, "en")
    english = client.post("/tickets/lost", data={"contact": "p9@example.mn"})
    assert english.status_code == 429 and LIMITED in text_of(english)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "saraa" not in logged.lower() and "example.mn" not in logged


def test_the_lost_ticket_page_is_linked_from_the_event_the_form_and_home(app, client):
    event = factories.event()
    for path in ("/", f"/events/{event.slug}", f"/events/{event.slug}/register"):
        assert 'href="/tickets/lost"' in client.get(path).get_data(as_text=True), path
