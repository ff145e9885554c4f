"""GET /api/v1/openapi.json: the API's OpenAPI 3.1 document (see spec/)."""

from flask import jsonify

from .common import bp
from .spec import document


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(document())
