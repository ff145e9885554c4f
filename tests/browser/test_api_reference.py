"""The API reference in Chromium at a phone's size: Swagger UI draws the document under the
site's strict CSP (the page fixture fails on any CSP violation, script error or request that
leaves the app), replaces the server's plain list, and passes axe-core with every operation
open."""

import pytest

from forum_app.api import document as document_module
from tests.api.sample_spec import sample_document
from tests.browser.conftest import assert_accessible, layout_problems

pytestmark = pytest.mark.browser


def test_swagger_ui_draws_the_reference_within_the_csp(page, live_server, monkeypatch):
    spec = sample_document()
    monkeypatch.setattr(document_module, "document", lambda: spec)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/api/v1/docs")
    assert page.locator("#api-operations li").count() == 2  # there before the viewer is
    operations = page.locator("#swagger-ui .opblock")
    operations.first.wait_for(timeout=60_000)  # the viewer's script, compressed on first ask
    assert operations.count() == 2
    assert page.locator("#api-operations").is_hidden()  # the plain list gave way
    assert page.get_by_role("heading", name="API-ийн лавлах", level=1).is_visible()
    assert any(url.endswith("/api/v1/openapi.json") for url in requests)
    assert all(url.startswith(live_server.url) for url in requests), requests
    assert_accessible(page)
    for summary in page.locator("#swagger-ui .opblock-summary-control").all():
        summary.click()
    page.locator("#swagger-ui .responses-table").first.wait_for()
    assert page.locator("#swagger-ui .opblock-body").count() == 2
    assert page.get_by_text("Try it out").count() == 0  # a reference, not a console
    assert_accessible(page)
    assert layout_problems(page) == []


def test_without_javascript_the_plain_list_stays(browser, live_server, monkeypatch):
    spec = sample_document()
    monkeypatch.setattr(document_module, "document", lambda: spec)
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url,
                                  viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto("/api/v1/docs")
    assert page.locator("#api-operations li").all_inner_texts() == [
        "GET /events · Published events",
        "POST /events/{event_id}/registrations · Register a guest"]
    assert page.get_by_role("link", name="OpenAPI").count() == 1
    context.close()
