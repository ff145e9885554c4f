"""The API reference at /api/v1/docs: a page of the site, in its language, that works without
JavaScript (the operations listed by the server) and links the OpenAPI document."""

import re

import pytest

from forum_app.api import document as document_module
from tests.api.sample_spec import sample_document


@pytest.fixture
def sample(monkeypatch):
    spec = sample_document()
    monkeypatch.setattr(document_module, "document", lambda: spec)
    return spec


def _plain_list(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<strong class="api-method">(\w+)</strong> <code>([^<]+)</code>', html)


def test_the_page_lists_every_operation_without_javascript(client, sample):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert _plain_list(html) == [("GET", "/events"), ("POST", "/events/{event_id}/registrations")]
    assert "Register a guest" in html
    assert 'href="/api/v1/openapi.json"' in html
    # The viewer comes from the site's own static files, and the strict CSP stays.
    assert re.search(r'data-viewer="/static/vendor/swagger-ui/swagger-ui-bundle'
                     r'(\.[0-9a-f]{10})?\.js"', html)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "style-src 'self';" in csp and "unsafe" not in csp


def test_the_page_speaks_the_visitors_language(client, sample):
    assert "<h1>API-ийн лавлах</h1>" in client.get("/api/v1/docs").get_data(as_text=True)
    client.post("/language", data={"language": "en", "next": "/api/v1/docs"})
    assert "<h1>API reference</h1>" in client.get("/api/v1/docs").get_data(as_text=True)
    assert "<h1>API-ийн лавлах</h1>" in client.get("/api/v1/docs?lang=mn").get_data(as_text=True)


def test_the_real_document_lists_what_it_describes(client):
    html = client.get("/api/v1/docs").get_data(as_text=True)
    described = [(method.upper(), path) for path, item in
                 sorted(document_module.document()["paths"].items())
                 for method in document_module.METHODS if method in item]
    assert _plain_list(html) == described


def test_the_footer_of_every_page_leads_to_the_reference(client):
    assert 'href="/api/v1/docs"' in client.get("/").get_data(as_text=True)
