"""Votes from the room over real HTTP (gunicorn, several workers), on SQLite and PostgreSQL:
twenty presses at once by one ticket count once; many voters at once are all counted."""

import json

from sqlalchemy import func, select

from forum_app.deliberation.models import Ballot, BallotReceipt, vote_counts
from forum_app.extensions import db
from tests.http import all_at_once, post

from .support import admitted, item_at


def _vote(server, item_id: int, body: dict):
    return post(f"{server.url}/api/v1/agenda-items/{item_id}/votes", body)


def test_20_presses_at_once_by_one_ticket_count_once(app, organiser, forum, gunicorn_server):
    item = item_at(organiser, forum, "voting")
    options = [option.id for option in item.options]
    code = admitted(forum, organiser, "Батын Сараа").ticket.code
    item_id = item.id  # the threads have no app context to load it
    answers = all_at_once(20, lambda n: _vote(gunicorn_server, item_id, {
        "ticket": code, "option_id": options[n % 2]}))

    statuses = sorted(status for status, _ in answers)
    assert statuses == [201] + [409] * 19, answers[:3]
    assert {json.loads(body)["code"] for status, body in answers if status == 409} \
        == {"already_voted"}
    db.session.commit()
    assert db.session.scalar(select(func.count(BallotReceipt.id))) == 1
    assert db.session.scalar(select(func.count()).select_from(Ballot)) == 1
    assert sum(vote_counts(item.id).values()) == 1


def test_many_voters_at_once_are_each_counted(app, organiser, forum, gunicorn_server):
    item = item_at(organiser, forum, "voting")
    first, second = (option.id for option in item.options)
    codes = [admitted(forum, organiser).ticket.code for _ in range(12)]
    item_id = item.id
    answers = all_at_once(12, lambda n: _vote(gunicorn_server, item_id, {
        "ticket": codes[n], "option_id": first if n < 7 else second}))

    assert [status for status, _ in answers] == [201] * 12, answers[:3]
    db.session.commit()
    assert vote_counts(item.id) == {first: 7, second: 5}
    assert db.session.scalar(select(func.count(BallotReceipt.id))) == 12
