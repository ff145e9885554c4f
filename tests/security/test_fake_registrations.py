"""Finding 3 (Medium): eleven anonymous API calls with made-up addresses took all ten seats
of an event in 0.3 s, and the real owner of such an address was then refused as "already
registered". One network now makes a bounded number of registrations per event, and the
owner of an address is sent the link that cancels what was made in their name."""

from sqlalchemy import select

from forum_app.extensions import db
from forum_app.registration.models import Registration, RegistrationState
from tests import factories
from tests.registration.support import guest


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
    link = next(line for line in body.splitlines() if "/r/" in line).split(": ", 1)[1].strip()
    manage = link.replace("http://localhost", "")
    page = client.get(manage)
    assert page.status_code == 200
    assert client.post(manage + "/cancel", data={"confirm": "y"}).status_code == 302
    [registration] = db.session.scalars(select(Registration)).all()
    db.session.refresh(registration)
    assert registration.state == RegistrationState.CANCELLED
