"""On a phone: a citizen reports a comment (the third report hides it); a moderator finds it
in the queue, hides it for good with a reason and reads the record."""

import pytest
from playwright.sync_api import expect

from forum_app.moderation.services import flag_content
from tests import factories
from tests.browser.conftest import assert_accessible, open_site_menu, sign_in, sign_out
from tests.moderation.support import comment, issue
from tests.support import mn

pytestmark = pytest.mark.browser


def _texts(app, *messages):
    with app.app_context():
        return [mn(message) for message in messages]


def test_a_reported_comment_is_hidden_and_a_moderator_decides(page, live_server):
    app = live_server.app
    with app.app_context():
        author = factories.user("author@example.mn")
        troll = factories.user("troll@example.mn", name="Хар Тролл")
        factories.user("reader@example.mn")
        factories.user("mod@example.mn", roles=["moderator"], language="en")
        target = issue(author)
        issue_id = target.id
        reply_id = comment(target, troll, body="Та нар бүгд худалч!").id
        for n in range(2):
            flag_content(factories.user(f"f{n}@example.mn"), "comment", reply_id, "offensive")

    report, offensive, send, thanks = _texts(
        app, "Report this comment", "Offensive", "Send the report",
        "Thank you. The moderators will look at your report.")
    sign_in(page, "reader@example.mn")
    page.goto(f"/issues/{issue_id}")
    comment_item = page.locator(f"#comment-{reply_id}")
    comment_item.get_by_text(report).click()
    assert_accessible(page)  # the report form open
    comment_item.get_by_label(offensive).check()
    comment_item.get_by_role("button", name=send).click()
    expect(page.get_by_text(thanks)).to_be_visible()
    expect(page.get_by_text("Та нар бүгд худалч!")).to_have_count(0)  # hidden by 3 reports
    sign_out(page)

    sign_in(page, "mod@example.mn")
    open_site_menu(page)
    page.get_by_role("link", name="Moderation").click()
    expect(page.get_by_role("heading", name="Moderation", exact=True)).to_be_visible()
    expect(page.get_by_text("Hidden until reviewed")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Review").click()
    expect(page.get_by_role("heading", name="Review a comment")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Hide it").click()  # without a reason first
    expect(page.get_by_text("Please give a reason.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Reason (recorded and sent to the author)").fill("Доромжилсон үг.")
    page.get_by_role("button", name="Hide it").click()
    expect(page.get_by_text("It is hidden, and the author has been told why.")).to_be_visible()
    expect(page.get_by_role("heading", name="Hidden by a moderator")).to_be_visible()
    page.get_by_role("main").get_by_role("link", name="Open").click()  # not "Open data"
    expect(page.get_by_text("Доромжилсон үг.").first).to_be_visible()
    assert_accessible(page)
