"""What else the door staff use: walk-ins, search, live figures, device tokens, demo data."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum_app.audit.models import AuditEvent
from forum_app.checkin.demo import seed_checkin_demo
from forum_app.checkin.devices import create_device, device_for_token, revoke_device
from forum_app.checkin.models import CheckIn, Device
from forum_app.checkin.services import check_in, live_figures, search_attendees, walk_in
from forum_app.errors import DomainError
from forum_app.events.models import Event, EventStaff
from forum_app.extensions import db
from forum_app.registration.models import Registration
from forum_app.registration.services import RegistrationInput, cancel_registration
from tests import factories

from .support import event_on, local, nonce, person, today


def newcomer(**values) -> RegistrationInput:
    return RegistrationInput(**({"name": "Ирсэн Хүн", "phone": "88112233", "consent": True}
                                | values))


# --- walk-ins --------------------------------------------------------------------------------

def test_a_walk_in_is_registered_and_admitted_in_one_step(event, organiser, mail_inbox):
    outcome = walk_in(event, organiser, newcomer(name="Шинэ Ирэгч", email="walk@example.mn",
                                                 stakeholder_kind="media"),
                      gate="Гол хаалга", nonce="walk-1")
    assert outcome.result == "admitted" and outcome.attendee["name"] == "Шинэ Ирэгч"
    registration = db.session.get(Registration, outcome.attendee["registration_id"])
    assert registration.source == "walk_in" and registration.state == "confirmed"
    assert db.session.get(CheckIn, outcome.checkin_id).gate == "Гол хаалга"

    again = walk_in(event, organiser, newcomer(name="Шинэ Ирэгч", email="walk@example.mn"),
                    nonce="walk-1")
    assert again.replayed and again.as_json() == outcome.as_json()
    assert db.session.scalar(select(func.count(Registration.id))) == 1


def test_a_full_event_takes_a_walk_in_only_with_a_recorded_reason(organiser):
    full = event_on(organiser, whole_day=True, capacity=1)
    person(full)
    with pytest.raises(DomainError) as refused:
        walk_in(full, organiser, newcomer(), nonce=nonce())
    assert refused.value.code == "full"
    assert db.session.scalar(select(func.count(Registration.id))) == 1
    assert db.session.scalar(select(func.count(CheckIn.id))) == 0

    outcome = walk_in(full, organiser, newcomer(), nonce=nonce(),
                      over_capacity_reason="Илтгэгчийн туслах")
    assert outcome.result == "admitted"
    audit = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "registration.created",
        AuditEvent.object_id == outcome.attendee["registration_id"]))
    assert audit.reason == "Илтгэгчийн туслах" and audit.after["over_capacity"] is True
    assert db.session.get(Event, full.id).confirmed_count == 2


def test_a_walk_in_needs_a_name_and_consent(event, organiser):
    with pytest.raises(DomainError) as invalid:
        walk_in(event, organiser, RegistrationInput(name="", phone="88112233"), nonce=nonce())
    assert {"name", "consent"} <= set(invalid.value.fields)
    assert db.session.scalar(select(func.count(Registration.id))) == 0


# --- search ----------------------------------------------------------------------------------

def test_search_finds_cyrillic_names_any_case_phones_emails_and_code_fragments(event, organiser):
    saraa = person(event, "Батын Сараа", phone="99115566", email="saraa.b@example.mn")
    person(event, "Дорж Болд", phone="88001122")
    person(event_on(organiser), "Батын Сараа")  # another event's: never found here

    found = search_attendees(event, "сараа")
    assert [r["registration_id"] for r in found] == [saraa.id]
    assert search_attendees(event, "БАТЫН")[0]["name"] == "Батын Сараа"
    assert search_attendees(event, "5566")[0]["registration_id"] == saraa.id
    assert search_attendees(event, "saraa.b@")[0]["registration_id"] == saraa.id
    fragment = saraa.ticket.code[4:10].lower()  # the start of the code, as read off it
    assert [r["registration_id"] for r in search_attendees(event, fragment)] == [saraa.id]

    row = found[0]
    assert row["phone"] == "••••5566" and row["email"] == "s•••@example.mn"
    assert row["code"] == saraa.ticket.code and row["state"] == "confirmed"
    assert row["checked_in"] is False
    check_in(saraa.ticket.code, event=event, device=None, staff=organiser, nonce=nonce())
    assert search_attendees(event, "сараа")[0]["checked_in"] is True
    assert search_attendees(event, "") == [] and search_attendees(event, "%") == []


# --- live figures ----------------------------------------------------------------------------

def test_live_figures_count_admissions_by_kind_and_in_10_minute_steps(event, organiser):
    people = [person(event, f"Хүн {n}", stakeholder_kind=kind)
              for n, kind in enumerate(["citizen", "citizen", "business", "ngo"])]
    gone = person(event)
    cancel_registration(gone, actor=organiser, by_staff=True)
    now = max(local(today(), 12), event.starts_at + timedelta(hours=1))
    for n, registration in enumerate(people[:3]):
        check_in(registration.ticket.code, event=event, device=None, staff=organiser,
                 nonce=nonce(), now=now - timedelta(minutes=25 - 10 * n))
    check_in(people[0].ticket.code, event=event, device=None, staff=organiser, nonce=nonce(),
             now=now)
    check_in("DF1-WRONG", event=event, device=None, staff=organiser, nonce=nonce(), now=now)

    figures = live_figures(event, now=now)
    assert (figures["checked_in"], figures["confirmed"], figures["capacity"]) == (3, 4, 100)
    assert figures["by_stakeholder"] == {"citizen": 2, "business": 1}
    assert len(figures["per_10_minutes"]) == 18
    assert sum(step["count"] for step in figures["per_10_minutes"]) == 3
    assert figures["per_10_minutes"][-1]["at"].endswith("+08:00")
    assert [r["result"] for r in figures["recent"]][:2] == ["unknown", "already_checked_in"]
    assert figures["recent"][1]["name"] == "Хүн 0"


# --- devices ---------------------------------------------------------------------------------

def test_a_device_token_is_shown_once_stored_hashed_and_revocable(event, organiser):
    device, token = create_device(organiser, event, "  Сарангэрэл — Гол хаалга ")
    assert device.name == "Сарангэрэл — Гол хаалга" and len(token) >= 40
    assert token not in device.token_hash
    assert device_for_token(token).id == device.id
    assert db.session.get(Device, device.id).last_seen_at is not None
    assert device_for_token(token + "x") is None and device_for_token("") is None

    with pytest.raises(DomainError):
        create_device(organiser, event, "   ")
    with pytest.raises(DomainError) as outsider:
        create_device(factories.user(roles=["organiser"]), event, "Хаалга")
    assert outsider.value.code == "forbidden"

    revoke_device(organiser, device)
    assert device_for_token(token) is None
    with pytest.raises(DomainError) as twice:
        revoke_device(organiser, device)
    assert twice.value.code == "already_revoked"
    assert [a.action for a in db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "Device").order_by(AuditEvent.id))] == [
        "device.created", "device.revoked"]


def test_a_device_stops_working_when_its_organiser_no_longer_runs_the_event(organiser):
    from forum_app.events.services import add_staff, remove_staff

    event = event_on(organiser)
    helper = factories.user("helper@example.mn", roles=["organiser"])
    add_staff(organiser, event, helper.email)
    _device, token = create_device(helper, event, "Туслах")
    assert device_for_token(token) is not None
    remove_staff(organiser, event, helper.id)
    assert device_for_token(token) is None


# --- demo ------------------------------------------------------------------------------------

def test_the_demo_organiser_staffs_todays_forum_with_people_already_in(app):
    from forum_app.accounts.services import find_user_by_email
    from forum_app.demo import seed_all
    from forum_app.events.services import can_manage

    seed_all()
    seed_checkin_demo()  # (also when seed-demo already runs it)
    organiser = find_user_by_email("organiser@demo.forum.mn")
    events = {slug: db.session.scalar(select(Event).where(Event.slug == slug))
              for slug in ("dcf-clean-water-today", "dcf-heating-air-quality")}
    assert all(can_manage(organiser, event) for event in events.values())
    arrived = live_figures(events["dcf-clean-water-today"])["checked_in"]
    assert arrived > 0

    assert seed_checkin_demo() == 0
    assert live_figures(events["dcf-clean-water-today"])["checked_in"] == arrived
    assert db.session.scalar(select(func.count(EventStaff.id)).where(
        EventStaff.user_id == organiser.id,
        EventStaff.event_id.in_([event.id for event in events.values()]))) == 2
