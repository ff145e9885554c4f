"""The organisers' attendee pages: who gets in, search, approve/decline/cancel with real mail,
exports that cannot attack the spreadsheet, and writing to chosen groups of registrants."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from forum_app.audit.models import AuditEvent
from forum_app.events.models import EventStaff
from forum_app.events.services import save_question
from forum_app.extensions import db
from forum_app.notifications.models import OutboxMessage
from forum_app.registration import services
from forum_app.registration.models import Registration
from forum_app.registration.services import RegistrationInput, message_registrants
from tests import factories
from tests.registration.support import register_confirmed

ATTACK = "=cmd|' /C calc'!A0"


@pytest.fixture
def organiser(app):
    return factories.user("org@example.mn", roles=["organiser"], language="en",
                          name="Organiser Tsetseg")


def make_event(organiser, **values):
    event = factories.event(organiser, **values)
    save_question(organiser, event, {
        "kind": "single", "label_mn": "Хоолны сонголт", "label_en": "Meal",
        "options": [{"mn": "Цагаан хоол", "en": "Vegetarian"}, {"mn": "Ердийн", "en": "Regular"}]})
    save_question(organiser, event, {"kind": "text", "label_mn": "Санал", "label_en": "Your idea"})
    return event


def register(event, name, email=None, door_reason=None, **values):
    meal, idea = event.questions
    data = RegistrationInput(name=name, email=email, consent=True,
                             answers={meal.id: 0, idea.id: "Ногоон байгууламж"}, **values)
    # A guest confirms from their e-mail; without one, staff register them at the desk.
    registration, _token = register_confirmed(event, data, at_the_door=email is None,
                                              over_capacity_reason=door_reason)
    return registration


def login(auth, email="org@example.mn"):
    response = auth.login(email)
    assert response.status_code == 302


def state_of(registration_id):
    return db.session.get(Registration, registration_id).state


# --- who may look ------------------------------------------------------------------------------

def test_only_people_managing_the_event_get_in(app, client, auth, organiser):
    event = make_event(organiser)
    pages = [f"/manage/events/{event.slug}/attendees", f"/manage/events/{event.slug}/attendees.csv",
             f"/manage/events/{event.slug}/attendees.xlsx",
             f"/manage/events/{event.slug}/attendees/message"]
    assert "/account/login" in client.get(pages[0]).headers["Location"]

    factories.user("citizen@example.mn")
    login(auth, "citizen@example.mn")
    assert [client.get(page).status_code for page in pages] == [403] * 4
    auth.logout()

    factories.user("other@example.mn", roles=["organiser"])
    login(auth, "other@example.mn")
    assert [client.get(page).status_code for page in pages] == [403] * 4
    registration = register(event, "Болд", "bold@example.mn")
    response = client.post(f"/manage/events/{event.slug}/attendees/{registration.id}/cancel",
                           data={"reason": "no"})
    assert response.status_code == 403 and state_of(registration.id) == "confirmed"
    auth.logout()

    staff = factories.user("staff@example.mn", roles=["organiser"])
    db.session.add(EventStaff(event_id=event.id, user_id=staff.id))
    db.session.commit()
    login(auth, "staff@example.mn")
    assert [client.get(page).status_code for page in pages] == [200] * 4
    assert client.get("/manage/events/no-such-event/attendees").status_code == 404


def test_a_registration_of_another_event_is_not_found_here(app, client, auth, organiser):
    event, other = make_event(organiser), make_event(organiser)
    registration = register(other, "Болд", "bold@example.mn")
    login(auth)
    response = client.get(f"/manage/events/{event.slug}/attendees/{registration.id}/cancel")
    assert response.status_code == 404
    assert client.get(f"/manage/events/{event.slug}/attendees/99999999999/cancel"
                      ).status_code == 404


# --- the list ----------------------------------------------------------------------------------

def test_list_shows_seats_counts_waitlist_and_answers(app, client, auth, organiser):
    event = make_event(organiser, capacity=1)
    register(event, "Батбаяр Номин", "nomin@example.mn")
    register(event, "Ганбат Сүх", "sukh@example.mn")
    login(auth)
    html = client.get(f"/manage/events/{event.slug}/attendees").get_data(as_text=True)
    assert "Seats: 1 of 1 confirmed" in html
    assert "Confirmed: 1" in html and "On the waiting list: 1" in html
    assert "No. 1 on the waiting list" in html
    assert '<th scope="col">Meal</th>' in html and '<th scope="col">Your idea</th>' in html
    assert "Vegetarian" in html and "Ногоон байгууламж" in html


def test_search_folds_cyrillic_case_and_filters_by_state(app, client, auth, organiser):
    event = make_event(organiser, capacity=1)
    register(event, "Ганбат Сүх", phone="99112233")  # at the desk: no e-mail
    register(event, "Батбаяр Номин", "nomin@example.mn", organisation="Дархан Ус ХХК")
    register(event, "Оюунаа Дорж", "oyuna@example.mn")
    login(auth)
    url = f"/manage/events/{event.slug}/attendees"

    def names(**params):
        html = client.get(url, query_string=params).get_data(as_text=True)
        return [name for name in ("Батбаяр Номин", "Ганбат Сүх", "Оюунаа Дорж") if name in html]

    assert names(q="номин") == ["Батбаяр Номин"]
    assert names(q="СҮХ") == ["Ганбат Сүх"]
    assert names(q="дархан ус") == ["Батбаяр Номин"]
    assert names(q="9911") == ["Ганбат Сүх"]
    assert names(q="OYUNA@EXAMPLE") == ["Оюунаа Дорж"]
    assert names(q="100%") == []
    assert names(state="waitlisted") == ["Батбаяр Номин", "Оюунаа Дорж"]
    assert names(state="waitlisted", q="дорж") == ["Оюунаа Дорж"]
    assert names(state="nonsense") == ["Батбаяр Номин", "Ганбат Сүх", "Оюунаа Дорж"]
    assert client.get(url, query_string={"page": "99999999999999999999"}).status_code == 200


def test_a_long_list_pages_by_key_with_next_previous_and_the_filter_kept(
        app, client, auth, organiser):
    event = factories.event(organiser, capacity=200)
    for n in range(1, 106):  # 105 at the desk: pages of 50, 50 and 5
        services.register(event, RegistrationInput(name=f"Зочин {n:03d}", phone=f"9900{n:04d}",
                                                   consent=True), at_the_door=True)
    login(auth)
    url = f"/manage/events/{event.slug}/attendees"

    def visit(link):
        html = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
        names = re.findall(r"<th scope=\"row\">Зочин (\d{3})", html)
        links = dict((rel, href) for href, rel in re.findall(
            r'<a href="([^"]+)" rel="(next|prev)"', html))
        return [int(n) for n in names], links, html

    first, links, html = visit(url)
    assert first == list(range(1, 51)) and "prev" not in links and "105 registrations" in html
    second, links, _html = visit(links["next"])
    assert second == list(range(51, 101))
    third, links, _html = visit(links["next"])
    assert third == list(range(101, 106)) and "next" not in links
    back, links, _html = visit(links["prev"])
    assert back == list(range(51, 101)) and {"next", "prev"} <= set(links)
    searched, links, html = visit(f"{url}?q=зочин")
    searched, links, html = visit(visit(links["next"])[1]["next"])  # the filter goes along
    assert searched == list(range(101, 106)) and "q=" in links["prev"]
    _rows, _links, html = visit(f"{url}?after=abc")
    assert "This page link is no longer valid." in html
    old_link = client.get(f"{url}?page=3&q=зочин")  # numbered pages before: sent to the key
    assert old_link.status_code == 302 and "q=" in old_link.location
    assert visit(old_link.location)[0] == list(range(101, 106))


# --- approve, decline, cancel ------------------------------------------------------------------

def test_approving_sends_the_ticket_over_smtp(app, client, auth, organiser, mail_inbox):
    event = make_event(organiser, registration_mode="approval")
    registration = register(event, "Nomin Bat", "nomin@example.mn", language="en")
    assert registration.state == "pending_approval"
    login(auth)
    response = client.post(f"/manage/events/{event.slug}/attendees/{registration.id}/approve",
                           data={"next": f"/manage/events/{event.slug}/attendees?state="})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/attendees?state=")
    assert state_of(registration.id) == "confirmed"
    subjects = [m["Subject"] for m in mail_inbox.to("nomin@example.mn")]
    assert f"Your ticket: {event.title_en}" in subjects
    html = client.get(f"/manage/events/{event.slug}/attendees").get_data(as_text=True)
    assert "Nomin Bat is confirmed and has been sent a ticket." in html

    again = client.post(f"/manage/events/{event.slug}/attendees/{registration.id}/approve")
    assert again.status_code == 302
    assert "Only registrations awaiting approval can be approved." in client.get(
        f"/manage/events/{event.slug}/attendees").get_data(as_text=True)


def test_approving_when_full_puts_on_the_waiting_list(app, client, auth, organiser):
    event = make_event(organiser, registration_mode="approval", capacity=1)
    first = register(event, "Нэг", "one@example.mn")
    second = register(event, "Хоёр", "two@example.mn")
    login(auth)
    for registration in (first, second):
        client.post(f"/manage/events/{event.slug}/attendees/{registration.id}/approve")
    assert [state_of(first.id), state_of(second.id)] == ["confirmed", "waitlisted"]


def test_declining_needs_a_reason_and_tells_the_person(app, client, auth, organiser, mail_inbox):
    event = make_event(organiser, registration_mode="approval")
    registration = register(event, "Nomin Bat", "nomin@example.mn", language="en")
    login(auth)
    url = f"/manage/events/{event.slug}/attendees/{registration.id}/decline"
    page = client.get(url)
    assert page.status_code == 200 and 'name="reason"' in page.get_data(as_text=True)

    empty = client.post(url, data={"reason": "  "})
    assert empty.status_code == 422 and "Please give a reason." in empty.get_data(as_text=True)
    assert state_of(registration.id) == "pending_approval"

    done = client.post(url, data={"reason": "The hall is reserved for farmers."})
    assert done.status_code == 302 and state_of(registration.id) == "declined"
    declined = [m for m in mail_inbox.to("nomin@example.mn")
                if m["Subject"].startswith("Registration declined")]
    assert len(declined) == 1
    assert "The hall is reserved for farmers." in declined[0].get_body(("plain",)).get_content()


def test_staff_cancel_frees_the_seat_for_the_waiting_list(app, client, auth, organiser,
                                                          mail_inbox):
    event = make_event(organiser, capacity=1)
    first = register(event, "Нэг", "one@example.mn")
    second = register(event, "Хоёр", "two@example.mn")
    login(auth)
    url = f"/manage/events/{event.slug}/attendees/{first.id}/cancel"
    assert client.post(url, data={"reason": ""}).status_code == 422
    assert state_of(first.id) == "confirmed"
    assert client.post(url, data={"reason": "Double booking"}).status_code == 302
    assert [state_of(first.id), state_of(second.id)] == ["cancelled", "confirmed"]
    assert mail_inbox.to("one@example.mn") and mail_inbox.to("two@example.mn")
    audit = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "registration.cancelled", AuditEvent.object_id == first.id))
    assert audit.actor_id == organiser.id and audit.reason == "Double booking"


# --- exports -----------------------------------------------------------------------------------

def test_csv_export_has_answers_bom_and_neutralised_formulas(app, client, auth, organiser):
    event = make_event(organiser, capacity=1)
    register(event, ATTACK, "attack@example.mn", phone="+976 99112233")
    register(event, "Батбаяр Номин", "nomin@example.mn", organisation="@home")
    login(auth)
    response = client.get(f"/manage/events/{event.slug}/attendees.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # one charset, not two
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    header, attack, nomin = rows
    assert header[:3] == ["Registration number", "Name", "E-mail"]
    assert header[-2:] == ["Meal", "Your idea"]
    assert {"Privacy notice version", "Consent given at (Ulaanbaatar time)", "State",
            "Place on the waiting list", "Ticket code"} <= set(header)
    record = dict(zip(header, attack, strict=True))
    assert record["Name"] == "'" + ATTACK
    assert record["Phone"] == "'+976 99112233"
    assert record["State"] == "Confirmed" and record["Ticket code"]
    assert record["Privacy notice version"] and record["Consent given at (Ulaanbaatar time)"]
    assert record["Meal"] == "Vegetarian" and record["Your idea"] == "Ногоон байгууламж"
    other = dict(zip(header, nomin, strict=True))
    assert other["Name"] == "Батбаяр Номин" and other["Organisation"] == "'@home"
    assert other["State"] == "On the waiting list" and other["Place on the waiting list"] == "1"
    assert other["Ticket code"] == ""


def test_xlsx_export_writes_formulas_as_plain_text(app, client, auth, organiser):
    event = make_event(organiser)
    register(event, ATTACK, "attack@example.mn")
    register(event, "Ган\x07бат", "ganbat@example.mn")  # a control character Excel rejects
    login(auth)
    response = client.get(f"/manage/events/{event.slug}/attendees.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows())
    header = [cell.value for cell in rows[0]]
    name = rows[1][header.index("Name")]
    assert name.value == "'" + ATTACK and name.data_type == "s"
    assert rows[1][header.index("Meal")].value == "Vegetarian"
    assert rows[2][header.index("Name")].value == "Ганбат"
    assert all(cell.data_type != "f" for row in rows for cell in row)


def test_export_answers_in_the_organisers_language(app, client, auth, organiser):
    event = make_event(organiser)
    register(event, "Болд", "bold@example.mn")
    staff = factories.user("mn-org@example.mn", roles=["organiser"], language="mn")
    db.session.add(EventStaff(event_id=event.id, user_id=staff.id))
    db.session.commit()
    login(auth, "mn-org@example.mn")
    text = client.get(f"/manage/events/{event.slug}/attendees.csv").data.decode("utf-8-sig")
    assert "Цагаан хоол" in text and "Vegetarian" not in text and "Хоолны сонголт" in text


# --- writing to registrants --------------------------------------------------------------------

def _people_in_every_state(event):
    confirmed = register(event, "Батлагдсан", "confirmed@example.mn", language="en")
    waiting = register(event, "Хүлээгч", "waiting@example.mn")
    event.registration_mode = "approval"
    db.session.commit()
    pending = register(event, "Шийдвэр хүлээгч", "pending@example.mn")
    gone = register(event, "Цуцалсан", "gone@example.mn")
    services.cancel_registration(gone)
    phone_only = register(event, "Утастай", phone="99001122", door_reason="Тэргүүн зочин")
    return confirmed, waiting, pending, gone, phone_only


def test_message_reaches_exactly_the_chosen_states(app, client, auth, organiser, mail_inbox):
    event = make_event(organiser, capacity=1)
    _people_in_every_state(event)
    login(auth)
    url = f"/manage/events/{event.slug}/attendees/message"
    assert client.get(url).status_code == 200
    mail_inbox.clear()
    response = client.post(url, data={
        "states": ["confirmed", "pending_approval"], "subject": "Room changed: Hall B",
        "body": "Please come to Hall B.\n<b>Bring your ticket.</b>"})
    assert response.status_code == 302
    received = sorted(str(m["To"]) for m in mail_inbox.messages
                      if m["Subject"] == "Room changed: Hall B")
    assert received == ["confirmed@example.mn", "pending@example.mn"]
    [message] = [m for m in mail_inbox.to("confirmed@example.mn")
                 if m["Subject"] == "Room changed: Hall B"]
    text = message.get_body(("plain",)).get_content()
    assert "Please come to Hall B." in text and event.title_en in text and "/r/" in text
    assert "Hello Батлагдсан," in text
    html = message.get_body(("html",)).get_content()
    assert "&lt;b&gt;Bring your ticket.&lt;/b&gt;" in html and "<b>Bring" not in html
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "event.messaged"))
    assert audit.object_type == "Event" and audit.object_id == event.id
    assert audit.actor_id == organiser.id
    assert audit.after == {"count": 2, "states": ["confirmed", "pending_approval"]}
    assert "Your message is on its way to 2 people." in client.get(
        f"/manage/events/{event.slug}/attendees").get_data(as_text=True)


def test_message_to_all_active_skips_cancelled_and_phone_only(app, organiser):
    event = make_event(organiser, capacity=1)
    _people_in_every_state(event)
    count = message_registrants(organiser, event, ["confirmed", "waitlisted", "pending_approval"],
                                "Reminder", "See you tomorrow.")
    recipients = db.session.scalars(select(OutboxMessage.recipient).where(
        OutboxMessage.template == "registration/message")).all()
    assert count == 3
    assert sorted(recipients) == ["confirmed@example.mn", "pending@example.mn",
                                  "waiting@example.mn"]


def test_bad_message_changes_nothing(app, client, auth, organiser):
    event = make_event(organiser)
    register(event, "Болд", "bold@example.mn")
    login(auth)
    url = f"/manage/events/{event.slug}/attendees/message"
    before = db.session.query(OutboxMessage).count()
    for data in ({"subject": "Hi", "body": "Text"},
                 {"states": ["confirmed"], "subject": "", "body": "Text"},
                 {"states": ["confirmed"], "subject": "Hi", "body": "x" * 5001},
                 {"states": ["cancelled"], "subject": "Hi", "body": "Text"}):
        response = client.post(url, data=data)
        assert response.status_code == 422, data
    assert "Please choose who receives the message." in client.post(
        url, data={"subject": "Hi", "body": "Text"}).get_data(as_text=True)
    nobody = client.post(url, data={"states": ["waitlisted"], "subject": "Hi", "body": "Text"})
    assert nobody.status_code == 422
    assert "Nobody with an e-mail address" in nobody.get_data(as_text=True)
    assert db.session.query(OutboxMessage).count() == before
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "event.messaged")) \
        is None
