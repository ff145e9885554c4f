"""The API's own description: GET /api/v1/openapi.json, the OpenAPI 3.1 document (see spec/),
and GET /api/v1/docs, the reference page for people: a head drawn by the server (what the API
is, the links to the document and to the open data) with a plain list of the operations, which
Swagger UI (npm's swagger-ui-dist, served from static/vendor) replaces with the full reference
when JavaScript runs."""

from flask import g, render_template, request, url_for
from flask_babel import refresh

from ..core.page_cache import public_page
from .caching import public_json
from .common import bp
from .spec import document

METHODS = ("get", "post", "put", "patch", "delete")


@bp.get("/openapi.json")
def openapi_document():
    return public_json(document())


def operations(spec: dict) -> list[dict]:
    """Every operation of the document, (path, method) in order: method, path, summary."""
    return [{"method": method.upper(), "path": path,
             "summary": operation.get("summary") or operation.get("operationId") or ""}
            for path, item in sorted(spec.get("paths", {}).items())
            for method in METHODS if isinstance(operation := item.get(method), dict)]


@bp.get("/docs")
@public_page
def reference_page():
    """A page for people, in the site's language (the API's ?lang= still chooses one)."""
    if "lang" not in request.args:
        g.pop("language", None)
        refresh()
    return render_template("api/docs.html", operations=operations(document()),
                           base=url_for("api.openapi_document").rsplit("/", 1)[0])
