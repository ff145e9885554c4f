"""The open data files on disk, built once per version of the public record.

`snapshot()` gives the files as they now are. They are rebuilt when the record's version
(core/page_version.py: raised by every write a public page may show) has moved on, and at most
once every OPEN_DATA_SECONDS, so a busy day of registrations does not mean a rebuild per
download: a file is at most that old. No visitor waits for that rebuild: the request that finds
the files out of date starts it in a thread of its worker (OPEN_DATA_REBUILD = "background",
the default) and is sent the files already built, as is everyone until the new ones are
current; one worker builds at a time (a file lock). `flask open-data build` builds them from
cron or after a deploy. Two cases are built inside the request, which then waits: the very
first build of an instance (when no command has made one), and a build after something left
public view (a hidden issue, a position taken back), which must leave the files at once
(records.withdrawals). Each build is written row by row into a folder of its own, with each
file's compressed copies (encodings.py), and only then made current (an atomic rename of the
manifest); the previous one is kept for the downloads still reading it. A file whose content
did not change keeps its date.

JSON: {"name", "title_mn", "title_en", "licence", "attribution", "records": [...]}. CSV: a
header row, UTF-8 with a byte-order mark (so that Excel shows Cyrillic), lists as
space-separated ids, text cells that a spreadsheet would run as a formula (= + - @) prefixed
with ' (the JSON keeps the exact text). datapackage.json describes every file (Frictionless
Data Package): fields, types, sizes, hashes and the licence.
"""

import contextlib
import csv
import fcntl
import hashlib
import json
import os
import secrets
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from flask_babel import force_locale

from ..core.page_version import current_version
from ..core.urls import external_url
from ..extensions import db
from ..registration.export import neutralise
from .datasets import ATTRIBUTION, DATASETS, LICENCE, Dataset
from .encodings import write_encodings
from .records import withdrawals

