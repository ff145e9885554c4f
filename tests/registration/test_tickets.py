"""The ticket page in each state, the QR image, and the offline pieces it loads."""

import re

from sqlalchemy import select

from forum_app.accounts.models import User
from forum_app.events.services import cancel_event
from forum_app.extensions import db
from forum_app.registration import services
from forum_app.registration.models import Registration
from tests import factories
from tests.registration.support import confirm_in_browser, decode_qr, guest
from tests.support import mn, text_of


def register(client, event, **overrides) -> str:
    data = guest(**overrides)
    response = client.post(f"/events/{event.slug}/register", data=data)
    assert response.status_code == 302
    confirm_in_browser(client, data["email"])
    return response.headers["Location"]


def only_registration() -> Registration:
    return db.session.scalars(select(Registration).order_by(Registration.id)).first()


def test_qr_image_reads_as_the_ticket_code(client, app, tmp_path):
    path = register(client, factories.event())
    response = client.get(path + "/qr.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert decode_qr(response.data, tmp_path) == only_registration().ticket.code


def test_unknown_or_overlong_manage_links_are_not_found(client, app):
    assert client.get("/r/not-a-token").status_code == 404
    assert client.get("/r/" + "a" * 500).status_code == 404
    assert client.post("/r/not-a-token/cancel", data={"confirm": "y"}).status_code == 404
    assert client.get("/r/not-a-token/ticket.pdf").status_code == 404
    assert client.get("/r/not-a-token/qr.png").status_code == 404


def test_ticket_page_has_no_inline_script_or_style_and_loads_the_offline_helper(client, app):
    path = register(client, factories.event())
    page = client.get(path).get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert " style=" not in page and "<style" not in page
    assert re.search(r'src="/static/js/ticket\.[0-9a-f]{10}\.js"', page)  # its content's hash
    assert 'data-worker="/ticket-sw.js"' in page
    assert 'data-scope="/r/"' in page

    worker = client.get("/ticket-sw.js")
    assert worker.status_code == 200 and worker.mimetype == "text/javascript"
    assert worker.headers["Cache-Control"] == "no-cache"
    assert 'networkFirstWorker({cache: "forum-tickets-v1"})' in worker.get_data(as_text=True)
    unchanged = client.get("/ticket-sw.js", headers={"If-None-Match": worker.headers["ETag"]})
    assert unchanged.status_code == 304
    assert client.get("/static/js/ticket.js").status_code == 200


def test_waiting_and_pending_registrations_show_no_ticket(client, app):
    full = factories.event(capacity=0)
    path = register(client, full)
    page = text_of(client.get(path))
    assert mn("On the waiting list") in page and "ticket__qr" not in page
    assert client.get(path + "/ticket.pdf").status_code == 404

    approval = factories.event(registration_mode="approval")
    path = register(client, approval, email="dorj@example.mn")
    page = text_of(client.get(path))
    assert mn("Awaiting approval") in page and "ticket__qr" not in page
    assert client.get(path + "/qr.png").status_code == 404


def test_declined_and_event_cancelled_tickets_stop_working_at_once(client, app):
    event = factories.event()
    organiser = db.session.get(User, event.created_by_id)
    path = register(client, event)
    registration = only_registration()
    code = registration.ticket.code
    services.decline_registration(organiser, registration, "Зөвхөн хэвлэлийнхэнд")
    page = text_of(client.get(path))
    assert mn("This ticket is not valid.") in page
    assert mn("The organisers have declined this registration.") in page
    assert "Зөвхөн хэвлэлийнхэнд" in page and code not in page

    other = factories.event()
    path = register(client, other)
    cancel_event(db.session.get(User, other.created_by_id), other, "Үер")
    page = text_of(client.get(path))
    assert mn("This ticket is not valid.") in page
    assert mn("The event has been cancelled.") in page and "Үер" in page
    assert client.get(path + "/ticket.pdf").status_code == 404
