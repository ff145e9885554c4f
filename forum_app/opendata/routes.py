"""/open-data: the page that lists the files (format, size, date, licence), and the files."""

from flask import Blueprint, abort, render_template, send_file

from .datasets import DATASETS, LICENCE
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
    """One file, with its ETag (its hash) and date, so that a client asks only for changes."""
    current = snapshot()
    entry = current.files.get(filename)
    if entry is None:
        abort(404)
    response = send_file(current.path(filename), mimetype=entry.mimetype,
                         as_attachment=entry.format == "csv", download_name=filename,
                         etag=entry.sha256[:32], last_modified=entry.modified, conditional=True,
                         max_age=None)
    response.headers["Cache-Control"] = "public, no-cache"
    response.headers["Link"] = LICENCE_LINK
    return response
