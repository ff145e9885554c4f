"""/open-data: the page that lists the files (format, size, date, licence), and the files,
sent compressed (their kept Brotli or gzip copy) to a client that accepts it."""

from flask import Blueprint, abort, render_template, request, send_file

from .datasets import DATASETS, LICENCE
from .encodings import chosen_encoding, encoded_path
from .files import PACKAGE, snapshot

bp = Blueprint("opendata", __name__)
LICENCE_LINK = f'<{LICENCE["path"]}>; rel="license"'


@bp.route("/open-data")
def index():
    """Not kept by the page cache: the sizes and dates are those of the files served now."""
    current = snapshot()
    return render_template("opendata/index.html", snapshot=current, datasets=DATASETS,
                           package=current.files[PACKAGE], licence=LICENCE)


@bp.route("/open-data/<filename>")
def download(filename: str):
    """One file, with its ETag (its hash, and encoding) and date, so that a client asks only
    for changes."""
    current = snapshot()
    entry = current.files.get(filename)
    if entry is None:
        abort(404)
    encoding = chosen_encoding(request.headers.get("Accept-Encoding", ""), entry.encoded)
    path = current.path(filename)
    response = send_file(path if encoding is None else encoded_path(path, encoding),
                         mimetype=entry.mimetype, as_attachment=entry.format == "csv",
                         download_name=filename, etag=entry.etag(encoding),
                         last_modified=entry.modified, conditional=True, max_age=None)
    if encoding is not None:
        response.headers["Content-Encoding"] = encoding
    response.vary.add("Accept-Encoding")
    response.headers["Cache-Control"] = "public, no-cache"
    response.headers["Link"] = LICENCE_LINK
    return response
