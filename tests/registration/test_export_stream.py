"""The attendee CSV and XLSX of a large event are streamed by the real server (gunicorn): they
come in chunks as they are written, with the private-download headers, every registration once
in order (the XLSX read back by openpyxl, its header and first column frozen), and one entry in
the export log that counts them."""

import csv
import http.client
import io
import random
import urllib.parse
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from forum_app.audit.models import AuditEvent
from forum_app.audit.services import EXPORT_ACTION
from forum_app.extensions import db
from forum_app.registration.models import Registration, Ticket
from forum_app.scale.bulk import move_sequences
from forum_app.scale.people import People
from forum_app.scale.registrations import add_registrations
from tests import factories

MANY = 1_234  # more than two chunks of 500


def _signed_in_cookie(server, email: str) -> str:
    connection = http.client.HTTPConnection(f"127.0.0.1:{server.port}", timeout=60)
    connection.request("POST", "/account/login", headers={
        "Content-Type": "application/x-www-form-urlencoded"},
        body=urllib.parse.urlencode({"email": email, "password": factories.PASSWORD}))
    answer = connection.getresponse()
    answer.read()
    assert answer.status == 302
    return answer.getheader("Set-Cookie").split(";", 1)[0]


def _csv_rows(body: bytes) -> list[list]:
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _xlsx_rows(body: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet.title == "Attendees" and sheet.freeze_panes == "B2"
    return [["" if cell is None else str(cell) for cell in row]
            for row in sheet.iter_rows(values_only=True)]


FORMATS = {"csv": ("text/csv; charset=utf-8", _csv_rows),
           "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    _xlsx_rows)}


@pytest.mark.parametrize("file_format", FORMATS)
def test_a_large_attendee_export_streams_every_row_with_its_headers_and_log(
        app, gunicorn_server, file_format):
    content_type, read = FORMATS[file_format]
    organiser = factories.user("org@example.mn", roles=["organiser"], language="en")
    event = factories.event(organiser, capacity=None)
    add_registrations(MANY, SimpleNamespace(id=event.id, capacity=None,
                                            starts_at=event.starts_at), [],
                      People(random.Random(7), {}), [], random.Random(7))  # noqa: S311  # nosec B311
    move_sequences(Registration.__table__, Ticket.__table__)
    db.session.commit()
    ids = db.session.scalars(select(Registration.id).where(Registration.event_id == event.id)
                             .order_by(Registration.id)).all()

    connection = http.client.HTTPConnection(f"127.0.0.1:{gunicorn_server.port}", timeout=60)
    connection.request("GET", f"/manage/events/{event.slug}/attendees.{file_format}",
                       headers={"Cookie": _signed_in_cookie(gunicorn_server, organiser.email),
                                "Accept-Encoding": "gzip, br"})
    answer = connection.getresponse()
    assert answer.status == 200
    assert answer.getheader("Transfer-Encoding") == "chunked"
    assert answer.getheader("Content-Length") is None
    assert answer.getheader("Content-Type") == content_type
    assert answer.getheader("Cache-Control") == "private, no-store"
    assert answer.getheader("Content-Disposition") == (
        f'attachment; filename="{event.slug}-attendees.{file_format}"')
    chunks = []
    while chunk := answer.read1(1 << 20):
        chunks.append(chunk)
    assert len(chunks) > 1  # sent as written, not built whole first
    header, *rows = read(b"".join(chunks))
    assert header[:2] == ["Registration number", "Name"]
    assert [int(row[0]) for row in rows] == ids and len(ids) == MANY

    db.session.commit()  # a fresh snapshot: what the server wrote
    [logged] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == EXPORT_ACTION))
    assert logged.after == {"what": "attendees", "format": file_format,
                            "rows": MANY}
