"""An OpenAPI document with a few operations of each kind, for the reference page's tests (the
real document gains its paths from the areas' files)."""

import copy

from forum_app.api.spec import document

ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}


def sample_document() -> dict:
    whole = copy.deepcopy(document())
    whole["paths"] = {
        "/events": {"get": {
            "tags": ["events"], "summary": "Published events", "operationId": "listEvents",
            "parameters": [{"name": "when", "in": "query",
                            "schema": {"type": "string", "enum": ["upcoming", "past", "all"]}}],
            "responses": {
                "200": {"description": "A page of events", "content": {"application/json": {
                    "schema": {"type": "object", "required": ["events", "next"], "properties": {
                        "events": {"type": "array", "items": {"type": "object"}},
                        "next": {"type": ["string", "null"]}}}}}},
                "422": {"description": "Wrong filter", "content": ERROR}}}},
        "/events/{event_id}/registrations": {"post": {
            "tags": ["registration"], "summary": "Register a guest",
            "operationId": "createRegistration",
            "parameters": [{"name": "event_id", "in": "path", "required": True,
                            "schema": {"type": "integer"}}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["name", "consent"],
                "properties": {"name": {"type": "string"}, "consent": {"type": "boolean"}}}}}},
            "responses": {"201": {"description": "Registered"},
                          "404": {"description": "No such event", "content": ERROR},
                          "413": {"description": "Too large", "content": ERROR}}}},
    }
    return whole
