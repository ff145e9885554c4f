"""PostgreSQL connections are checked after a rest in the pool, not at every checkout: a
connection the server dropped while it rested is replaced before a request uses it, and a
busy worker's requests send no check (database.ping_after_rest)."""

import os

import pytest
from sqlalchemy import create_engine, text

from forum_app import database
from forum_app.extensions import db

from .. import factories

pytestmark = pytest.mark.skipif(not os.environ.get("DATABASE_URL"),
                                reason="PostgreSQL's connection pool (DATABASE_URL)")


@pytest.fixture
def pings(app, monkeypatch):
    """How many checks the pool sends (the dialect's ping, counted, then sent as ever)."""
    sent = []
    dialect = db.engine.dialect
    ping = dialect.do_ping
    monkeypatch.setattr(dialect, "do_ping", lambda connection: sent.append(1) or ping(connection))
    return sent


def _backend_pid() -> int:
    return db.session.execute(text("SELECT pg_backend_pid()")).scalar()


def test_a_connection_dropped_while_resting_is_replaced_and_the_page_answers(
        app, client, pings, monkeypatch):
    slug = factories.event(factories.user("org@example.mn", roles=["organiser"]),
                           title_mn="Дархан хотын форум").slug
    first = _backend_pid()
    db.session.commit()  # back to the pool
    db.session.remove()
    admin = create_engine(db.engine.url)  # another connection than the pool's
    with admin.begin() as connection:
        assert connection.execute(text("SELECT pg_terminate_backend(:pid)"),
                                  {"pid": first}).scalar()
    admin.dispose()
    monkeypatch.setattr(database, "REST_BEFORE_PING", 0.0)

    answer = client.get(f"/events/{slug}")

    assert answer.status_code == 200
    assert "Дархан хотын форум" in answer.get_data(as_text=True)
    assert pings  # the rested connection was checked, found dead, and replaced
    assert _backend_pid() != first


def test_requests_in_a_row_send_no_check(app, client, pings):
    factories.event(factories.user("org@example.mn", roles=["organiser"]))
    db.session.commit()
    db.session.remove()

    for _ in range(5):
        assert client.get("/events/").status_code == 200

    assert pings == []
