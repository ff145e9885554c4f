"""The seat rules: capacity, waiting list, promotion, approval, duplicates, concurrency."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum_app.audit.models import AuditEvent
from forum_app.database import commit_keeping_loaded
from forum_app.errors import DomainError
from forum_app.events.models import Event, Question
from forum_app.extensions import db
from forum_app.i18n import utcnow
from forum_app.notifications.models import OutboxMessage
from forum_app.notifications.services import message_texts
from forum_app.registration import services
from forum_app.registration.models import Registration, Ticket
from forum_app.registration.services import RegistrationInput
from forum_app.registration.tickets import looks_like_code, qr_version
from tests import factories
from tests.registration.support import follow_confirmation, register_confirmed
from tests.support import mn

_n = iter(range(1, 10_000))


def make_event(capacity=2, mode="open", **values) -> Event:
    start = utcnow() + timedelta(days=7)
    event = Event(slug=f"event-{next(_n)}", kind="city_forum", state="published",
                  title_mn="Тэг хаягдалтай Дархан", title_en="Zero Waste Darkhan",
                  starts_at=start, ends_at=start + timedelta(hours=3), capacity=capacity,
                  registration_mode=mode, **values)
    db.session.add(event)
    db.session.commit()
    return event


def person(n: int, **values) -> RegistrationInput:
    return RegistrationInput(name=f"Оролцогч {n}", email=f"p{n}@example.mn", consent=True,
                             **values)


def states(event) -> list[str]:
    return list(db.session.scalars(select(Registration.state).where(
        Registration.event_id == event.id).order_by(Registration.id)))


def test_capacity_then_waitlist_in_order(app):
    event = make_event(capacity=2)
    for n in range(4):
        register_confirmed(event, person(n))
    assert states(event) == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    waiting = db.session.scalars(select(Registration).where(
        Registration.state == "waitlisted").order_by(Registration.id)).all()
    assert [services.waitlist_position(r) for r in waiting] == [1, 2]
    db.session.refresh(event)
    assert event.confirmed_count == 2 and event.seats_left == 0


def test_ticket_code_is_random_compact_and_small_qr(app):
    event = make_event(capacity=None)
    codes = set()
    for n in range(20):
        registration, _ = register_confirmed(event, person(n))
        code = registration.ticket.code
        assert looks_like_code(code) and "Оролцогч" not in code
        codes.add(code)
    assert len(codes) == 20
    assert qr_version(code) <= 3


def test_a_guest_gets_a_hold_then_the_ticket_mail_once_the_link_is_followed(app):
    event = make_event()
    registration, token = services.register(event, person(1, language="en"))
    assert registration.state == "held" and registration.ticket is None
    hold_mail = db.session.scalar(select(OutboxMessage))
    assert hold_mail.recipient == "p1@example.mn" and hold_mail.language == "en"
    hold_text = message_texts(hold_mail)
    assert hold_text.subject == "Confirm your seat: Zero Waste Darkhan"
    assert "/confirm/" in hold_text.body_text and token in hold_text.body_text
    assert [a["kind"] for a in hold_mail.attachments] == ["event_ics"]  # no QR: no ticket

    assert follow_confirmation(registration).outcome == "confirmed"
    registration = services.registration_for_token(token)
    message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()[-1]
    assert registration.state == "confirmed"
    text = message_texts(message)
    assert text.subject == "Your ticket: Zero Waste Darkhan"
    assert registration.ticket.code in text.body_text
    assert token in text.body_text and "/confirm/" not in text.body_text
    kinds = [a["kind"] for a in message.attachments]
    assert kinds == ["ticket_qr", "event_ics"]


def test_same_person_cannot_register_twice_but_can_after_cancelling(app):
    event = make_event()
    first, _ = register_confirmed(event, person(1))
    with pytest.raises(services.AlreadyRegistered) as duplicate:
        services.register(event, RegistrationInput(name="Other Name", email="P1@Example.mn",
                                                   consent=True))
    assert duplicate.value.registration.id == first.id
    services.cancel_registration(first)
    again, _ = register_confirmed(event, person(1))
    assert again.state == "confirmed"


def test_a_guest_needs_an_email_but_staff_at_the_door_may_register_a_phone(app):
    event = make_event()
    with pytest.raises(DomainError) as error:
        services.register(event, RegistrationInput(name="Утастай Зочин", phone="99112233",
                                                   consent=True))
    assert str(error.value.fields["email"]) == mn(
        "Please give an e-mail address: we send you a link there that confirms your seat. "
        "Without e-mail, sign in or register at the door.")
    during = event.starts_at + timedelta(minutes=5)
    registration, _ = services.register(event, RegistrationInput(
        name="Утастай Зочин", phone="99112233", consent=True), at_the_door=True, now=during)
    assert registration.state == "confirmed" and registration.email is None
    with pytest.raises(services.AlreadyRegistered):
        services.register(event, RegistrationInput(name="Утастай", phone="9911 2233",
                                                    consent=True), at_the_door=True, now=during)


@pytest.mark.parametrize("changes, field", [
    ({"name": ""}, "name"),
    ({"name": "Н" * 10_000}, "name"),
    ({"email": "not-an-email"}, "email"),
    ({"email": None, "phone": None}, "email"),
    ({"phone": "call me"}, "phone"),
    ({"consent": False}, "consent"),
    ({"stakeholder_kind": "alien"}, "stakeholder_kind"),
    ({"district_id": 999_999}, "district_id"),
    ({"age_band": "200+"}, "age_band"),
])
def test_bad_input_names_the_field_and_saves_nothing(app, changes, field):
    event = make_event()
    data = person(1)
    for key, value in changes.items():
        setattr(data, key, value)
    with pytest.raises(DomainError) as error:
        services.register(event, data)
    assert field in error.value.fields
    assert db.session.scalar(select(func.count(Registration.id))) == 0
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_custom_questions_are_validated(app):
    event = make_event()
    required = Question(event=event, kind="single", label_mn="Хоол", required=True,
                        options=[{"mn": "Ердийн", "en": "Regular"}, {"mn": "Цагаан хоол",
                                                                    "en": "Vegetarian"}])
    multiple = Question(event=event, kind="multiple", label_en="Workshops",
                        options=[{"en": "A"}, {"en": "B"}, {"en": "C"}])
    yes_no = Question(event=event, kind="yes_no", label_en="Interpreter?")
    db.session.add_all([required, multiple, yes_no])
    db.session.commit()
    with pytest.raises(DomainError) as error:
        register_confirmed(event, person(1, answers={str(multiple.id): ["0", "7"]}))
    assert set(error.value.fields) == {f"q_{required.id}", f"q_{multiple.id}"}
    registration, _ = register_confirmed(event, person(1, answers={
        required.id: "1", multiple.id: ["2", "0"], yes_no.id: "yes"}))
    answers = {a.question_id: a.value for a in registration.answers}
    assert answers == {required.id: 1, multiple.id: [0, 2], yes_no.id: True}


@pytest.mark.parametrize("change, code", [
    ({"state": "draft"}, "not_published"),
    ({"state": "cancelled"}, "event_cancelled"),
    ({"registration_closes_at": utcnow() - timedelta(hours=1)}, "closed"),
    ({"registration_opens_at": utcnow() + timedelta(days=1)}, "not_open_yet"),
    ({"registration_mode": "invitation", "invitation_code": "secret-code"},
     "invitation_required"),
])
def test_closed_registration_is_refused_with_a_reason(app, change, code):
    event = make_event()
    for key, value in change.items():
        setattr(event, key, value)
    db.session.commit()
    with pytest.raises(DomainError) as error:
        services.register(event, person(1))
    assert error.value.code == code
    assert db.session.scalar(select(func.count(Registration.id))) == 0


def test_invitation_code_opens_an_invitation_only_event(app):
    event = make_event(mode="invitation", invitation_code="idef-2026")
    data = person(1)
    data.invitation_code = "idef-2026"
    assert services.register(event, data)[0].state == "confirmed"


def test_cancel_frees_the_seat_for_the_first_waitlisted_who_is_told(app):
    event = make_event(capacity=1)
    first, _ = register_confirmed(event, person(1))
    second, _ = register_confirmed(event, person(2))
    third, _ = register_confirmed(event, person(3))
    code = first.ticket.code
    services.cancel_registration(first)
    db.session.refresh(second)
    assert (second.state, third.state) == ("confirmed", "waitlisted")
    assert second.ticket is not None and second.ticket.code != code
    assert db.session.scalar(select(Ticket).where(Ticket.code == code)).revoked_at is not None
    promoted_mail = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == "p2@example.mn").order_by(OutboxMessage.id)).all()[-1]
    assert promoted_mail.template == "registration/promoted"
    assert [a["kind"] for a in promoted_mail.attachments][0] == "ticket_qr"
    assert services.waitlist_position(third) == 1


def test_registrant_cannot_cancel_after_start_but_staff_can(app):
    event = make_event()
    registration, _ = register_confirmed(event, person(1))
    later = event.starts_at + timedelta(minutes=5)
    with pytest.raises(DomainError) as error:
        services.cancel_registration(registration, now=later)
    assert error.value.code == "started"
    services.cancel_registration(registration, by_staff=True, reason="asked by phone",
                                 now=later)
    assert registration.state == "cancelled"


def test_approval_mode_approve_decline_and_full_event(app):
    organiser = factories.user(roles=["organiser"])
    event = make_event(capacity=1, mode="approval")
    first, _ = register_confirmed(event, person(1))
    second, _ = register_confirmed(event, person(2))
    assert (first.state, second.state) == ("pending_approval", "pending_approval")
    services.approve_registration(organiser, first)
    services.approve_registration(organiser, second)
    assert (first.state, second.state) == ("confirmed", "waitlisted")
    with pytest.raises(DomainError):
        services.decline_registration(organiser, first, "  ")
    services.decline_registration(organiser, first, "Not a resident of the province")
    db.session.refresh(second)
    assert first.state == "declined" and second.state == "confirmed"
    event_log = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "Registration", AuditEvent.object_id == first.id)).all()
    assert event_log == ["registration.created", "registration.email_confirmed",
                         "registration.approved", "registration.declined"]
    templates = [m.template for m in db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == "p1@example.mn").order_by(OutboxMessage.id))]
    assert templates == ["registration/pending", "registration/confirmed",
                         "registration/declined"]


def test_walk_in_at_a_full_event_needs_an_organisers_reason(app):
    event = make_event(capacity=1)
    register_confirmed(event, person(1))
    during = event.starts_at + timedelta(minutes=10)
    with pytest.raises(DomainError) as error:
        register_confirmed(event, person(2), at_the_door=True, now=during, source="walk_in")
    assert error.value.code == "full"
    walk_in, _ = register_confirmed(event, person(2), at_the_door=True, now=during,
                                   source="walk_in", over_capacity_reason="Deputy governor")
    db.session.refresh(event)
    assert walk_in.state == "confirmed" and event.confirmed_count == 2
    audit = db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_id == walk_in.id, AuditEvent.object_type == "Registration")).one()
    assert audit.reason == "Deputy governor" and audit.after["over_capacity"] is True


def test_capacity_increase_promotes_from_the_waitlist(app):
    event = make_event(capacity=1)
    for n in range(3):
        register_confirmed(event, person(n))
    event.capacity = 2
    db.session.commit()
    promoted = services.promote_waitlist(event)
    assert len(promoted) == 1 and states(event) == ["confirmed", "confirmed", "waitlisted"]


def test_cancelling_the_event_revokes_every_ticket_and_tells_everyone(app):
    organiser = factories.user(roles=["organiser"])
    event = make_event(capacity=1)
    for n in range(3):
        register_confirmed(event, person(n))
    event.state = "cancelled"
    assert services.cancel_event_registrations(event, organiser, "Heavy snowstorm") == 3
    assert set(states(event)) == {"cancelled"}
    assert db.session.scalar(select(func.count(Ticket.id)).where(
        Ticket.revoked_at.is_(None))) == 0
    told = db.session.scalars(select(OutboxMessage.recipient).where(
        OutboxMessage.template == "registration/event_cancelled")).all()
    assert sorted(told) == ["p0@example.mn", "p1@example.mn", "p2@example.mn"]


def _in_threads(app, count, work):
    barrier = threading.Barrier(count)
    errors = []

    def run(n):
        with app.app_context():
            barrier.wait()
            try:
                work(n)
            except Exception as error:  # noqa: BLE001 - collected and asserted below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.commit()  # end this test's read snapshot to see what the threads wrote
    return errors


def test_concurrent_registrations_never_exceed_capacity(app):
    event = make_event(capacity=5)
    event_id = event.id
    errors = _in_threads(app, 24, lambda n: services.register(
        db.session.get(Event, event_id), person(n)))
    assert errors == []
    assert states(event).count("held") == 5
    assert states(event).count("waitlisted") == 19
    db.session.refresh(event)
    assert event.confirmed_count == 5


def test_concurrent_cancellations_with_promotions_stay_within_capacity(app):
    event = make_event(capacity=5)
    event_id = event.id
    registrations = [register_confirmed(event, person(n))[0] for n in range(15)]
    confirmed_ids = [r.id for r in registrations if r.state == "confirmed"]
    errors = _in_threads(app, len(confirmed_ids), lambda n: services.cancel_registration(
        db.session.get(Registration, confirmed_ids[n])))
    assert errors == []
    final = states(db.session.get(Event, event_id))
    assert final.count("confirmed") == 5 and final.count("cancelled") == 5
    assert final.count("waitlisted") == 5
    assert db.session.scalar(select(func.count(Ticket.id)).where(
        Ticket.revoked_at.is_(None))) == 5


def test_the_last_seat_taken_since_the_event_was_read_puts_the_next_guest_on_the_list(app):
    """register() takes the seat last while the event, as read, has one left; when another
    request took it meanwhile, the guest is waitlisted, told so once, audited once, and the
    undone first try leaves no trace."""
    event = make_event(capacity=1)
    event_id = event.id
    assert event.seats_left == 1  # what this request read, kept loaded (as a view does)
    commit_keeping_loaded()
    with app.app_context():  # another request takes the last seat meanwhile
        services.register(db.session.get(Event, event_id), person(1))
        db.session.remove()
    assert event.seats_left == 1  # as read: the seat's UPDATE will find otherwise

    registration, _token = services.register(event, person(2))

    assert registration.state == "waitlisted" and registration.ticket is None
    assert states(event) == ["held", "waitlisted"]
    db.session.refresh(event)
    assert event.confirmed_count == 1
    created = db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "Registration", AuditEvent.object_id == registration.id)).all()
    assert [(entry.action, entry.after["state"]) for entry in created] == [
        ("registration.created", "waitlisted")]
    mails = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == "p2@example.mn")).all()
    assert [mail.template for mail in mails] == ["registration/waitlisted"]
    assert mails[0].payload["position"] == 1