FORMATS = {"json": "application/json", "csv": "text/csv"}
PACKAGE = "datapackage.json"
MANIFEST = "current.json"
CHUNK = 1 << 16
# Names what the files hold: a build made by code with other files or fields is not reused.
LAYOUT = hashlib.sha256(repr([(d.name, d.fields) for d in DATASETS]).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class DataFile:
    name: str  # issues.csv
    dataset: Dataset | None  # None: datapackage.json
    format: str
    size: int
    sha256: str
    modified: datetime  # when its content last changed (UTC)
    encoded: dict[str, int]  # its compressed copies: {"br": size, "gzip": size}

    @property
    def mimetype(self) -> str:
        return FORMATS[self.format]

    def etag(self, encoding: str | None = None) -> str:
        """The tag of the content as sent: one per encoding."""
        return self.sha256[:32] + (f"-{encoding}" if encoding else "")


@dataclass(frozen=True)
class Snapshot:
    folder: Path
    version: int | None
    withdrawals: str  # records.withdrawals() when it was built
    built_at: datetime
    files: dict[str, DataFile]

    def path(self, name: str) -> Path:
        return self.folder / name


def _root() -> Path:
    """OPEN_DATA_FOLDER, or (when it is empty, as in tests) a temporary folder of this app."""
    app = current_app
    if app.config.get("OPEN_DATA_FOLDER"):
        root = Path(app.config["OPEN_DATA_FOLDER"])
    else:
        if "open_data_folder" not in app.extensions:
            app.extensions["open_data_folder"] = tempfile.TemporaryDirectory(
                prefix="forum-open-data-")
        root = Path(app.extensions["open_data_folder"].name)
    root.mkdir(parents=True, exist_ok=True)
    return root


def _read(root: Path) -> Snapshot | None:
    """The kept build; None when there is none, or it was made by code that wrote other files
    or fields (after an upgrade), or its manifest cannot be read."""
    try:
        manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("layout") != LAYOUT:
            return None
        datasets = {dataset.name: dataset for dataset in DATASETS}
        files = {}
        for name, entry in manifest["files"].items():
            stem, _, kind = name.rpartition(".")
            files[name] = DataFile(name, datasets.get(stem), kind, entry["size"],
                                   entry["sha256"], datetime.fromisoformat(entry["modified"]),
                                   dict(entry.get("encoded", {})))
        return Snapshot(root / manifest["folder"], manifest["version"],
                        manifest["withdrawals"], datetime.fromisoformat(manifest["built_at"]),
                        files)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _fresh(snapshot: Snapshot) -> bool:
    age = (datetime.now(UTC) - snapshot.built_at).total_seconds()
    return 0 <= age < current_app.config["OPEN_DATA_SECONDS"]


@contextlib.contextmanager
def _lock(root: Path, wait: bool):
    with open(root / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def snapshot() -> Snapshot:
    """The current files: the kept build when it is of the record's version, or when nothing
    was withdrawn from public view since it was made (a rebuild is started when it is older
    than OPEN_DATA_SECONDS); else a new build, made now."""
    root = _root()
    version = current_version()
    kept = _read(root)
    if kept is not None and kept.version == version:
        return kept
    withdrawn = withdrawals()
    if kept is not None and kept.withdrawals == withdrawn:
        return (None if _fresh(kept) else _start_rebuild(root)) or kept
    with _lock(root, wait=True):
        kept = _read(root)
        if kept is not None and kept.version == version:
            return kept
        return build(root, version, withdrawals(), kept)


def _start_rebuild(root: Path) -> Snapshot | None:
    """Unless a worker is building already: build the next files, in a thread of this worker
    ("background": None, the kept files are sent meanwhile), or in this request ("request":
    tests, a one-process setup; the new files)."""
    handle = open(root / ".lock", "w")  # noqa: SIM115 - held by the build, closed by it
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    app = current_app._get_current_object()  # noqa: SLF001 - the thread needs the app
    if app.config.get("OPEN_DATA_REBUILD", "background") != "background":
        _rebuild(app, root, handle)
        return _read(root)
    thread = threading.Thread(target=_rebuild, args=(app, root, handle),
                              name="open-data-build", daemon=True)
    app.extensions["open_data_rebuild"] = thread  # tests wait for it
    thread.start()
    return None


def _rebuild(app, root: Path, handle) -> None:
    """Build the files of the record as it is now, holding the lock `handle`, then free it."""
    try:
        with app.app_context():
            try:
                version, kept = current_version(), _read(root)
                if kept is None or kept.version != version:
                    build(root, version, withdrawals(), kept)
            except Exception:  # noqa: BLE001 - the files being served stay; try again later
                app.logger.exception("open data: the rebuild failed")
            finally:
                db.session.remove()
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def build_now() -> Snapshot:
    """Build the files now (`flask open-data build`), waiting for a build under way."""
    root = _root()
    with _lock(root, wait=True):
        return build(root, current_version(), withdrawals(), _read(root))


def _json_head(dataset: Dataset) -> str:
    titles = {}
    for language in ("mn", "en"):
        with force_locale(language):
            titles[f"title_{language}"] = str(dataset.title)
    head = {"name": dataset.name, **titles, "licence": LICENCE,
            "attribution": {"text": ATTRIBUTION, "url": external_url("opendata.index")}}
    return json.dumps(head, ensure_ascii=False)[:-1] + ', "records": ['


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return " ".join(str(part) for part in value)
    return neutralise(value)


def _write(dataset: Dataset, folder: Path) -> None:
    with open(folder / f"{dataset.name}.json", "w", encoding="utf-8") as as_json, \
            open(folder / f"{dataset.name}.csv", "w", encoding="utf-8-sig",
                 newline="") as as_csv:
        as_json.write(_json_head(dataset))
        writer = csv.writer(as_csv)
        writer.writerow(dataset.field_names)
        separator = "\n"
        for row in dataset.rows():
            as_json.write(separator + json.dumps(row, ensure_ascii=False))
            separator = ",\n"
            writer.writerow([_cell(row[name]) for name in dataset.field_names])
        as_json.write("\n]}\n")


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _csv_field(field) -> dict:
    if field.type == "array":
        return {"name": field.name, "type": "string",
                "description": field.description + " (space-separated)"}
    return {"name": field.name, "type": field.type, "description": field.description}


def _package(entries: dict) -> dict:
    resources = []
    for dataset in DATASETS:
        for kind in FORMATS:
            name = f"{dataset.name}.{kind}"
            resource = {"name": f"{dataset.name.replace('_', '-')}-{kind}", "path": name,
                        "title": str(dataset.title), "description": str(dataset.description),
                        "format": kind, "mediatype": FORMATS[kind], "encoding": "utf-8",
                        "bytes": entries[name]["size"],
                        "hash": "sha256:" + entries[name]["sha256"],
                        "licenses": [LICENCE]}
            if kind == "csv":
                resource |= {"profile": "tabular-data-resource",
                             "dialect": {"delimiter": ",", "header": True},
                             "schema": {"fields": [_csv_field(f) for f in dataset.fields]}}
            else:
                resource["schema"] = {"fields": [
                    {"name": f.name, "type": f.type, "description": f.description}
                    for f in dataset.fields]}
                resource["description"] += " The rows are under the top-level key \"records\"."
            resources.append(resource)
    return {"profile": "data-package", "name": "darkhan-city-forum",
            "title": "Darkhan City Forum: citizens' issues and the forum record",
            "description": "Public, anonymised citizens' issues of Darkhan-Uul province and the "
                           "record of how each forum discussion moved from problem to decision "
                           "to implementation. No names, e-mail addresses or phone numbers.",
            "homepage": external_url("opendata.index"), "licenses": [LICENCE],
            "contributors": [{"title": ATTRIBUTION, "role": "publisher"}],
            "resources": resources}


def build(root: Path, version: int | None, withdrawn: str,
          previous: Snapshot | None) -> Snapshot:
    """Write every file into a new folder, then make it the current one."""
    started = time.perf_counter()
    folder = root / f"build-{secrets.token_hex(6)}"
    folder.mkdir()
    now = datetime.now(UTC).replace(microsecond=0)
    with force_locale("en"):
        for dataset in DATASETS:
            _write(dataset, folder)
        entries = {}
        for dataset in DATASETS:
            for kind in FORMATS:
                path = folder / f"{dataset.name}.{kind}"
                entries[path.name] = {"size": path.stat().st_size, "sha256": _digest(path),
                                      "encoded": write_encodings(path)}
        description = json.dumps(_package(entries), ensure_ascii=False, indent=1)
        (folder / PACKAGE).write_text(description + "\n", encoding="utf-8")
    package = folder / PACKAGE
    entries[PACKAGE] = {"size": package.stat().st_size, "sha256": _digest(package),
                        "encoded": write_encodings(package)}
    for name, entry in entries.items():
        before = previous.files.get(name) if previous else None
        same = before is not None and before.sha256 == entry["sha256"]
        entry["modified"] = (before.modified if same else now).isoformat()
    manifest = {"layout": LAYOUT, "folder": folder.name, "version": version,
                "withdrawals": withdrawn,
                "built_at": now.isoformat(), "files": entries}
    pending = root / f"{MANIFEST}.{folder.name}"
    pending.write_text(json.dumps(manifest), encoding="utf-8")
    os.replace(pending, root / MANIFEST)
    keep = {folder.name, previous.folder.name if previous else None}
    for old in root.glob("build-*"):
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)
    current_app.logger.info("open data built in %.0f ms",
                            (time.perf_counter() - started) * 1000)
    return _read(root)
