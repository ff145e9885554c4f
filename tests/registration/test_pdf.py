"""The printable ticket: a PDF whose text (Mongolian Cyrillic) is really there.

The text is read back without fpdf2: the content streams are inflated and each string's glyph
codes are mapped to Unicode through its font's ToUnicode CMap, as a PDF viewer's search or
copy does. poppler's pdftotext, when installed, must agree.
"""

import re
import shutil
import subprocess
import zlib
from datetime import timedelta

from forum_app.i18n import utcnow
from tests import factories
from tests.registration.support import confirm_in_browser, guest

OBJECT = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.S)
STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _objects(pdf: bytes) -> dict[int, bytes]:
    return {int(m.group(1)): m.group(2) for m in OBJECT.finditer(pdf)}


def _stream(body: bytes) -> bytes:
    data = STREAM.search(body).group(1)
    return zlib.decompress(data) if b"/FlateDecode" in body.split(b"stream")[0] else data


def _unescape(literal: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(literal):
        byte = literal[i:i + 1]
        if byte != b"\\":
            out += byte
            i += 1
            continue
        following = literal[i + 1:i + 2]
        octal = re.match(rb"[0-7]{1,3}", literal[i + 1:i + 4])
        if octal:
            out.append(int(octal.group(), 8) & 0xFF)
            i += 1 + len(octal.group())
        else:
            out += ESCAPES.get(following, following)
            i += 2
    return bytes(out)


def pdf_text(pdf: bytes) -> str:
    objects = _objects(pdf)
    cmaps = {}
    for name, ref in re.findall(rb"/(F\d+)\s+(\d+) 0 R", pdf):
        to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", objects[int(ref)]).group(1)
        cmap = _stream(objects[int(to_unicode)])
        cmaps[name] = {int(code, 16): chr(int(uni, 16)) for code, uni in
                       re.findall(rb"<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]{4})>", cmap)}
    lines = []
    for body in objects.values():
        if b"stream" not in body or b"/Length" not in body:
            continue
        try:
            content = _stream(body)
        except zlib.error:
            continue
        font = None
        for block in re.findall(rb"BT(.*?)ET", content, re.S):
            font = (re.findall(rb"/(F\d+) [\d.]+ Tf", block) or [font])[-1]
            strings = re.findall(rb"\(((?:\\.|[^\\)])*)\)", block, re.S)
            if font is None or not strings:
                continue
            raw = b"".join(_unescape(s) for s in strings)
            lines.append("".join(cmaps[font].get(int.from_bytes(raw[i:i + 2], "big"), "?")
                                 for i in range(0, len(raw) - 1, 2)))
    return "\n".join(lines)


def test_pdf_ticket_has_the_event_the_attendee_in_cyrillic_and_the_code(client, app, tmp_path):
    starts_at = (utcnow() + timedelta(days=10)).replace(hour=2, minute=0, second=0,
                                                        microsecond=0)
    event = factories.event(title_mn="Тэг хаягдалтай Дархан", starts_at=starts_at,
                            ends_at=starts_at + timedelta(hours=3),
                            venue_address_mn="Дархан сум, 3-р баг")
    path = client.post(f"/events/{event.slug}/register",
                       data=guest(name="Өлзийсайхан Түмэнбаяр")).headers["Location"]
    confirm_in_browser(client, "saraa@example.mn")
    code = client.get(path).get_data(as_text=True).split("<code>")[1].split("</code>")[0]

    response = client.get(path + "/ticket.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("inline;")
    pdf = response.data
    assert pdf.startswith(b"%PDF-")
    assert re.search(rb"/BaseFont /[A-Z]{6}\+DejaVuSans", pdf)
    assert b"/Subtype /Image" in pdf  # the QR

    text = pdf_text(pdf)
    assert "Өлзийсайхан Түмэнбаяр" in text
    assert "Тэг хаягдалтай Дархан" in text
    assert "Дархан сум, 3-р баг" in text
    assert code in text
    assert "10:00" in text  # 02:00 UTC is 10:00 in Asia/Ulaanbaatar

    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        (tmp_path / "ticket.pdf").write_bytes(pdf)
        extracted = subprocess.run([pdftotext, str(tmp_path / "ticket.pdf"), "-"],
                                   capture_output=True, text=True, check=True).stdout
        assert "Өлзийсайхан Түмэнбаяр" in extracted and code in extracted
