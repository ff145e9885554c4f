"""Checking people in at the door, through the one service the scanner page, the API and the
offline sync use: every rule, every scan recorded, undo, per-day and per-session entry."""

from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from forum_app.audit.models import AuditEvent
from forum_app.checkin.models import CheckIn
from forum_app.checkin.services import annul_check_in, check_in
from forum_app.errors import DomainError
from forum_app.events.services import add_session
from forum_app.extensions import db
from forum_app.registration.models import Ticket
from forum_app.registration.services import cancel_registration, decline_registration
from forum_app.registration.tickets import new_ticket_code
from tests import factories
from tests.support import mn

from .support import event_on, local, nonce, person, today

ALPHABET = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") | set("DF1-")


@pytest.fixture
def event(organiser):
    return event_on(organiser, title_mn="Цэвэр усны форум", title_en="Clean water forum")


def scan(code, event, organiser, *, hour=10, day=None, **kwargs):
    kwargs.setdefault("nonce", nonce())
    return check_in(code, event=event, device=None, staff=organiser,
                    now=local(day or today(), hour), **kwargs)


def rows(**where) -> list[CheckIn]:
    query = select(CheckIn).order_by(CheckIn.id)
    for key, value in where.items():
        query = query.where(getattr(CheckIn, key) == value)
    return list(db.session.scalars(query))


def test_a_ticket_is_admitted_once_then_told_when_where_and_by_whom(event, organiser):
    saraa = person(event, "Батын Сараа", stakeholder_kind="ngo", organisation="Ногоон Дархан",
                   accessibility_needs="Тэргэнцэртэй")
    code = saraa.ticket.code

    first = scan(f"  {code.lower()} ", event, organiser, gate="Гол хаалга")
    assert first.result == "admitted" and first.admitted
    assert first.attendee == {"registration_id": saraa.id, "name": "Батын Сараа",
                              "stakeholder_kind": "ngo",
                              "stakeholder_label": mn("NGO / civil society"),
                              "organisation": "Ногоон Дархан",
                              "accessibility_needs": "Тэргэнцэртэй"}
    assert "Батын Сараа" in first.message

    again = scan(code, event, organiser, hour=11, gate="Хойд хаалга")
    assert again.result == "already_checked_in" and not again.admitted
    assert again.previous["gate"] == "Гол хаалга" and again.previous["by"] == "Сарангэрэл"
    assert again.previous["at"].startswith(f"{today().isoformat()}T10:00:00")
    assert again.previous["at"].endswith("+08:00")
    assert "Гол хаалга" in again.message and "Сарангэрэл" in again.message
    assert again.attendee["name"] == "Батын Сараа"

    recorded = rows(event_id=event.id)
    assert [r.result for r in recorded] == ["admitted", "already_checked_in"]
    assert all(r.ticket_id == saraa.ticket.id and r.staff_id == organiser.id for r in recorded)
    assert recorded[1].gate == "Хойд хаалга"


def test_the_answer_is_in_the_readers_language(event, organiser):
    code = person(event, "Дорж").ticket.code
    with force_locale("en"):
        outcome = scan(code, event, organiser)
        assert outcome.message == "Admitted: Дорж"
        assert outcome.as_json()["label"] == "Admitted"


def test_a_repeated_nonce_gets_the_first_answer_and_records_nothing(event, organiser):
    code = person(event).ticket.code
    first = scan(code, event, organiser, nonce="phone-1-scan-1")
    repeated = scan(code, event, organiser, nonce="phone-1-scan-1", hour=12)
    assert repeated.replayed and not first.replayed
    assert repeated.as_json() == first.as_json()
    assert len(rows()) == 1

    second = scan(code, event, organiser, nonce="phone-1-scan-2")
    assert scan(code, event, organiser, nonce="phone-1-scan-2").as_json() == second.as_json()
    assert len(rows()) == 2

    with pytest.raises(DomainError) as reused:
        scan(person(event).ticket.code, event, organiser, nonce="phone-1-scan-1")
    assert reused.value.code == "nonce_reused" and len(rows()) == 2


@pytest.mark.parametrize("bad", ["", " ", "x" * 65, None, 17, "a\x00b"])
def test_a_scan_without_a_proper_nonce_is_refused_and_not_recorded(event, organiser, bad):
    code = person(event).ticket.code
    with pytest.raises(DomainError) as refused:
        scan(code, event, organiser, nonce=bad)
    assert refused.value.code == "bad_nonce" and rows() == []


