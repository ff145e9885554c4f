"""Contention over real HTTP: many people at once against gunicorn with several workers, on
the test database (SQLite, or PostgreSQL with DATABASE_URL). Guests get a seat as a hold
until the link in their e-mail confirms it; holds expire and give their seats back."""

import json
from datetime import timedelta

from sqlalchemy import func, select

from forum_app.events.models import Event
from forum_app.extensions import db
from forum_app.i18n import utcnow
from forum_app.registration import services
from forum_app.registration.models import SEATED_STATES, Registration, Ticket
from forum_app.registration.services import waitlist_position
from tests import factories
from tests.http import all_at_once, post
from tests.registration.support import confirmation_link


def _register(server, event_id: int, n: int):
    status, body = post(f"{server.url}/api/v1/events/{event_id}/registrations", {
        "name": f"Оролцогч {n}", "email": f"rush{n}@example.mn", "consent": True})
    return status, json.loads(body)


def _confirm(server, address: str):
    """The owner of `address` presses the button behind the link in their mail."""
    return post(server.url + confirmation_link(address)["path"], form=b"")


def _rows(event_id: int) -> list[Registration]:
    db.session.commit()  # end this test's read snapshot to see what the server wrote
    return list(db.session.scalars(select(Registration).where(
        Registration.event_id == event_id).order_by(Registration.id)))


def _seated(event_id: int) -> int:
    return sum(r.state in SEATED_STATES for r in _rows(event_id))


def _valid_tickets(event_id: int) -> int:
    return db.session.scalar(select(func.count(Ticket.id)).join(Registration).where(
        Registration.event_id == event_id, Ticket.revoked_at.is_(None)))


def test_100_people_at_once_for_20_seats_then_the_holds_expire(app, gunicorn_server):
    event_id = factories.event(capacity=20).id
    results = all_at_once(100, lambda n: _register(gunicorn_server, event_id, n))
    assert [status for status, _ in results] == [201] * 100
    answered = [body["status"] for _, body in results]
    assert answered.count("held") == 20 and answered.count("waitlisted") == 80
    assert not any("ticket" in body for _, body in results)

    rows = _rows(event_id)
    assert sum(r.state == "held" for r in rows) == 20
    waiting = [r for r in rows if r.state == "waitlisted"]
    assert [waitlist_position(r) for r in waiting] == list(range(1, 81))
    assert db.session.get(Event, event_id).confirmed_count == 20
    assert _valid_tickets(event_id) == 0

    # Nobody confirmed: after the hold time, two purges and a registration's own release run
    # at once; the 20 seats go to the first 20 waiting, in order, never to more.
    later = utcnow() + timedelta(minutes=31)
    expired_ids = {r.id for r in rows if r.state == "held"}
    first_waiting = [r.id for r in waiting[:20]]

    def release(_n):
        with app.app_context():
            try:
                return services.release_all_expired_holds(now=later)
            finally:
                db.session.remove()

    assert sum(all_at_once(3, release)) == 20
    rows = _rows(event_id)
    assert {r.id for r in rows if r.state == "expired"} == expired_ids
    assert [r.id for r in rows if r.state == "held"] == first_waiting
    still_waiting = [r for r in rows if r.state == "waitlisted"]
    assert [r.id for r in still_waiting] == [r.id for r in waiting[20:]]
    assert [waitlist_position(r) for r in still_waiting] == list(range(1, 61))
    assert _seated(event_id) == 20 and db.session.get(Event, event_id).confirmed_count == 20

    # A link followed after its hold expired: the seats are taken, so the person is told.
    late = next(r for r in rows if r.id in expired_ids)
    status, page = _confirm(gunicorn_server, late.email)
    assert status == 200 and "/register" in page.decode()
    assert db.session.get(Registration, late.id).state == "expired"
    assert _seated(event_id) == 20


def test_confirming_holds_at_once_never_exceeds_capacity(app, gunicorn_server):
    event_id = factories.event(capacity=20).id
    for n in range(30):
        assert _register(gunicorn_server, event_id, n)[0] == 201
    # Every one of the 30 confirms at the same moment: the 20 holds become tickets; the 10
    # waiting are proven, so a seat given to them later is confirmed at once.
    paths = [confirmation_link(f"rush{n}@example.mn")["path"] for n in range(30)]
    results = all_at_once(30, lambda n: post(gunicorn_server.url + paths[n], form=b""))
    assert [status for status, _ in results] == [200] * 30
    rows = _rows(event_id)
    assert sum(r.state == "confirmed" for r in rows) == 20
    assert sum(r.state == "waitlisted" and r.proven_at is not None for r in rows) == 10
    assert db.session.get(Event, event_id).confirmed_count == 20
    assert _valid_tickets(event_id) == 20
    assert db.session.scalar(select(func.count(func.distinct(Ticket.code))).join(
        Registration).where(Registration.event_id == event_id)) == 20


def test_cancellations_and_new_registrations_at_once_never_exceed_capacity(app, gunicorn_server):
    event_id = factories.event(capacity=20).id
    first = [_register(gunicorn_server, event_id, n)[1] for n in range(40)]
    tokens = [body["manage_url"].rsplit("/", 1)[1] for body in first
              if body["status"] == "held"][:10]

    def work(n):
        if n < len(tokens):
            return post(f"{gunicorn_server.url}/r/{tokens[n]}/cancel", form=b"confirm=y")
        return _register(gunicorn_server, event_id, 100 + n)

    results = all_at_once(30, work)
    assert all(status in (200, 201, 302, 303) for status, _ in results)
    states = [r.state for r in _rows(event_id)]
    assert states.count("cancelled") == 10
    assert _seated(event_id) == 20
    assert db.session.get(Event, event_id).confirmed_count == 20
