"""At phone size, in Mongolian: a citizen raises an issue with a photo, an official takes it
under review and answers it in both languages, and the citizen sees the answer and the
timeline. Fields are found by their names, so the test holds before and after translation."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import assert_accessible, open_account_menu, sign_in, sign_out
from tests.issues import lifecycle_support as make

pytestmark = pytest.mark.browser

TITLE = "Шинэ Дарханы 14-р хорооллын хогийн сав ачигдахгүй байна"
ANSWER_MN = "Хогийн машин энэ долоо хоногоос Мягмар, Баасан гарагт ирнэ."
ANSWER_EN = "From this week the rubbish truck comes on Tuesdays and Fridays."
REASON = "Хот тохижилтын газартай хамт шалгаж байна."


def photo_file(tmp_path):
    image = Image.new("RGB", (1600, 1200), (90, 140, 60))
    data = io.BytesIO()
    image.save(data, "JPEG", quality=85)
    path = tmp_path / "хог.jpg"
    path.write_bytes(data.getvalue())
    return path


def test_citizen_raises_an_issue_official_answers_citizen_sees_the_journey(
        page, live_server, mail_inbox, tmp_path):
    with live_server.app.app_context():
        factories.user("tsetseg@example.mn", name="Цэцэгмаа Бат")
        factories.user("dorj@example.mn", roles=["official"], name="Дорж Ганбаатар",
                       department_slug="city-services")
        category_id = make.category().id

    sign_in(page, "tsetseg@example.mn")
    expect(page.locator("html")).to_have_attribute("lang", "mn")
    page.goto("/issues/new")
    assert_accessible(page)
    page.locator("input[name=title]").fill(TITLE)
    page.locator("textarea[name=description]").fill(
        "Хогийн савнууд хоёр долоо хоног ачигдаагүй, эргэн тойронд хог хаягдал тарсан байна.")
    page.locator("select[name=category_id]").select_option(str(category_id))
    page.locator("input[name=photos]").set_input_files(str(photo_file(tmp_path)))
    page.locator("button[name=action][value=submit]").click()
    page.wait_for_url(re.compile(r"/issues/\d+$"))
    issue_url = page.url
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator(".issue-photos img")).to_have_count(1)
    expect(page.locator("#timeline .journey-step")).to_have_count(1)
    assert_accessible(page)
    sign_out(page)

    sign_in(page, "dorj@example.mn")
    page.goto("/issues/staff/queue")
    assert_accessible(page)
    page.goto(issue_url)
    assert_accessible(page)
    page.locator("input[name=move-to_status][value=under_review]").check()
    page.locator("form[action$='/status'] button[type=submit]").click()  # no reason yet
    page.wait_for_url(re.compile(r"/issues/\d+/status$"))
    expect(page.locator("#move-reason-error")).to_be_visible()
    assert_accessible(page)  # the form shown again with its error (422)
    page.locator("input[name=move-to_status][value=under_review]").check()
    page.locator("textarea[name=move-reason]").fill(REASON)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/issues/\d+#timeline$"))
    page.locator(".staff-action--answer summary").click()
    assert_accessible(page)
    page.locator("form[action$='/answer'] button[type=submit]").click()  # empty
    page.wait_for_url(re.compile(r"/issues/\d+/answer$"))
    expect(page.locator("#answer-body_mn-error")).to_be_visible()
    assert_accessible(page)
    page.locator("textarea[name=answer-body_mn]").fill(ANSWER_MN)
    page.locator("textarea[name=answer-body_en]").fill(ANSWER_EN)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/issues/\d+#timeline$"))
    expect(page.locator(".official-answer__body")).to_have_text(ANSWER_MN)
    assert_accessible(page)
    sign_out(page)

    sign_in(page, "tsetseg@example.mn")
    expect(page.locator(".account-menu summary .nav-count")).to_contain_text("2")
    open_account_menu(page)
    page.locator("a[href='/notifications/']").click()
    expect(page.locator(".notice-item")).to_have_count(2)
    assert_accessible(page)
    page.locator(".notice-item a").first.click()
    page.wait_for_url(re.compile(r"/issues/\d+$"))
    answer = page.locator(".official-answer")
    expect(answer.locator("h3")).to_have_text("Хот тохижилт, нийтийн аж ахуйн газар")
    expect(answer.locator(".official-answer__body")).to_have_text(ANSWER_MN)
    answer.locator("summary").click()
    expect(answer.locator("[lang=en]")).to_have_text(ANSWER_EN)
    steps = page.locator("#timeline .journey-step")
    expect(steps).to_have_count(3)
    expect(steps.nth(1)).to_contain_text(REASON)
    expect(steps.nth(1)).to_contain_text("Дорж Ганбаатар, Хот тохижилт, нийтийн аж ахуйн газар")
    expect(steps.nth(2).locator("a[href^='#answer-']")).to_be_visible()
    expect(page.locator(".staff-actions")).to_have_count(0)
    assert_accessible(page)
    page.goto("/notifications/preferences")
    assert_accessible(page)

    mails = mail_inbox.to("tsetseg@example.mn")
    assert len(mails) == 2  # the move and the answer, over SMTP, at once (the default)
    assert any(ANSWER_MN in m.get_body(("plain",)).get_content() for m in mails)


def test_staff_enter_a_phone_issue_and_forward_it(page, live_server):
    with live_server.app.app_context():
        factories.user("clerk@example.mn", roles=["organiser"], name="Сарангэрэл")
        category_id = make.category().id

    sign_in(page, "clerk@example.mn")
    page.goto("/issues/staff/queue")
    page.locator("a[href='/issues/staff/new']").click()
    page.wait_for_url(re.compile(r"/issues/staff/new$"))
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()  # nothing filled in
    expect(page.locator("#title-error")).to_be_visible()
    assert_accessible(page)
    page.locator("select[name=channel]").select_option("phone")
    page.locator("input[name=title]").fill("Сургуулийн анги хүйтэн байна")
    page.locator("textarea[name=description]").fill(
        "3-р сургуулийн 2-р давхрын ангиуд 14 градус байна гэж эцэг эх утсаар мэдэгдэв.")
    page.locator("select[name=category_id]").select_option(str(category_id))
    page.locator("input[name=contact_name]").fill("Дулмаа")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/issues/\d+$"))
    expect(page.locator("#timeline .journey-step")).to_have_count(1)

    page.locator(".staff-action--assign summary").click()
    page.locator("select[name=assign-department_id]").select_option(index=3)
    page.locator("form[action$='/department'] button[type=submit]").click()  # no reason
    page.wait_for_url(re.compile(r"/issues/\d+/department$"))
    expect(page.locator("#assign-reason-error")).to_be_visible()
    assert_accessible(page)
    page.locator("textarea[name=assign-reason]").fill("Боловсролын газрын асуудал")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/issues/\d+#timeline$"))
    expect(page.locator("#timeline .journey-step")).to_have_count(2)
    expect(page.locator("#timeline")).to_contain_text("Боловсролын газрын асуудал")
    assert_accessible(page)