def test_every_single_character_change_of_a_code_is_unknown(event, organiser):
    code = person(event).ticket.code
    changed = [code[:i] + ch + code[i + 1:] for i in range(len(code))
               for ch in sorted(ALPHABET - {code[i]})]
    assert len(changed) > 30 * 30
    results = {scan(fake, event, organiser).result for fake in changed}
    assert results == {"unknown"}
    assert len(rows(result="unknown")) == len(changed)
    assert all(r.ticket_id is None for r in rows(result="unknown"))
    assert scan(code, event, organiser).result == "admitted"


def test_rubbish_is_unknown_and_recorded(event, organiser):
    for junk in ("", "hello", "DF1-", "x" * 500, "DF1-ÄÖ\x00"):
        assert scan(junk, event, organiser).result == "unknown"
    assert len(rows(result="unknown")) == 5
    assert all(len(r.code_scanned) <= 80 for r in rows())


def test_cancelled_and_declined_registrations_are_rejected_as_cancelled(event, organiser):
    cancelled, declined = person(event), person(event)
    cancel_registration(cancelled, actor=organiser, by_staff=True, reason="Ирэхгүй")
    decline_registration(organiser, declined, "Давхардсан бүртгэл")
    for registration in (cancelled, declined):
        outcome = scan(registration.ticket.code, event, organiser)
        assert outcome.result == "cancelled"
        assert outcome.attendee["registration_id"] == registration.id
    assert [r.ticket_id for r in rows(result="cancelled")] == [cancelled.ticket.id,
                                                                declined.ticket.id]


def test_waitlisted_and_pending_registrations_are_not_confirmed(organiser):
    full = event_on(organiser, capacity=1)
    person(full)
    waiting = person(full)
    approval = event_on(organiser, registration_mode="approval")
    pending = person(approval)
    assert (waiting.state, pending.state) == ("waitlisted", "pending_approval")
    # Tickets come only with a seat; a ticket that outlived its seat must still not open the
    # door (e.g. restored from a backup).
    for registration in (waiting, pending):
        db.session.add(Ticket(registration_id=registration.id, code=new_ticket_code()))
    db.session.commit()

    with force_locale("en"):
        on_list = scan(waiting.ticket.code, full, organiser)
        awaiting = scan(pending.ticket.code, approval, organiser)
    assert on_list.result == "not_confirmed" and "waiting list" in on_list.message
    assert awaiting.result == "not_confirmed" and "approval" in awaiting.message


def test_a_ticket_for_another_event_names_that_event(event, organiser):
    other = event_on(organiser, title_mn="Агаарын бохирдлын форум", title_en="Air quality forum")
    stranger = person(other, "Гадны хүн")
    outcome = scan(stranger.ticket.code, event, organiser)
    assert outcome.result == "wrong_event"
    assert outcome.other_event == {"id": other.id, "title": "Агаарын бохирдлын форум"}
    assert "Агаарын бохирдлын форум" in outcome.message
    assert outcome.attendee is None  # the other event's attendee is not shown here
    with force_locale("en"):
        assert "Air quality forum" in scan(stranger.ticket.code, event, organiser).message
    assert rows(result="wrong_event")[0].ticket_id == stranger.ticket.id


def test_an_event_tomorrow_is_not_running_today(organiser):
    tomorrow = event_on(organiser, today() + timedelta(days=1))
    code = person(tomorrow).ticket.code
    outcome = scan(code, tomorrow, organiser)
    assert outcome.result == "not_today" and outcome.attendee is not None
    assert scan(code, tomorrow, organiser, day=today() + timedelta(days=1)).result == "admitted"


def test_per_day_entry_admits_again_the_next_day(organiser):
    fair = event_on(organiser, days=2, entry_mode="day")
    code = person(fair).ticket.code
    assert scan(code, fair, organiser).result == "admitted"
    assert scan(code, fair, organiser, hour=15).result == "already_checked_in"
    next_day = today() + timedelta(days=1)
    assert scan(code, fair, organiser, day=next_day).result == "admitted"
    assert scan(code, fair, organiser, day=next_day + timedelta(days=1)).result == "not_today"
    assert [r.scope for r in rows(result="admitted")] == [
        f"day:{today().isoformat()}", f"day:{next_day.isoformat()}"]


