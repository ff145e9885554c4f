"""Contention over real HTTP: many people at once against gunicorn with several workers."""

import json

from sqlalchemy import func, select

from forum_app.events.models import Event
from forum_app.extensions import db
from forum_app.registration.models import Registration, Ticket
from forum_app.registration.services import waitlist_position
from tests import factories
from tests.http import all_at_once, post


def _register(server, event_id: int, n: int):
    status, body = post(f"{server.url}/api/v1/events/{event_id}/registrations", {
        "name": f"Оролцогч {n}", "email": f"rush{n}@example.mn", "consent": True})
    return status, json.loads(body)


def test_100_people_at_once_for_20_seats(app, gunicorn_server):
    event_id = factories.event(capacity=20).id
    results = all_at_once(100, lambda n: _register(gunicorn_server, event_id, n))
    assert [status for status, _ in results] == [201] * 100
    answered = [body["status"] for _, body in results]
    assert answered.count("confirmed") == 20 and answered.count("waitlisted") == 80
    codes = [body["ticket"]["code"] for _, body in results if body["status"] == "confirmed"]
    assert len(set(codes)) == 20

    db.session.commit()
    rows = db.session.scalars(select(Registration).where(
        Registration.event_id == event_id).order_by(Registration.id)).all()
    assert sum(r.state == "confirmed" for r in rows) == 20
    waiting = [r for r in rows if r.state == "waitlisted"]
    assert [waitlist_position(r) for r in waiting] == list(range(1, 81))
    assert db.session.get(Event, event_id).confirmed_count == 20
    assert db.session.scalar(select(func.count(func.distinct(Ticket.code)))) == 20


def test_cancellations_and_new_registrations_at_once_never_exceed_capacity(app, gunicorn_server):
    event_id = factories.event(capacity=20).id
    first = [_register(gunicorn_server, event_id, n)[1] for n in range(40)]
    tokens = [body["manage_url"].rsplit("/", 1)[1] for body in first
              if body["status"] == "confirmed"][:10]

    def work(n):
        if n < len(tokens):
            return post(f"{gunicorn_server.url}/r/{tokens[n]}/cancel", form=b"confirm=y")
        return _register(gunicorn_server, event_id, 100 + n)

    results = all_at_once(30, work)
    assert all(status in (200, 201, 302, 303) for status, _ in results)
    db.session.commit()
    states = list(db.session.scalars(select(Registration.state).where(
        Registration.event_id == event_id)))
    assert states.count("cancelled") == 10
    assert states.count("confirmed") == 20
    assert db.session.get(Event, event_id).confirmed_count == 20
    valid_tickets = db.session.scalar(select(func.count(Ticket.id)).join(Registration).where(
        Registration.event_id == event_id, Ticket.revoked_at.is_(None)))
    assert valid_tickets == 20
