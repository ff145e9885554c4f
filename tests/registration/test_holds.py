"""A seat held until the e-mail confirms it: who gets a hold, what a hold can and cannot do,
how it ends (confirmed, expired, cancelled), and the pages and mail around it."""

from datetime import timedelta

from sqlalchemy import func, select

from forum_app.events.models import Event
from forum_app.extensions import db
from forum_app.notifications.models import OutboxMessage
from forum_app.notifications.services import message_texts
from forum_app.registration import services
from forum_app.registration.models import Registration, Ticket
from forum_app.registration.services import RegistrationInput
from tests import factories
from tests.registration.support import (
    confirm_in_browser,
    confirmation_link,
    follow_confirmation,
    guest,
)
from tests.support import mn, text_of


def person(n: int) -> RegistrationInput:
    return RegistrationInput(name=f"Оролцогч {n}", email=f"p{n}@example.mn", consent=True)


def states(event) -> list[str]:
    db.session.commit()
    return list(db.session.scalars(select(Registration.state).where(
        Registration.event_id == event.id).order_by(Registration.id)))


def seats_taken(event) -> int:
    db.session.commit()
    return db.session.get(Event, event.id).confirmed_count


def test_who_is_held_and_who_is_confirmed_at_once(app):
    event = factories.event(capacity=10)
    verified = factories.user("verified@example.mn")
    unverified = factories.user("unverified@example.mn", verified=False)
    mine, _ = services.register(event, RegistrationInput(consent=True), user=verified)
    theirs, _ = services.register(event, RegistrationInput(consent=True), user=unverified)
    # A verified account registering someone else's address proves nothing about it.
    other, _ = services.register(event, RegistrationInput(
        name="Өөр хүн", email="someone-else@example.mn", consent=True), user=verified)
    guest_one, _ = services.register(event, person(1))
    door, _ = services.register(event, RegistrationInput(name="Хаалгаар", phone="99887766",
                                                         consent=True),
                                at_the_door=True)
    assert [r.state for r in (mine, theirs, other, guest_one, door)] == [
        "confirmed", "held", "held", "held", "confirmed"]
    assert mine.ticket is not None and door.ticket is not None
    assert theirs.ticket is None and guest_one.ticket is None
    assert seats_taken(event) == 5  # a live hold takes its seat


def test_an_unconfirmed_hold_expires_and_its_seat_goes_to_the_waiting_list_in_order(app, clock):
    event = factories.event(capacity=2)
    held = [services.register(event, person(n))[0] for n in range(2)]
    waiting = [services.register(event, person(n))[0] for n in range(2, 5)]
    follow_confirmation(waiting[1])  # confirmed early, while waiting
    assert states(event) == ["held", "held", "waitlisted", "waitlisted", "waitlisted"]

    clock.advance(minutes=29)
    assert services.release_all_expired_holds() == 0
    clock.advance(minutes=2)
    assert services.release_all_expired_holds() == 2
    # The first waiting (unproven) gets a hold of their own; the second, proven, a ticket.
    assert states(event) == ["expired", "expired", "held", "confirmed", "waitlisted"]
    assert seats_taken(event) == 2
    db.session.refresh(waiting[0])
    assert waiting[0].hold_expires_at == clock.now + timedelta(minutes=30)
    assert db.session.get(Registration, waiting[1].id).ticket is not None
    [seat_mail] = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == "p2@example.mn",
        OutboxMessage.template == "registration/promoted_held")).all()
    assert "/confirm/" in message_texts(seat_mail).body_text
    assert db.session.scalar(select(func.count(Ticket.id)).where(
        Ticket.registration_id.in_([r.id for r in held]))) == 0


def test_holds_expire_lazily_when_the_next_person_registers(app, clock):
    event = factories.event(capacity=1)
    services.register(event, person(1))
    clock.advance(minutes=31)
    late, _ = services.register(event, person(2))  # no purge ran: the seat is free anyway
    assert late.state == "held" and states(event) == ["expired", "held"]
    assert seats_taken(event) == 1