def test_per_session_entry_admits_once_per_session(organiser):
    forum = event_on(organiser, days=2, entry_mode="session")
    tomorrow = today() + timedelta(days=1)
    morning, afternoon, later = (
        add_session(organiser, forum, {"title_mn": title, "starts_at": local(day, start),
                                       "ends_at": local(day, start + 2)})
        for title, day, start in (("Өглөө", today(), 9), ("Үдээс хойш", today(), 14),
                                  ("Маргааш", tomorrow, 9)))
    code = person(forum).ticket.code

    with pytest.raises(DomainError) as no_session:
        scan(code, forum, organiser)
    assert no_session.value.code == "session_required"
    other_session = add_session(organiser, event_on(organiser), {
        "title_mn": "Өөр", "starts_at": local(today(), 10), "ends_at": local(today(), 11)})
    with pytest.raises(DomainError) as foreign:
        scan(code, forum, organiser, session_id=other_session.id)
    assert foreign.value.code == "bad_session" and rows() == []

    assert scan(code, forum, organiser, session_id=morning.id).result == "admitted"
    again = scan(code, forum, organiser, session_id=morning.id)
    assert again.result == "already_checked_in" and again.previous["gate"] == "Өглөө"
    assert scan(code, forum, organiser, session_id=afternoon.id, hour=14).result == "admitted"
    assert scan(code, forum, organiser, session_id=later.id).result == "not_today"
    assert scan(code, forum, organiser, session_id=later.id, day=tomorrow).result == "admitted"


def test_an_admission_can_be_annulled_within_15_minutes_with_a_reason(event, organiser):
    code = person(event).ticket.code
    admitted = scan(code, event, organiser)
    checkin = db.session.get(CheckIn, admitted.checkin_id)
    soon = local(today(), 10, 14)

    with pytest.raises(DomainError) as no_reason:
        annul_check_in(organiser, checkin, "  ", now=soon)
    assert no_reason.value.code == "reason_required"
    outsider = factories.user(roles=["organiser"])
    with pytest.raises(DomainError) as forbidden:
        annul_check_in(outsider, checkin, "Буруу хүн", now=soon)
    assert forbidden.value.code == "forbidden"
    assert db.session.get(CheckIn, admitted.checkin_id).annulled_at is None

    annul_check_in(organiser, checkin, "Буруу хүнийг уншуулсан", now=soon)
    checkin = db.session.get(CheckIn, admitted.checkin_id)
    assert checkin.annulled_at == soon and checkin.annulled_by_id == organiser.id
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "checkin.annulled"))
    assert (audit.actor_id, audit.object_id, audit.reason) == (
        organiser.id, checkin.id, "Буруу хүнийг уншуулсан")
    with pytest.raises(DomainError) as twice:
        annul_check_in(organiser, checkin, "Дахин", now=soon)
    assert twice.value.code == "already_annulled"

    readmitted = scan(code, event, organiser, hour=11)
    assert readmitted.result == "admitted" and readmitted.checkin_id != checkin.id


def test_an_admission_cannot_be_annulled_after_15_minutes(event, organiser):
    admitted = scan(person(event).ticket.code, event, organiser)
    checkin = db.session.get(CheckIn, admitted.checkin_id)
    with pytest.raises(DomainError) as late:
        annul_check_in(organiser, checkin, "Хоцорсон", now=local(today(), 10, 16))
    assert late.value.code == "too_late"
    assert db.session.get(CheckIn, checkin.id).annulled_at is None
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "checkin.annulled")) == 0


def test_only_staff_or_a_device_of_the_event_may_scan(event, organiser):
    code = person(event).ticket.code
    for stranger in (None, factories.user(roles=["organiser"]), factories.user()):
        with pytest.raises(DomainError) as refused:
            scan(code, event, stranger)
        assert refused.value.code == "forbidden"
    assert rows() == []


def test_an_offline_scan_keeps_the_devices_time_and_day(organiser):
    fair = event_on(organiser, days=2, entry_mode="day")
    code = person(fair).ticket.code
    yesterday_evening = local(today(), 17, 30)
    outcome = check_in(code, event=fair, device=None, staff=organiser, nonce=nonce(),
                       offline=True, scanned_at=yesterday_evening,
                       now=local(today() + timedelta(days=1), 9))
    assert outcome.result == "admitted"
    row = rows()[0]
    assert row.offline and row.scanned_at == yesterday_evening
    assert row.created_at == local(today() + timedelta(days=1), 9)
    assert row.scope == f"day:{today().isoformat()}"


def test_the_database_itself_refuses_a_second_standing_admission(event, organiser):
    ticket = person(event).ticket
    scan(ticket.code, event, organiser)
    db.session.add(CheckIn(nonce=nonce(), event_id=event.id, ticket_id=ticket.id, scope="event",
                           code_scanned=ticket.code, result="admitted"))
    with pytest.raises(Exception, match="(?i)unique"):
        db.session.flush()
    db.session.rollback()
