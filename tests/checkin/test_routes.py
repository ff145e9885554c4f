"""The organisers' check-in pages over HTTP, without JavaScript: who gets in, the scanner form
(a resubmitted form replays, never double counts), opening a scanner and scanner keys, search,
walk-ins (a full event needs a reason), undo, live figures and badges."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from forum_app.audit.models import AuditEvent
from forum_app.checkin.devices import device_for_token
from forum_app.checkin.models import CheckIn, Device
from forum_app.events.services import add_session
from forum_app.extensions import db
from forum_app.registration.models import Registration
from tests import factories
from tests.support import mn, text_of

from .support import device_token, event_on, local, person, today

CODE_PATTERN = re.compile(r"DF1-[A-Z2-7]{26}")


@pytest.fixture
def event(organiser):
    return event_on(organiser, whole_day=True, title_mn="Цэвэр усны форум",
                    title_en="Clean water forum")


@pytest.fixture
def signed_in(client, auth, organiser):
    auth.login("door@example.mn")
    return client




def form_nonce(response) -> str:
    return re.search(r'name="nonce" type="hidden" value="([^"]+)"',
                     response.get_data(as_text=True)).group(1)


def scanner_url(event, **query) -> str:
    return f"/manage/events/{event.slug}/scanner" + (
        "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def scan(client, event, code, nonce=None, gate="Гол хаалга"):
    nonce = nonce or form_nonce(client.get(scanner_url(event, gate=gate)))
    return client.post(f"/manage/events/{event.slug}/scan?gate={gate}",
                       data={"code": code, "nonce": nonce, "gate": gate})


def rows(**where) -> list[CheckIn]:
    query = select(CheckIn).order_by(CheckIn.id)
    for key, value in where.items():
        query = query.where(getattr(CheckIn, key) == value)
    return list(db.session.scalars(query))


def test_only_those_who_manage_the_event_get_in(app, client, auth, event):
    base = f"/manage/events/{event.slug}"
    pages = [f"{base}/checkin", f"{base}/scanner", f"{base}/checkin/search?q=a",
             f"{base}/checkin/walk-in", f"{base}/checkin/figures",
             f"{base}/checkin/figures.json", f"{base}/badges.pdf", f"{base}/scanner-sw.js"]
    forms = [f"{base}/checkin/open", f"{base}/scan", f"{base}/devices",
             f"{base}/checkin/walk-in"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302 and "/account/login" in response.location, url
    for url in forms:
        assert client.post(url, data={"code": "x"}).status_code == 302

    factories.user("other@example.mn", roles=["organiser"])
    factories.user("citizen@example.mn")
    for email in ("other@example.mn", "citizen@example.mn"):
        auth.login(email)
        assert all(client.get(url).status_code == 403 for url in pages)
        assert all(client.post(url, data={"code": "x", "gate": "A", "name": "B"}).status_code
                   == 403 for url in forms)
        auth.logout()
    assert rows() == [] and db.session.scalars(select(Device)).all() == []
    assert client.get("/manage/events/no-such-event/checkin").status_code == 302
    auth.login("door@example.mn")
    assert client.get("/manage/events/no-such-event/checkin").status_code == 404


def test_the_scanner_form_admits_once_and_a_resubmitted_form_replays(signed_in, event):
    saraa = person(event, "Батын Сараа", stakeholder_kind="ngo", organisation="Ногоон Дархан",
                   accessibility_needs="Тэргэнцэртэй")
    page = signed_in.get(scanner_url(event, gate="Гол хаалга"))
    assert page.status_code == 200
    assert "Гол хаалга" in text_of(page) and 'name="code"' in text_of(page)
    nonce = form_nonce(page)

    # A scanner types lower case with stray spaces; it is the same code.
    sloppy = f"  {saraa.ticket.code.lower()[:8]} {saraa.ticket.code.lower()[8:]} "
    first = scan(signed_in, event, sloppy, nonce)
    body = text_of(first)
    assert first.status_code == 200
    assert "scan-result--ok" in body and mn("Admitted") in body
    assert "Батын Сараа" in body and "Тэргэнцэртэй" in body and "Ногоон Дархан" in body
    assert mn("NGO / civil society") in body
    assert form_nonce(first) != nonce  # the next scan gets a new one

    # The browser sends the same form again (refresh, double tap): the first answer, once.
    again = scan(signed_in, event, sloppy, nonce)
    assert "scan-result--ok" in text_of(again) and mn("Admitted") in text_of(again)
    assert [r.result for r in rows()] == ["admitted"]
    assert rows()[0].gate == "Гол хаалга" and rows()[0].device_id is None

    later = scan(signed_in, event, saraa.ticket.code)
    body = text_of(later)
    assert "scan-result--warn" in body and mn("Already checked in") in body
    assert "Сарангэрэл" in body and "Гол хаалга" in body
    assert [r.result for r in rows()] == ["admitted", "already_checked_in"]


def test_an_old_form_sent_with_another_code_is_a_new_scan(signed_in, event):
    first, second = person(event), person(event)
    nonce = form_nonce(signed_in.get(scanner_url(event)))
    scan(signed_in, event, first.ticket.code, nonce)
    # The back button brings the old form back, with its nonce; a new code is typed.
    response = scan(signed_in, event, second.ticket.code, nonce)
    assert mn("Admitted") in text_of(response) and second.name in text_of(response)
    assert [r.ticket_id for r in rows(result="admitted")] == [first.ticket.id, second.ticket.id]


def test_unknown_and_cancelled_codes_are_red_and_recorded(signed_in, event):
    code = person(event).ticket.code
    fake = code[:-1] + ("A" if code[-1] != "A" else "B")
    response = scan(signed_in, event, fake)
    assert "scan-result--err" in text_of(response) and mn("Unknown code") in text_of(response)
    empty = scan(signed_in, event, "   ")
    assert empty.status_code == 422
    assert mn("Please scan or type a ticket code.") in text_of(empty)
    assert [r.result for r in rows()] == ["unknown"]


def test_opening_the_scanner_gives_this_phone_a_key_in_the_fragment_only(signed_in, event):
    home = signed_in.get(f"/manage/events/{event.slug}/checkin")
    assert home.status_code == 200 and mn("Open the scanner") in text_of(home)
    assert mn("Main entrance") in text_of(home)

    response = signed_in.post(f"/manage/events/{event.slug}/checkin/open",
                              data={"gate": "  Хойд   хаалга "})
    assert response.status_code == 302
    location = urlsplit(response.location)
    assert location.path == f"/manage/events/{event.slug}/scanner"
    assert parse_qs(location.query) == {"gate": ["Хойд хаалга"]}
    token = location.fragment.removeprefix("token=")
    assert location.fragment.startswith("token=") and len(token) >= 40
    assert token not in location.query
    device = device_for_token(token)
    assert device.event_id == event.id and device.name == "Сарангэрэл — Хойд хаалга"

    page = signed_in.get(f"{location.path}?{location.query}")
    assert "Хойд хаалга" in text_of(page) and token not in text_of(page)
    assert token not in text_of(signed_in.get(f"/manage/events/{event.slug}/checkin"))


def test_per_session_entry_needs_a_session(signed_in, organiser):
    event = event_on(organiser, whole_day=True, entry_mode="session")
    session = add_session(organiser, event, {"title_mn": "Нээлт", "title_en": "Opening",
                                             "starts_at": local(today(), 0, 10),
                                             "ends_at": local(today(), 23, 0)})
    missing = signed_in.get(scanner_url(event))
    assert missing.status_code == 302 and missing.location.endswith("/checkin")
    refused = signed_in.post(f"/manage/events/{event.slug}/checkin/open", data={"gate": "A"})
    assert refused.status_code == 422
    assert mn("Please choose the session people are entering.") in text_of(refused)

    response = signed_in.post(f"/manage/events/{event.slug}/checkin/open",
                              data={"session_id": str(session.id), "gate": ""})
    location = urlsplit(response.location)
    assert parse_qs(location.query) == {"session_id": [str(session.id)]}
    assert device_for_token(location.fragment.removeprefix("token=")).name == \
        "Сарангэрэл — Нээлт"
    code = person(event).ticket.code
    nonce = form_nonce(signed_in.get(f"{location.path}?{location.query}"))
    admitted = signed_in.post(f"/manage/events/{event.slug}/scan?session_id={session.id}",
                              data={"code": code, "nonce": nonce})
    assert mn("Admitted") in text_of(admitted)
    assert rows()[0].scope == f"session:{session.id}"


def test_a_dedicated_scanners_key_is_shown_once_and_can_be_revoked(signed_in, event):
    response = signed_in.post(f"/manage/events/{event.slug}/devices",
                              data={"name": "Киоск 1"})
    assert response.status_code == 201 and response.headers["Cache-Control"] == "no-store"
    token = re.search(r'id="device-token" type="text" readonly value="([^"]+)"',
                      response.get_data(as_text=True)).group(1)
    device = device_for_token(token)
    assert device.name == "Киоск 1"

    home = text_of(signed_in.get(f"/manage/events/{event.slug}/checkin"))
    assert "Киоск 1" in home and token not in home

    nameless = signed_in.post(f"/manage/events/{event.slug}/devices", data={"name": " "})
    assert nameless.status_code == 422
    assert mn("Please give the scanner a name.") in text_of(nameless)

    revoked = signed_in.post(f"/manage/events/{event.slug}/devices/{device.id}/revoke")
    assert revoked.status_code == 302
    assert device_for_token(token) is None
    home = text_of(signed_in.get(revoked.location))
    assert mn("The scanner “%(name)s” can no longer check people in.", name="Киоск 1") in home
    twice = signed_in.post(f"/manage/events/{event.slug}/devices/{device.id}/revoke")
    assert mn("This device has already been revoked.") in text_of(
        signed_in.get(twice.location))

    other = event_on(factories.user(roles=["organiser"]), whole_day=True)
    foreign = Device(event_id=other.id, name="x", token_hash="0" * 64)
    db.session.add(foreign)
    db.session.commit()
    assert signed_in.post(f"/manage/events/{event.slug}/devices/{foreign.id}/revoke") \
        .status_code == 404


def test_search_finds_people_and_checks_them_in(signed_in, event):
    saraa = person(event, "Батын Сараа", phone="99115566")
    person(event, "Дорж")
    by_name = text_of(signed_in.get(f"/manage/events/{event.slug}/checkin/search?q=сараа"))
    assert "Батын Сараа" in by_name and "Дорж" not in by_name
    assert "5566" in by_name and "99115566" not in by_name  # the phone is masked
    by_code = text_of(signed_in.get(
        f"/manage/events/{event.slug}/checkin/search?q={saraa.ticket.code[4:12].lower()}"))
    assert "Батын Сараа" in by_code
    nobody = text_of(signed_in.get(f"/manage/events/{event.slug}/checkin/search?q=Zzzz"))
    assert mn("Nobody found. Try part of the name, the phone number, the e-mail or a few "
              "characters of the code.") in nobody

    page = signed_in.get(f"/manage/events/{event.slug}/checkin/search?q=Сараа&gate=Ширээ")
    button_nonce = re.search(r'name="nonce" value="([^"]+)"', page.get_data(as_text=True))
    response = signed_in.post(f"/manage/events/{event.slug}/scan?gate=Ширээ", data={
        "code": saraa.ticket.code, "nonce": button_nonce.group(1), "gate": "Ширээ"})
    assert mn("Admitted") in text_of(response) and "Батын Сараа" in text_of(response)
    assert rows()[0].gate == "Ширээ"
    after = text_of(signed_in.get(f"/manage/events/{event.slug}/checkin/search?q=Сараа"))
    assert mn("Checked in") in after


def _walk_in(client, event, **values):
    page = client.get(f"/manage/events/{event.slug}/checkin/walk-in")
    data = {"name": "Очир", "phone": "88112233", "email": "", "stakeholder_kind": "business",
            "organisation": "Дархан Төмөрлөг", "consent": "y", "nonce": form_nonce(page),
            "gate": "Гол хаалга"}
    return client.post(f"/manage/events/{event.slug}/checkin/walk-in", data=data | values)


def test_a_walk_in_is_registered_and_checked_in_in_one_step(signed_in, event):
    response = _walk_in(signed_in, event)
    assert response.status_code == 200
    assert mn("Admitted") in text_of(response) and "Очир" in text_of(response)
    registration = db.session.scalar(select(Registration).where(Registration.name == "Очир"))
    assert registration.source == "walk_in" and registration.state == "confirmed"
    assert [(r.result, r.ticket_id) for r in rows()] == [("admitted", registration.ticket.id)]

    missing = _walk_in(signed_in, event, name="", phone="", consent="")
    assert missing.status_code == 422
    assert mn("Please enter your name.") in text_of(missing)
    assert mn("Please accept the privacy notice to register.") in text_of(missing)
    assert len(rows()) == 1


def test_a_walk_in_sent_twice_registers_once(signed_in, event):
    page = signed_in.get(f"/manage/events/{event.slug}/checkin/walk-in")
    data = {"name": "Очир", "phone": "88112233", "stakeholder_kind": "citizen", "consent": "y",
            "nonce": form_nonce(page)}
    for _ in range(2):
        response = signed_in.post(f"/manage/events/{event.slug}/checkin/walk-in", data=data)
        assert mn("Admitted") in text_of(response)
    assert len(db.session.scalars(select(Registration)).all()) == 1 and len(rows()) == 1


def test_a_full_event_takes_a_walk_in_only_with_a_reason(signed_in, organiser):
    event = event_on(organiser, whole_day=True, capacity=1)
    person(event)
    page = signed_in.get(f"/manage/events/{event.slug}/checkin/walk-in")
    assert 'name="over_capacity_reason"' not in page.get_data(as_text=True)

    full = _walk_in(signed_in, event)
    assert full.status_code == 422
    assert 'name="over_capacity_reason"' in full.get_data(as_text=True)
    assert mn("The event is full. An organiser may admit this person over capacity by giving "
              "a reason.") in text_of(full)
    assert db.session.scalar(select(Registration).where(Registration.name == "Очир")) is None

    admitted = _walk_in(signed_in, event, over_capacity_reason="Сумын Засаг дарга, илтгэгч")
    assert mn("Admitted") in text_of(admitted)
    registration = db.session.scalar(select(Registration).where(Registration.name == "Очир"))
    audit = db.session.scalar(select(AuditEvent).where(
        AuditEvent.object_type == "Registration", AuditEvent.object_id == registration.id))
    assert audit.reason == "Сумын Засаг дарга, илтгэгч" and audit.after["over_capacity"]


def test_an_admission_is_undone_with_a_reason(signed_in, event):
    code = person(event, "Дорж").ticket.code
    admitted = scan(signed_in, event, code)
    checkin = rows()[0]
    annul_url = f"/manage/events/{event.slug}/checkins/{checkin.id}/annul"
    assert annul_url in admitted.get_data(as_text=True)  # the undo form is on the result

    empty = signed_in.post(annul_url, data={"reason": "  "})
    assert empty.status_code == 422 and mn("Please give a reason.") in text_of(empty)
    response = signed_in.post(annul_url, data={"reason": "Буруу хүн"})
    assert response.status_code == 302 and "/scanner" in response.location
    db.session.refresh(checkin)
    assert checkin.annul_reason == "Буруу хүн" and checkin.annulled_at is not None
    assert mn("The check-in has been undone.") in text_of(signed_in.get(response.location))
    twice = signed_in.post(annul_url, data={"reason": "Дахиад"})
    assert twice.status_code == 422
    assert mn("This check-in has already been annulled.") in text_of(twice)
    assert mn("Admitted") in text_of(scan(signed_in, event, code))  # in again

    other = event_on(factories.user(roles=["organiser"]), whole_day=True)
    assert signed_in.get(f"/manage/events/{other.slug}/checkins/{checkin.id}/annul") \
        .status_code == 403
    assert signed_in.get(f"/manage/events/{event.slug}/checkins/999999/annul") \
        .status_code == 404


def test_live_figures_count_arrivals(signed_in, event):
    people = [person(event, stakeholder_kind=kind) for kind in ("ngo", "ngo", "media")]
    for registration in people[:2]:
        scan(signed_in, event, registration.ticket.code)
    page = text_of(signed_in.get(f"/manage/events/{event.slug}/checkin/figures"))
    assert mn("Arrivals per 10 minutes") in page and mn("NGO / civil society") in page
    assert "bar--w20" in page  # the busiest ten minutes fill the bar
    numbers = signed_in.get(f"/manage/events/{event.slug}/checkin/figures.json").get_json()
    assert (numbers["checked_in"], numbers["confirmed"], numbers["capacity"]) == (2, 3, 100)
    assert numbers["by_stakeholder"] == {"ngo": 2}
    assert numbers["kinds"] == [{"kind": "ngo", "label": mn("NGO / civil society"),
                                 "count": 2}]
    assert sum(slot["count"] for slot in numbers["slots"]) == 2


def test_badges_are_a_pdf_of_the_confirmed(signed_in, event):
    person(event, "Батын Сараа")
    for layout in ("a4", "label"):
        response = signed_in.get(f"/manage/events/{event.slug}/badges.pdf?layout={layout}")
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert response.data.startswith(b"%PDF")
    assert signed_in.get(f"/manage/events/{event.slug}/badges.pdf?layout=x").status_code == 404


def test_the_scanner_page_carries_what_its_script_needs_but_no_key(signed_in, event):
    token = device_token(factories.user(roles=["admin", "organiser"]), event)
    page = signed_in.get(scanner_url(event, gate="A"))
    body = page.get_data(as_text=True)
    assert re.search(r'src="/static/vendor/jsQR\.[0-9a-f]{10}\.js"', body)
    assert re.search(r'src="/static/js/scanner\.[0-9a-f]{10}\.js"', body)
    assert f'data-worker="/manage/events/{event.slug}/scanner-sw.js"' in body
    assert 'type="application/json" id="scanner-texts"' in body and token not in body
    assert "style=" not in body  # CSP: no inline styles
    worker = signed_in.get(f"/manage/events/{event.slug}/scanner-sw.js")
    assert worker.status_code == 200 and worker.mimetype == "text/javascript"
    assert worker.headers["Cache-Control"] == "no-cache"
    assert CODE_PATTERN.search(body) is None