def test_a_late_link_gets_the_seat_if_still_free_else_a_clear_answer(app, client, clock):
    event = factories.event(capacity=1)
    client.post(f"/events/{event.slug}/register", data=guest(email="late@example.mn"))
    clock.advance(minutes=31)
    services.release_all_expired_holds()
    page = confirm_in_browser(client, "late@example.mn")
    assert mn("The time to confirm had passed, but a seat was still free: it is yours. Here "
              "is your ticket.") in text_of(client.get(page.headers["Location"]))
    assert states(event) == ["confirmed"]

    other = factories.event(capacity=1)
    client.post(f"/events/{other.slug}/register", data=guest(email="slow@example.mn"))
    clock.advance(minutes=31)
    services.register(other, person(9))  # takes the seat the expired hold gave back
    gone = confirm_in_browser(client, "slow@example.mn")
    text = text_of(client.get(gone.headers["Location"]))
    assert mn("The time to confirm has passed and the seat has gone to someone else. You may "
              "register again: if the event is full, you join the waiting list.") in text
    assert mn("The hold has expired.") in text
    assert states(other) == ["expired", "held"] and seats_taken(other) == 1


def test_opening_the_link_changes_nothing_until_the_button_is_pressed(app, client):
    event = factories.event(capacity=3)
    client.post(f"/events/{event.slug}/register", data=guest())
    link = confirmation_link("saraa@example.mn")
    page = client.get(link["path"])
    assert page.status_code == 200 and page.headers["Cache-Control"] == "private, no-store"
    assert mn("Confirm my registration") in text_of(page)
    assert states(event) == ["held"]
    bad = client.post(link["path"][:-4] + "AAAA")
    assert bad.status_code == 404
    assert mn("This confirmation link is not valid. Please use the link from the latest e-mail "
              "about your registration.") in text_of(bad)
    # The manage link (which whoever registered sees) does not confirm: only the mailed code.
    manage = client.get(f"/r/{link['token']}")
    assert mn("Valid ticket") not in text_of(manage) and states(event) == ["held"]
    client.post(link["path"])
    assert states(event) == ["confirmed"]
    again = client.post(link["path"])
    assert mn("This registration is already confirmed.") in text_of(
        client.get(again.headers["Location"]))
    assert db.session.scalar(select(func.count(Ticket.id))) == 1


def test_the_manage_page_shows_the_hold_and_resends_the_mail_a_few_times(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, CONFIRMATION_RESEND_LIMIT="2 per hour")
    client = app.test_client()
    with app.app_context():
        factories.seed_reference()
        event = factories.event(capacity=3)
        path = client.post(f"/events/{event.slug}/register",
                           data=guest()).headers["Location"]
        page = text_of(client.get(path))
        for part in mn("Seat held until %(time)s", time="|").split("|"):
            assert part.strip() in page
        assert mn("Send the confirmation e-mail again") in page
        assert "ticket__qr" not in page
        assert mn("We have sent the confirmation link again to %(email)s.",
                  email="saraa@example.mn") in text_of(client.post(path + "/resend",
                                                                   follow_redirects=True))
        answers = [client.post(path + "/resend") for _ in range(2)]
        assert [a.status_code for a in answers] == [302, 429]
        mails = db.session.scalars(select(OutboxMessage.template).where(
            OutboxMessage.recipient == "saraa@example.mn")).all()
        assert mails == ["registration/held"] * 3


def test_a_held_person_at_the_door_gets_a_clear_answer(app, client, auth):
    organiser = factories.user("door@example.mn", roles=["organiser"])
    event = factories.event(organiser, capacity=5)
    services.register(event, RegistrationInput(name="Хадгалсан Суудал",
                                               email="held@example.mn", consent=True))
    auth.login("door@example.mn")
    page = text_of(client.get(f"/manage/events/{event.slug}/checkin/search",
                              query_string={"q": "хадгалсан"}))
    assert "Хадгалсан Суудал" in page
    assert mn("This seat is only held: the person has not confirmed it from their e-mail, so "
              "there is no ticket. They can confirm it now from the e-mail on their phone; "
              "otherwise register them as a walk-in once it expires.") in page
    assert 'name="code"' not in page  # no check-in button: there is no ticket to admit


def test_purge_expired_releases_every_events_holds(app, clock):
    events = [factories.event(capacity=1) for _ in range(2)]
    for n, event in enumerate(events):
        services.register(event, person(n))
        services.register(event, person(n + 10))
    clock.advance(minutes=45)
    result = app.test_cli_runner().invoke(args=["purge-expired"])
    assert result.exit_code == 0, result.output
    assert "released 2 expired seat holds" in result.output
    for event in events:
        assert states(event) == ["expired", "held"] and seats_taken(event) == 1


def test_cancelling_a_hold_frees_its_seat(app):
    event = factories.event(capacity=1)
    held, _ = services.register(event, person(1))
    waiting, _ = services.register(event, person(2))
    services.cancel_registration(held)
    assert states(event) == ["cancelled", "held"] and seats_taken(event) == 1
    assert db.session.get(Registration, waiting.id).hold_expires_at is not None
