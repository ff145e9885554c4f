"""Finding 3 (Medium): eleven anonymous API calls with made-up addresses took all ten seats
of an event in 0.3 s, and the real owner of such an address was then refused as "already
registered". One network now makes a bounded number of registrations per event; a seat taken
without a proven e-mail is only held until the link in the mail confirms it, and goes back
when nobody does; the owner of an address is sent the link that cancels (or confirms) what was
made in their name."""

from sqlalchemy import func, select

from forum_app.events.models import Event
from forum_app.extensions import db
from forum_app.registration import services
from forum_app.registration.models import Registration, RegistrationState, Ticket
from tests import factories
from tests.registration.support import confirm_in_browser, guest
from tests.support import mn, text_of


def api_register(client, event_id: int, n: int, address: str = "203.0.113.9"):
    return client.post(f"/api/v1/events/{event_id}/registrations",
                       json={"name": f"Хуурамч {n}", "email": f"fake{n}@example.mn",
                             "consent": True},
                       environ_base={"REMOTE_ADDR": address})


def test_one_network_cannot_take_every_seat(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, REGISTRATION_NETWORK_LIMIT="3 per hour")
    client = app.test_client()
    with app.app_context():
        factories.seed_reference()
        event_id = factories.event(capacity=10).id
    # The same /24 network, whatever the last address bits.
    codes = [api_register(client, event_id, n, f"203.0.113.{n + 1}").status_code for n in range(5)]
    assert codes == [201, 201, 201, 429, 429]
    assert api_register(client, event_id, 9, "198.51.100.4").status_code == 201  # others still can


def test_the_owner_of_an_address_gets_the_link_to_cancel_what_someone_else_made(
        client, mail_inbox):
    event = factories.event(capacity=10)
    client.post(f"/api/v1/events/{event.id}/registrations",
                json={"name": "Хулгайч", "email": "owner@example.mn", "consent": True})
    mail_inbox.clear()
    page = client.post(f"/events/{event.slug}/register",
                       data=guest(email="owner@example.mn", name="Жинхэнэ эзэн"))
    assert page.status_code == 422
    [mail] = mail_inbox.to("owner@example.mn")
    body = mail.get_body(("plain",)).get_content()
    link = next(line for line in body.splitlines()
                if "/r/" in line and "/confirm/" not in line).split(": ", 1)[1].strip()
    manage = link.replace("http://localhost", "")
    page = client.get(manage)
    assert page.status_code == 200
    assert client.post(manage + "/cancel", data={"confirm": "y"}).status_code == 302
    [registration] = db.session.scalars(select(Registration)).all()
    db.session.refresh(registration)
    assert registration.state == RegistrationState.CANCELLED


def test_eleven_made_up_addresses_hold_seats_for_a_while_and_never_get_a_ticket(
        app_factory, clock):
    app = app_factory(RATELIMIT_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        factories.seed_reference()
        event = factories.event(capacity=10)
        # The attack of the finding, from eleven networks so no network limit stops it.
        answers = [api_register(client, event.id, n, f"198.51.{n}.7") for n in range(11)]
        assert [a.status_code for a in answers] == [201] * 11
        assert [a.get_json()["status"] for a in answers] == ["held"] * 10 + ["waitlisted"]
        assert all("ticket" not in a.get_json() for a in answers)
        assert db.session.scalar(select(func.count(Ticket.id))) == 0  # nothing to show at a door

        # A real person now joins the waiting list.
        real = client.post(f"/events/{event.slug}/register",
                           data=guest(name="Жинхэнэ Оролцогч", email="real@example.mn"),
                           environ_base={"REMOTE_ADDR": "192.0.2.10"})
        assert real.status_code == 302
        assert db.session.scalar(select(Registration.state).where(
            Registration.email == "real@example.mn")) == "waitlisted"

        clock.advance(minutes=31)  # nobody could confirm a made-up address
        assert services.release_all_expired_holds() == 10
        db.session.commit()
        states = dict(db.session.execute(select(Registration.email, Registration.state)).all())
        assert [states[f"fake{n}@example.mn"] for n in range(10)] == ["expired"] * 10
        # The seats went back: the waiting list (the eleventh fake, then the real person) is
        # seated in order, as holds, and eight seats are free for anyone.
        assert states["fake10@example.mn"] == "held" and states["real@example.mn"] == "held"
        assert db.session.get(Event, event.id).seats_left == 8
        confirmed = confirm_in_browser(client, "real@example.mn")
        assert mn("Your seat is confirmed. Here is your ticket; we have also sent it to "
                  "%(email)s.", email="real@example.mn") in text_of(
                      client.get(confirmed.headers["Location"]))

        # The owner of a made-up address registers for real once the hold has gone.
        owner = client.post(f"/events/{event.slug}/register",
                            data=guest(name="Хаягийн эзэн", email="fake3@example.mn"),
                            environ_base={"REMOTE_ADDR": "192.0.2.11"})
        assert owner.status_code == 302
        confirm_in_browser(client, "fake3@example.mn")
        db.session.commit()
        assert db.session.scalar(select(func.count(Ticket.id)).where(
            Ticket.revoked_at.is_(None))) == 2  # the two real people, nobody else
