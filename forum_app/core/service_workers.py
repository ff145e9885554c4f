"""Service worker scripts: the shared network-first part, then the page's own rules, served
from the path whose scope the worker must control."""

from pathlib import Path

from flask import Response, current_app, request


def service_worker_response(name: str) -> Response:
    folder = Path(current_app.static_folder, "js")
    script = "".join((folder / part).read_text(encoding="utf-8")
                     for part in ("sw-network-first.js", name))
    response = current_app.response_class(script, mimetype="text/javascript")
    # Browsers look for a new worker on each visit; an unchanged one costs a 304.
    response.headers["Cache-Control"] = "no-cache"
    response.add_etag()
    return response.make_conditional(request)
