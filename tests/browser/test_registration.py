"""A guest registers in Mongolian on a phone, confirms the held seat from the real SMTP mail,
gets the ticket, keeps it offline, cancels, and the seat goes to the first person waiting."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from forum_app.extensions import db
from forum_app.registration.models import Answer, Registration
from tests import factories
from tests.browser.conftest import assert_accessible, open_account_menu
from tests.registration.support import CONFIRM_LINK, add_question, attachments, decode_qr
from tests.support import mn

pytestmark = pytest.mark.browser


def _texts(app, *messages):
    with app.app_context():
        return [mn(message) for message in messages]


def _fill_registration(page, app, name: str, email: str) -> None:
    full_name, e_mail, consent, register = _texts(
        app, "Full name", "E-mail",
        "I have read the privacy notice and agree that my registration is stored as it "
        "describes.", "Register")
    page.get_by_label(full_name, exact=True).fill(name)
    page.get_by_label(e_mail, exact=True).fill(email)
    page.get_by_label(consent).check()
    page.get_by_role("button", name=register, exact=True).click()


def _registration(app, email: str) -> Registration:
    with app.app_context():
        registration = db.session.scalar(select(Registration).where(
            Registration.email == email))
        registration.ticket  # noqa: B018 - load it while the session is open
        return registration


def _confirm_from_mail(page, app, mail_inbox, address: str) -> None:
    """Open the confirmation link of the latest mail to `address` and press the button."""
    body = mail_inbox.to(address)[-1].get_body(("plain",)).get_content()
    page.goto(CONFIRM_LINK.search(body)["path"])
    assert_accessible(page)
    page.get_by_role("button", name=_texts(app, "Confirm my registration")[0]).click()


def _wait_until_stored_offline(page) -> None:
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("""async () => {
        const cache = await caches.open('forum-tickets-v1');
        return Boolean(await cache.match(location.pathname));
    }""")


def test_guest_registers_keeps_the_ticket_offline_cancels_and_the_seat_moves_on(
        page, live_server, mail_inbox, tmp_path):
    app = live_server.app
    with app.app_context():
        event = factories.event(capacity=1, title_mn="Тэг хаягдалтай Дархан",
                                venue_name_mn="Соёлын төв")
        slug = event.slug

    page.goto(f"/events/{slug}/register")
    assert page.locator("html").get_attribute("lang") == "mn"
    assert_accessible(page)
    [consent_error] = _texts(app, "Please accept the privacy notice to register.")
    page.get_by_role("button", name=_texts(app, "Register")[0], exact=True).click()
    expect(page.locator("p.error", has_text=consent_error)).to_be_visible()
    assert_accessible(page)

    _fill_registration(page, app, "Батын Сараа", "saraa@example.mn")
    page.wait_for_url(re.compile(r"/r/[\w-]+$"))
    manage_url = page.url
    # The seat is held, without a QR, until the link in the e-mail confirms it.
    assert page.locator(".ticket__qr").count() == 0
    expect(page.get_by_role("button", name=_texts(
        app, "Send the confirmation e-mail again")[0])).to_be_visible()
    assert_accessible(page)
    _confirm_from_mail(page, app, mail_inbox, "saraa@example.mn")
    page.wait_for_url(manage_url)
    code = page.locator(".ticket__code code").inner_text()
    expect(page.get_by_role("img", name=_texts(app, "QR code of your ticket")[0])).to_be_visible()
    assert_accessible(page)

    with app.app_context():
        subject = mn("Your ticket: %(title)s", title="Тэг хаягдалтай Дархан")
    [message] = [m for m in mail_inbox.to("saraa@example.mn") if m["Subject"] == subject]
    assert decode_qr(attachments(message)["ticket-qr.png"][1], tmp_path) == code
    assert manage_url in message.get_body(("plain",)).get_content()

    # Once loaded, the ticket opens again without a network.
    _wait_until_stored_offline(page)
    page.context.set_offline(True)
    page.reload()
    assert page.locator(".ticket__code code").inner_text() == code
    page.context.set_offline(False)

    # A second person finds the event full and joins the waiting list.
    page.goto(f"/events/{slug}/register")
    _fill_registration(page, app, "Доржийн Бат", "bat@example.mn")
    page.wait_for_url(re.compile(r"/r/[\w-]+$"))
    waiting_url = page.url
    assert page.locator(".ticket__qr").count() == 0
    with app.app_context():
        expect(page.get_by_text(mn("place %(n)d", n=1)).first).to_be_visible()
    assert_accessible(page)
    # Confirmed while waiting, so the seat that frees up comes with its ticket at once.
    _confirm_from_mail(page, app, mail_inbox, "bat@example.mn")
    page.wait_for_url(waiting_url)

    # The first cancels from the manage link; the seat goes to the second.
    page.goto(manage_url)
    confirm, cancel, not_valid = _texts(
        app, "Yes, cancel my registration. My seat goes to the next person.",
        "Cancel my registration", "This ticket is not valid.")
    page.get_by_label(confirm).check()
    page.get_by_role("button", name=cancel).click()
    page.wait_for_url(manage_url)
    expect(page.get_by_text(not_valid)).to_be_visible()
    assert page.locator(".ticket__qr").count() == 0
    assert_accessible(page)

    promoted = _registration(app, "bat@example.mn")
    assert promoted.state == "confirmed"
    with app.app_context():
        subject = mn("A seat is free for you: %(title)s", title="Тэг хаягдалтай Дархан")
    [seat_mail] = [m for m in mail_inbox.to("bat@example.mn") if m["Subject"] == subject]
    assert decode_qr(attachments(seat_mail)["ticket-qr.png"][1], tmp_path) \
        == promoted.ticket.code
    page.goto(waiting_url)
    assert page.locator(".ticket__code code").inner_text() == promoted.ticket.code


def test_signed_in_person_registers_and_finds_the_ticket_in_my_registrations(
        page, live_server):
    app = live_server.app
    with app.app_context():
        factories.user("nomin@example.mn", name="Номин Бат")
        event = factories.event(title_mn="Ногоон Дархан форум")
        add_question(event, "single", "Аль сэдэв сонирхож байна вэ?", required=True,
                     options=["Хог хаягдал", "Ногоон байгууламж"])
        add_question(event, "multiple", "Аль өдрүүдэд ирэх вэ?", options=["Даваа", "Мягмар"])
        add_question(event, "yes_no", "Үдийн хоол авах уу?")
        slug = event.slug
    page.goto("/account/login")
    page.get_by_label("И-мэйл").fill("nomin@example.mn")
    page.get_by_label("Нууц үг").fill(factories.PASSWORD)
    page.get_by_role("button", name="Нэвтрэх").click()
    page.wait_for_url(live_server.url + "/")

    page.goto(f"/events/{slug}/register")
    assert page.get_by_label(_texts(app, "Full name")[0], exact=True).input_value() \
        == "Номин Бат"
    [consent] = _texts(app, "I have read the privacy notice and agree that my registration "
                            "is stored as it describes.")
    page.get_by_label(consent).check()
    page.get_by_role("button", name=_texts(app, "Register")[0], exact=True).click()
    [answer_it] = _texts(app, "Please answer this question.")
    expect(page.locator("p.error", has_text=answer_it)).to_be_visible()
    assert_accessible(page)  # the custom questions, with an error on one
    page.get_by_role("radio", name="Ногоон байгууламж").check()
    page.get_by_role("checkbox", name="Мягмар").check()
    page.get_by_label(consent).check()
    page.get_by_role("button", name=_texts(app, "Register")[0], exact=True).click()
    page.wait_for_url(re.compile(r"/r/[\w-]+$"))
    code = page.locator(".ticket__code code").inner_text()
    with app.app_context():
        answers = {a.question.label_mn: a.value for a in db.session.scalars(select(Answer))}
    assert answers == {"Аль сэдэв сонирхож байна вэ?": 1, "Аль өдрүүдэд ирэх вэ?": [1]}

    open_account_menu(page)
    page.locator("header").get_by_role("link", name=_texts(app, "My registrations")[0]).click()
    page.wait_for_url(re.compile(r"/account/registrations$"))
    assert_accessible(page)
    page.get_by_role("link", name="Ногоон Дархан форум").click()
    page.wait_for_url(re.compile(r"/account/registrations/\d+$"))
    assert page.locator(".ticket__code code").inner_text() == code
    assert_accessible(page)
