"""Static files under names that carry a hash of their content.

`url_for('static', filename='css/app.css')` gives `/static/css/app.3f2a1c9e04.css`: a phone
keeps it for a year (`immutable`) and fetches it again only when the file changes, because
then its name changes. The plain name still answers (service workers and pages stored before
a change ask for it), with a short cache. Text files are kept compressed (gzip, Brotli) in
memory. The hashes are made once per process, when the first app starts (in debug mode again
when a file changes on disk); each compressed copy when it is first asked for.
"""

import gzip
import hashlib
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path

import brotli
from flask import Flask, abort, current_app, request, send_from_directory
from werkzeug.security import safe_join

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"
HASHED_NAME = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{10})(?P<suffix>\.[A-Za-z0-9]+)$")
COMPRESSIBLE = frozenset({"text/css", "text/javascript", "application/javascript",
                          "image/svg+xml", "application/json", "text/plain"})
MIN_COMPRESSED = 500  # below this, the headers weigh more than what compression saves
ENCODINGS = ("br", "gzip")


@dataclass(frozen=True)
class Asset:
    filename: str  # as in static/, e.g. css/app.css
    hashed: str  # css/app.<digest>.css
    mtime_ns: int
    mimetype: str
    body: bytes | None  # kept in memory when it is text worth compressing
    compressed: dict  # encoding -> bytes, filled as clients ask

    def encoded(self, encoding: str) -> bytes:
        if encoding not in self.compressed:
            self.compressed[encoding] = (brotli.compress(self.body, quality=11)
                                         if encoding == "br" else
                                         gzip.compress(self.body, compresslevel=9, mtime=0))
        return self.compressed[encoding]


def hashed_name(filename: str, digest: str) -> str:
    path = Path(filename)
    return str(path.with_name(f"{path.stem}.{digest}{path.suffix}"))


def _load(folder: Path, filename: str) -> Asset:
    path = folder / filename
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:10]
    mimetype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    text = mimetype in COMPRESSIBLE and len(data) >= MIN_COMPRESSED
    return Asset(filename, hashed_name(filename, digest), path.stat().st_mtime_ns, mimetype,
                 data if text else None, {})


class StaticFiles:
    """The manifest of static/: each file's hashed name, and the way back."""

    def __init__(self, folder: str):
        self.folder = Path(folder)
        self.by_name: dict[str, Asset] = {}
        self.by_hashed: dict[str, Asset] = {}
        for path in sorted(p for p in self.folder.rglob("*") if p.is_file()):
            self._add(_load(self.folder, path.relative_to(self.folder).as_posix()))
        # Names every hashed name at start: a page kept by the page cache links to these.
        self.fingerprint = hashlib.sha256(
            "\n".join(sorted(self.by_hashed)).encode()).hexdigest()[:10]

    def _add(self, asset: Asset) -> None:
        old = self.by_name.get(asset.filename)
        if old is not None:
            self.by_hashed.pop(old.hashed, None)
        self.by_name[asset.filename] = asset
        self.by_hashed[asset.hashed] = asset

    def lookup(self, filename: str) -> Asset | None:
        asset = self.by_name.get(filename)
        if asset is not None and current_app.debug:  # edited while the server runs
            path = self.folder / filename
            if path.is_file() and path.stat().st_mtime_ns != asset.mtime_ns:
                asset = _load(self.folder, filename)
                self._add(asset)
        return asset

    def url_name(self, filename: str) -> str:
        asset = self.lookup(filename)
        return asset.hashed if asset else filename


def static_files() -> StaticFiles:
    return current_app.extensions["static_files"]


def _hashed_url_defaults(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "filename" in values:
        values["filename"] = static_files().url_name(values["filename"])


def _serve_static(filename: str):
    files = static_files()
    asset = files.by_hashed.get(filename)
    if asset is not None:
        cache_control = IMMUTABLE
    else:
        asset, cache_control = files.lookup(filename), SHORT
    if asset is None:
        if safe_join(str(files.folder), filename) is None:
            abort(404)
        return send_from_directory(files.folder, filename, max_age=300)  # added since start
    if asset.body is None:
        response = send_from_directory(files.folder, asset.filename)
    else:
        encoding = request.accept_encodings.best_match(ENCODINGS)
        response = current_app.response_class(
            asset.encoded(encoding) if encoding else asset.body, mimetype=asset.mimetype)
        if encoding:
            response.headers["Content-Encoding"] = encoding
        response.vary.add("Accept-Encoding")
    response.headers["Cache-Control"] = cache_control
    response.set_etag(asset.hashed, weak=True)  # weak: one file, several encodings
    return response.make_conditional(request)


_MANIFESTS: dict[str, StaticFiles] = {}  # per folder: every app of the process shares it


def register_static_files(app: Flask) -> None:
    """Hash every file of static/ (once per process), serve them by either name, and make
    url_for('static') give the hashed one."""
    if app.static_folder not in _MANIFESTS:
        _MANIFESTS[app.static_folder] = StaticFiles(app.static_folder)
    app.extensions["static_files"] = _MANIFESTS[app.static_folder]
    app.view_functions["static"] = _serve_static
    app.url_defaults(_hashed_url_defaults)
