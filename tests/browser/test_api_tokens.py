"""A citizen makes a personal API token on a phone, with and without JavaScript: the form, the
page that shows the token once, the list with it, revoking it; each page passes axe-core and
fits the 360 px screen (checked where scripts run: axe is one). The token really calls the
API, and stops when revoked."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import assert_accessible, layout_problems, phone_page, sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("scripts", [True, False], ids=["with scripts", "without scripts"])
def test_make_use_and_revoke_a_token(browser, live_server, scripts):
    with live_server.app.app_context():
        factories.user("citizen@example.mn")
    page = phone_page(browser, live_server, java_script_enabled=scripts)

    def _check(page) -> None:
        if scripts:
            assert layout_problems(page) == []
            assert_accessible(page)

    sign_in(page, "citizen@example.mn")
    page.goto("/account/")
    page.get_by_role("link", name=re.compile("API түлхүүрүүд")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API түлхүүрүүд")
    _check(page)

    page.get_by_label("Нэр", exact=True).fill("Миний скрипт")
    page.get_by_role("button", name="Түлхүүрийг үүсгэх").click()
    expect(page.locator(".error-summary")).to_be_visible()  # the password is asked again
    _check(page)
    page.get_by_label("Асуудал дэвшүүлэх, дэмжих, дагах").check()
    page.get_by_label("Хүчинтэй хугацаа").select_option(label="30 хоног")
    page.get_by_label("Таны нууц үг", exact=True).fill(factories.PASSWORD)
    page.get_by_role("button", name="Түлхүүрийг үүсгэх").click()

    secret = page.get_by_label("API түлхүүр", exact=True).input_value()
    assert re.fullmatch(r"fa_[A-Za-z0-9_-]{43}", secret)
    _check(page)
    me = page.request.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.json()["scopes"] == ["read", "issues:write"]

    page.get_by_role("link", name="Миний API түлхүүрүүд рүү буцах").click()
    row = page.get_by_role("row", name=re.compile("Миний скрипт"))
    expect(row).to_contain_text(secret[:8])
    assert secret not in page.content()
    _check(page)
    row.get_by_role("button", name=re.compile("Хүчингүй болгох")).click()
    expect(page.get_by_role("row", name=re.compile("Миний скрипт"))).to_contain_text(
        "Хүчингүй болгосон")
    _check(page)
    refused = page.request.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert refused.status == 401
    page.context.close()
    assert not page.problems, page.problems
