"""A citizen's account, end to end at a phone-sized viewport, with real mail over SMTP."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import assert_accessible, open_account_menu, sign_out

pytestmark = pytest.mark.browser


def _link_from_mail(inbox, address, path_part):
    [message] = inbox.to(address)
    body = message.get_body(("plain",)).get_content()
    return next(line.strip() for line in body.splitlines() if path_part in line), message


def test_signup_verify_login_switch_language_logout(page, live_server, mail_inbox):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "mn"
    assert_accessible(page)

    page.get_by_role("link", name="Бүртгэл үүсгэх").first.click()
    page.wait_for_url(re.compile("/account/signup"))
    assert_accessible(page)
    page.get_by_label("Овог, нэр").fill("Номин Батбаяр")
    page.get_by_label("И-мэйл").fill("nomin@example.mn")
    page.get_by_label("Нууц үг (дор хаяж 8 тэмдэгт)").fill("tsagaan-sar-2026")
    page.get_by_label("Нууц үгээ давтан оруулна уу").fill("tsagaan-sar-2026")
    page.get_by_label("Сум, баг").select_option(label="Дархан сум — Шинэ Дархан")
    page.get_by_label("Би нууцлалын мэдэгдэлтэй танилцсан").check()
    page.get_by_role("button", name="Бүртгэл үүсгэх").click()
    # The same answer as for an address that has an account: a message, then sign in.
    page.wait_for_url(re.compile("/account/login"))
    expect(page.locator(".flash--success")).to_contain_text("nomin@example.mn")
    assert_accessible(page)
    page.get_by_label("И-мэйл").fill("nomin@example.mn")
    page.get_by_label("Нууц үг").fill("tsagaan-sar-2026")
    page.get_by_role("button", name="Нэвтрэх").click()
    page.wait_for_url(live_server.url + "/")
    page.goto("/account/")
    assert "баталгаажаагүй" in page.content()
    assert_accessible(page)

    link, message = _link_from_mail(mail_inbox, "nomin@example.mn", "/account/verify/")
    assert message["Subject"] == "И-мэйл хаягаа баталгаажуулна уу"
    sign_out(page)
    page.goto(link.replace("http://localhost", live_server.url).replace(
        "http://127.0.0.1:" + str(live_server.port), live_server.url))
    page.wait_for_url(re.compile("/account/login"))
    assert_accessible(page)

    page.get_by_label("И-мэйл").fill("nomin@example.mn")
    page.get_by_label("Нууц үг").fill("tsagaan-sar-2026")
    page.get_by_role("button", name="Нэвтрэх").click()
    page.wait_for_url(live_server.url + "/")
    open_account_menu(page)
    page.get_by_role("link", name="Миний бүртгэл", exact=True).click()
    page.wait_for_url(re.compile("/account/$"))
    assert "баталгаажаагүй" not in page.content()

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="My account")).to_be_visible()
    assert_accessible(page)

    open_account_menu(page)
    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "en"  # the cookie remembers it
    page.goto("/account/")
    assert "/account/login" in page.url


def test_password_reset_in_the_browser(page, live_server, mail_inbox, app_factory):
    with live_server.app.app_context():
        factories.user("bold@example.mn", language="en")
    page.goto("/account/login")
    page.get_by_role("link", name="Нууц үгээ мартсан уу?").click()
    assert_accessible(page)
    page.get_by_label("И-мэйл").fill("bold@example.mn")
    page.get_by_role("button", name="Холбоос илгээх").click()
    link, message = _link_from_mail(mail_inbox, "bold@example.mn", "/password/reset/")
    assert message["Subject"] == "Choose a new password"
    page.goto(link.replace("http://localhost", live_server.url))
    assert_accessible(page)
    page.get_by_label("Шинэ нууц үг (дор хаяж 8 тэмдэгт)").fill("orkhon-river-2027")
    page.get_by_label("Шинэ нууц үгээ давтан оруулна уу").fill("orkhon-river-2027")
    page.get_by_role("button", name="Шинэ нууц үгийг хадгалах").click()
    page.wait_for_url(re.compile("/account/login"))
    page.get_by_label("И-мэйл").fill("bold@example.mn")
    page.get_by_label("Нууц үг").fill("orkhon-river-2027")
    page.get_by_role("button", name="Нэвтрэх").click()
    page.wait_for_url(live_server.url + "/")


def test_admin_pages_and_error_pages_are_accessible(page, live_server):
    with live_server.app.app_context():
        factories.user("admin@example.mn", roles=["admin"])
        factories.user("someone@example.mn", verified=False)
    page.goto("/no-such-page")
    assert_accessible(page)
    page.goto("/account/login")
    page.get_by_label("И-мэйл").fill("admin@example.mn")
    page.get_by_label("Нууц үг").fill(factories.PASSWORD)
    page.get_by_role("button", name="Нэвтрэх").click()
    page.wait_for_url(live_server.url + "/")
    for path in ["/admin/", "/admin/users", "/admin/departments", "/admin/departments/new",
                 "/admin/districts", "/admin/outbox", "/privacy", "/account/"]:
        page.goto(path)
        assert_accessible(page)
    page.goto("/admin/users")
    page.get_by_role("link", name=re.compile("Тест Хэрэглэгч")).first.click()
    page.wait_for_url(re.compile(r"/admin/users/\d+$"))
    assert_accessible(page)
    page.goto("/admin/outbox")
    page.get_by_role("link", name="И-мэйл хаягаа баталгаажуулна уу").first.click()
    page.wait_for_url(re.compile(r"/admin/outbox/\d+$"))
    assert_accessible(page)
