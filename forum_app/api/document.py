"""GET /api/v1/openapi.json: the API's OpenAPI 3.1 document (see spec/)."""

from .caching import public_json
from .common import bp
from .spec import document


@bp.get("/openapi.json")
def openapi_document():
    return public_json(document())
