"""Reading the open data as a visitor would: the page, its links and the files."""

import csv
import io
import json
import re

from forum_app.opendata.datasets import DATASETS

LINK = re.compile(r'<a href="(/open-data/[^"]+)">[^<]+</a>\s*· (JSON|CSV) · '
                  r'<data value="(\d+)">([^<]+)</data>')


def seed_demo(app) -> None:
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output


def listed(client) -> dict[str, tuple[str, int, str]]:
    """{file path: (format, size in bytes, size as shown)} from the /open-data page."""
    response = client.get("/open-data")
    assert response.status_code == 200
    return {path: (kind, int(size), shown) for path, kind, size, shown
            in LINK.findall(response.get_data(as_text=True))}


def csv_rows(body: bytes) -> tuple[list[str], list[dict]]:
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    reader = csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline=""))
    return list(reader.fieldnames or []), list(reader)


def json_records(client, name: str) -> list[dict]:
    return json.loads(client.get(f"/open-data/{name}.json").data)["records"]


def every_file(client) -> dict[str, bytes]:
    paths = [f"/open-data/{d.name}.{kind}" for d in DATASETS for kind in ("json", "csv")]
    return {path: client.get(path).data for path in paths + ["/open-data/datapackage.json"]}
