"""Many phones at one door over real HTTP (gunicorn, several workers): a ticket is admitted
exactly once, and a request repeated with its nonce is answered once and recorded once."""

import json

from sqlalchemy import func, select

from forum_app.checkin.models import CheckIn
from forum_app.extensions import db
from tests import factories
from tests.http import all_at_once, post

from .support import device_token, event_on, person


def _scan(server, token: str, body: dict):
    return post(f"{server.url}/api/v1/checkin", body,
                headers={"Authorization": f"Bearer {token}"})


def _door(app):
    organiser = factories.user("door@example.mn", roles=["organiser"])
    event = event_on(organiser, whole_day=True)
    ticket = person(event, "Батын Сараа").ticket
    # Several phones at the entrance, each with its own token.
    tokens = [device_token(organiser, event, f"Утас {n}") for n in range(5)]
    return ticket.id, ticket.code, tokens


def test_50_phones_scanning_one_ticket_at_once_admit_it_exactly_once(app, gunicorn_server):
    ticket_id, code, tokens = _door(app)
    answers = all_at_once(50, lambda n: _scan(gunicorn_server, tokens[n % len(tokens)], {
        "code": code, "nonce": f"rush-{n}", "gate": f"Хаалга {n % 3}"}))

    assert [status for status, _ in answers] == [200] * 50, answers[:3]
    results = [json.loads(body)["result"] for _, body in answers]
    assert results.count("admitted") == 1
    assert results.count("already_checked_in") == 49

    db.session.commit()
    assert db.session.scalar(select(func.count(CheckIn.id))) == 50
    standing = db.session.scalars(select(CheckIn).where(
        CheckIn.ticket_id == ticket_id, CheckIn.result == "admitted",
        CheckIn.annulled_at.is_(None))).all()
    assert len(standing) == 1
    # Every "already" names the one standing admission.
    admitted_id = standing[0].id
    assert {json.loads(body)["previous"]["checkin_id"] for _, body in answers
            if json.loads(body)["result"] == "already_checked_in"} == {admitted_id}


def test_10_copies_of_one_request_are_answered_alike_and_recorded_once(app, gunicorn_server):
    _ticket_id, code, tokens = _door(app)
    body = {"code": code, "nonce": "phone-7-scan-42"}
    answers = all_at_once(10, lambda n: _scan(gunicorn_server, tokens[0], body))

    assert [status for status, _ in answers] == [200] * 10
    parsed = [json.loads(raw) for _, raw in answers]
    assert all(answer == parsed[0] for answer in parsed)
    assert parsed[0]["result"] == "admitted"
    db.session.commit()
    assert db.session.scalar(select(func.count(CheckIn.id))) == 1
