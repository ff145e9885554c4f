"""Text answers (HTML, JSON, CSS, JS, SVG, CSV, calendars) compressed with Brotli or gzip
when the client accepts it, in development as in production (Flask-Compress, configured in
config.py). Already-compressed files (PNG, JPEG, PDF, XLSX) and tiny bodies go as they are.

One change to Flask-Compress: it would rename an ETag `"<tag>"` to `"<tag>:gzip"`, so the
views that answer If-None-Match themselves (the scanner's offline pack, the service-worker
scripts, the projector) would no longer recognise the tag their clients send back and would
rebuild the answer each time. The tag names the content, whatever its encoding (Vary:
Accept-Encoding keeps caches' copies apart, and no compressed answer serves byte ranges), so
it is kept as the view set it and the 304 is decided on it.
"""

from flask import Flask, request
from flask_compress import Compress
from flask_compress.flask_compress import _choose_algorithm, _compress_data


class SameETagCompress(Compress):
    def after_request(self, response):
        etag, weak = response.get_etag()
        response = super().after_request(response)
        if etag and response.get_etag() != (etag, weak):
            response.set_etag(etag, weak=weak)
            if request.method in ("GET", "HEAD"):
                response.make_conditional(request)
        return response


compress = SameETagCompress()


def register_compression(app: Flask) -> None:
    compress.init_app(app)


def negotiated_encoding(accept_encoding: str) -> str | None:
    """The encoding Flask-Compress chooses for a client's Accept-Encoding (the page cache's
    middleware, core/page_hits.py, answers before Flask-Compress runs)."""
    return _choose_algorithm(compress.enabled_algorithms, accept_encoding)


def compressed(app: Flask, data: bytes, encoding: str) -> bytes:
    return _compress_data(app, data, encoding)
