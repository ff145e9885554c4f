"""Public JSON answers that a client or a shared cache may keep and ask about again: a weak
ETag of the body (weak, so that a compressed copy of the same JSON matches it too), and a
matching If-None-Match gets 304 with no body (werkzeug's make_conditional, as the service
workers' scripts do). `public, no-cache`: anyone may keep it, and asks again each time, which
costs a 304 while nothing changed (seats left, a vote counted change without warning)."""

from flask import Response, jsonify, request

PUBLIC = "public, no-cache"


def public_json(payload, status: int = 200) -> Response:
    """`payload` as JSON for anyone, answered 304 when the client already has these bytes."""
    response = jsonify(payload)
    response.status_code = status
    response.headers["Cache-Control"] = PUBLIC
    response.vary.add("Accept-Language")  # the language of the texts, besides ?lang=
    response.add_etag(weak=True)
    return response.make_conditional(request)
