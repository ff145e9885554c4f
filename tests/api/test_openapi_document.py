"""The API's OpenAPI document: served as JSON, one document merged from the areas' files."""

import pytest

from forum_app.api import spec


def test_the_document_is_served_as_openapi_3_1(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.1")
    assert document["components"]["schemas"]["Error"]["required"] == ["error", "code", "fields"]


def test_a_path_described_in_two_files_is_refused():
    whole = {"paths": {"/events": {"get": {}}}}
    with pytest.raises(ValueError, match="twice"):
        spec._merge(whole["paths"], {"/events": {"get": {}}}, "other.yaml", "paths")
