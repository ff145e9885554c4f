"""The API's OpenAPI document: served as JSON, one document merged from the areas' files."""

import copy
import re

import jsonschema_rs
import pytest
import schemathesis
from schemathesis.core.result import Ok

from forum_app.api import spec

API = "/api/v1"
HTTP_METHODS = {"get", "put", "post", "delete", "patch"}


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


def _rules_under_the_api(app) -> dict[str, set[str]]:
    """Path template ({name}) -> the methods of every rule of the URL map under /api/v1."""
    operations: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(API + "/"):
            continue
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule[len(API):])
        operations.setdefault(path, set()).update(
            method.lower() for method in rule.methods - {"HEAD", "OPTIONS"})
    return operations


def _documented(document) -> dict[str, set[str]]:
    return {path: set(item) & HTTP_METHODS for path, item in document["paths"].items()}


def test_every_route_of_the_api_is_documented_and_every_operation_exists(app):
    rules = _rules_under_the_api(app)
    assert "/events/{event_id}/registrations" in rules  # the walk finds the API's routes
    assert _documented(spec.document()) == rules


def test_every_operation_documents_its_errors_with_the_one_shape():
    document = spec.document()
    resolved = schemathesis.openapi.from_dict(document)
    responses = document["components"]["responses"]
    for path, item in document["paths"].items():
        for method in set(item) & HTTP_METHODS:
            operation = item[method]
            assert operation.get("operationId"), (method, path)
            for status, answer in operation["responses"].items():
                answer = responses[answer["$ref"].rsplit("/", 1)[1]] if "$ref" in answer \
                    else answer
                if status.startswith(("4", "5")):
                    assert answer["content"]["application/json"]["schema"] == {
                        "$ref": "#/components/schemas/Error"}, (method, path, status)
    assert len(list(resolved.get_all_operations())) == sum(
        len(methods) for methods in _documented(document).values())


def _schemas(node):
    """Every JSON Schema in the document: under a "schema" key, and components.schemas."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "schema":
                yield value
            elif key == "schemas":
                yield from value.values()
            else:
                yield from _schemas(value)
    elif isinstance(node, list):
        for value in node:
            yield from _schemas(value)


def test_the_document_is_valid_openapi_3_1_and_every_reference_resolves():
    document = spec.document()
    loaded = schemathesis.openapi.from_dict(copy.deepcopy(document))
    loaded.validate()  # against the OpenAPI 3.1 meta-schema
    schemas = list(_schemas(document))
    assert len(schemas) > 50
    for schema in schemas:  # the meta-schema leaves them to JSON Schema 2020-12's own
        jsonschema_rs.meta.validate(schema)
    for result in loaded.get_all_operations():
        assert isinstance(result, Ok), result.err()  # e.g. a $ref that leads nowhere
        for response in result.ok().definition.raw["responses"]:
            assert response.isdigit(), (result.ok().label, response)


def test_a_broken_document_is_caught():
    broken = copy.deepcopy(spec.document())
    broken["paths"]["/stats"]["get"]["parameters"][0] = {"$ref": "#/components/parameters/No"}
    results = list(schemathesis.openapi.from_dict(broken).get_all_operations())
    assert not all(isinstance(result, Ok) for result in results)
    with pytest.raises(jsonschema_rs.ValidationError):
        jsonschema_rs.meta.validate({"type": "whole number"})


def test_device_routes_ask_for_the_device_token_and_others_for_none():
    for path, item in spec.document()["paths"].items():
        for method in set(item) & HTTP_METHODS:
            operation = item[method]
            if path.startswith("/checkin"):
                assert operation["security"] == [{"deviceToken": []}], path
                assert "401" in operation["responses"], path


def test_rate_limited_routes_document_429_with_retry_after():
    document = spec.document()
    assert "Retry-After" in document["components"]["responses"]["TooManyRequests"]["headers"]
    for path, method in [("/events/{event_id}/registrations", "post"), ("/checkin", "post"),
                         ("/agenda-items/{item_id}/votes", "post"), ("/stats", "get")]:
        assert document["paths"][path][method]["responses"]["429"] == {
            "$ref": "#/components/responses/TooManyRequests"}
