"""The rush and the door hold the database's write lock once per request, only while they
write, and read nothing again after it: a registration or a scan that waited for another's
lock would queue the whole crowd behind it (issue 14). The duplicate check reads one index
entry, however many people registered for the event."""

import pytest
from sqlalchemy import select

from forum_app.extensions import db
from forum_app.registration.models import Registration
from forum_app.registration.services import registering
from tests import factories
from tests.checkin.support import device_token, event_on, nonce, person
from tests.support import counted_transactions, sqlite_query_plans


@pytest.fixture
def app(app_factory):
    """Mail is left to the sender (MAIL_DELIVERY=worker), as on a busy day: the request's
    own transactions are what is counted."""
    app = app_factory(MAIL_DELIVERY="worker")
    with app.app_context():
        factories.seed_reference()
        yield app


def _writing(transactions: list[dict]) -> list[dict]:
    return [t for t in transactions if t["writes"] or t["begin"] == "BEGIN IMMEDIATE"]


def _reads_after_the_write(transactions: list[dict]) -> list[str]:
    last_write = max(i for i, t in enumerate(transactions) if t in _writing(transactions))
    return [s for t in transactions[last_write + 1:] for s in t["statements"]]


def _one_short_write(transactions: list[dict]) -> None:
    assert len(_writing(transactions)) == 1, transactions
    assert _reads_after_the_write(transactions) == []
    assert all(t["begin"] != "BEGIN IMMEDIATE" for t in transactions if not t["writes"])


def test_a_guest_registered_through_the_api_holds_the_write_lock_once(app, client):
    forum = factories.event(capacity=5)
    with counted_transactions() as transactions:
        answer = client.post(f"/api/v1/events/{forum.id}/registrations", json={
            "name": "Батболд", "email": "batbold@example.mn", "consent": True})
    assert answer.status_code == 201
    assert answer.json["status"] == "held"
    _one_short_write(transactions)
    assert db.session.scalar(select(Registration.name)) == "Батболд"


def test_a_registration_takes_its_seat_last_so_the_event_row_is_locked_only_at_the_end(
        app, client):
    """On PostgreSQL every registration updates the event's row (the seat count) and holds
    its lock until the commit: while seats are left, that UPDATE is the last write but the
    page-version bump, after the registration's, its audit entry's and its mail's rows."""
    forum = factories.event(capacity=5)
    with counted_transactions() as transactions:
        answer = client.post(f"/api/v1/events/{forum.id}/registrations", json={
            "name": "Номин", "email": "nomin@example.mn", "consent": True})
    assert answer.status_code == 201
    (write,) = _writing(transactions)
    writes = [" ".join(s.split()[:3]) for s in write["statements"] if not s.startswith("SELECT")]
    assert writes == ["INSERT INTO registrations", "INSERT INTO registration_search_terms",
                      "INSERT INTO audit_events", "INSERT INTO outbox_messages",
                      "UPDATE events SET", "INSERT INTO page_versions"]
    db.session.refresh(forum)
    assert forum.confirmed_count == 1


def test_a_guest_registered_with_the_form_holds_the_write_lock_once(app, client):
    forum = factories.event(capacity=5)
    with counted_transactions() as transactions:
        answer = client.post(f"/events/{forum.slug}/register", data={
            "name": "Сарнай", "email": "sarnai@example.mn", "consent": "y",
            "stakeholder_kind": "citizen", "language": "mn"})
    assert answer.status_code == 302
    _one_short_write(transactions)
    assert db.session.scalar(select(Registration.email)) == "sarnai@example.mn"


def test_a_device_scan_holds_the_write_lock_once_and_admits(app, client):
    organiser = factories.user("door@example.mn", roles=["organiser"])
    forum = event_on(organiser, whole_day=True)
    token = device_token(organiser, forum)
    first, code = person(forum).ticket.code, person(forum, name="Тэмүүлэн").ticket.code
    auth = {"Authorization": f"Bearer {token}"}
    # The device's first request of a minute also notes when it was last seen.
    assert client.post("/api/v1/checkin", headers=auth,
                       json={"code": first, "nonce": nonce()}).json["result"] == "admitted"
    with counted_transactions() as transactions:
        answer = client.post("/api/v1/checkin", headers=auth, json={"code": code, "nonce": nonce()})
    assert answer.json["result"] == "admitted"
    assert answer.json["attendee"]["name"] == "Тэмүүлэн"
    _one_short_write(transactions)


def test_the_duplicate_check_reads_the_active_person_index(app):
    """On SQLite the partial unique index serves the check only when the query repeats the
    index's condition literally (bound state values would make SQLite walk the event's rows)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's query plan")
    with sqlite_query_plans(
            lambda statement: statement.lstrip().startswith("SELECT registrations.id")) as plans:
        assert registering._existing_id(1, "a@example.mn") is None
    details = " ".join(plans)
    assert "uq_registrations_active_person" in details, plans
    assert "SCAN registrations" not in details


def test_the_one_look_inside_the_write_lock_reads_two_index_ranges(app):
    """Inside the write lock a registration reads once: the person's active registration (the
    partial unique index, its condition repeated literally) and whether any hold of the event
    is past its time (the holds' expiry index), with no walk through the event's rows."""
    from forum_app.i18n import utcnow

    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's query plan")
    forum = factories.event(capacity=5)
    with sqlite_query_plans(
            lambda statement: statement.lstrip().startswith("SELECT (SELECT")) as plans:
        assert registering._first_look(forum.id, "a@example.mn", utcnow()) == (None, False)
    details = " ".join(plans)
    assert "uq_registrations_active_person" in details, plans
    assert "ix_registrations_event_hold_expiry" in details, plans
    assert "SCAN registrations" not in details


def test_looking_for_expired_holds_reads_no_live_hold(app):
    """Every registration looks for the event's expired holds inside the write lock; at a rush
    the event has thousands of live ones (every guest's seat is held until confirmed), and
    walking them took 17 ms per registration at 5,000. The index finds the expired ones
    directly (SQLite's query plan says so)."""
    from forum_app.i18n import utcnow
    from forum_app.registration.services.seats import release_expired_holds

    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's query plan")
    forum = factories.event(capacity=5)
    with sqlite_query_plans(lambda statement: "hold_expires_at <=" in statement) as plans:
        assert release_expired_holds(forum.id, utcnow()) == 0
    details = " ".join(plans)
    assert "ix_registrations_event_hold_expiry" in details, plans
    assert "hold_expires_at<?" in details.replace(" ", ""), plans
