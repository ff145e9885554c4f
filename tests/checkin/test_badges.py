"""Name badges: printed as a PDF, read back as a phone and a printer would: the QR codes
decode with zbarimg from a 150 dpi rendering, and the Mongolian text is real text."""

import os
import shutil
import subprocess

import pytest
from flask_babel import force_locale
from PIL import Image

from forum_app.checkin.badges import LAYOUTS, badge_boxes, badges_pdf
from forum_app.registration.services import cancel_registration

from .support import event_on, person

DPI = 150
TOOLS = {name: shutil.which(name) for name in ("pdftoppm", "pdftotext", "zbarimg")}


@pytest.fixture(autouse=True)
def _tools():
    missing = [name for name, path in TOOLS.items() if path is None]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{', '.join(missing)} needed in CI (poppler-utils, zbar-tools)")
        pytest.skip(f"{', '.join(missing)} not installed (apt install poppler-utils zbar-tools)")


def run(*args) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=False,
                          timeout=60).stdout


def page_codes(pdf: bytes, tmp_path, page: int = 1, layout: str = "a4") -> set[str]:
    """The QR codes zbarimg reads from one page rendered at 150 dpi, one badge at a time as a
    phone held over it would (zbar scanning a whole sheet at once sometimes loses one of eight
    codes that it reads alone)."""
    source = tmp_path / "badges.pdf"
    source.write_bytes(pdf)
    prefix = tmp_path / f"page{page}"
    subprocess.run([TOOLS["pdftoppm"], "-r", str(DPI), "-png", "-f", str(page), "-l", str(page),
                    "-singlefile", str(source), str(prefix)], check=True, timeout=60)
    codes = set()
    with Image.open(f"{prefix}.png") as sheet:
        for n, (x, y, width, height) in enumerate(badge_boxes(LAYOUTS[layout])):
            badge = tmp_path / f"page{page}-badge{n}.png"
            sheet.crop(tuple(round(mm * DPI / 25.4) for mm in (
                x, y, x + width, y + height))).save(badge)
            codes |= set(run(TOOLS["zbarimg"], "--raw", "-q", str(badge)).split())
    return codes


def text(pdf: bytes, tmp_path) -> str:
    source = tmp_path / "text.pdf"
    source.write_bytes(pdf)
    return run(TOOLS["pdftotext"], "-layout", str(source), "-")


def test_an_a4_sheet_holds_8_badges_whose_qr_codes_decode(organiser, tmp_path):
    event = event_on(organiser, title_mn="Цэвэр усны форум", title_en="Clean water forum")
    people = [person(event, name, stakeholder_kind=kind, organisation=org) for name, kind, org in (
        ("Төмөрбаатар Өлзийсайхан", "government", "Дархан-Уул аймгийн ЗДТГ"),
        ("Батын Сараа", "ngo", "Ногоон Дархан ТББ"),
        ("Мөнхзул Ганбаатар", "business", "Эко Вүүл ХХК"),
        ("Энхтуяа Д.", "citizen", None),
        ("Оюунгэрэл Баярсайхан", "academia", "ХААИС-ийн Дархан дахь салбар"),
        ("Номин Э.", "media", "Дархан ТВ"),
        ("Jane Smith", "international", "EU Delegation to Mongolia"),
        ("Билгүүн Т.", "citizen", None),
        ("Хулан Б.", "citizen", None))]

    pdf = badges_pdf(event, people, layout="a4")
    assert pdf.startswith(b"%PDF")
    assert page_codes(pdf, tmp_path) == {p.ticket.code for p in people[:8]}
    assert page_codes(pdf, tmp_path, page=2) == {people[8].ticket.code}

    printed = text(pdf, tmp_path)
    for expected in ("Төмөрбаатар", "Өлзийсайхан", "Ногоон Дархан ТББ", "Цэвэр усны форум",
                     "Jane Smith"):
        assert expected in printed


def test_a_single_label_per_page_in_the_readers_language(organiser, tmp_path):
    event = event_on(organiser, title_mn="Агаарын чанарын форум", title_en="Air quality forum")
    saraa = person(event, "Батын Сараа", stakeholder_kind="ngo")
    dorj = person(event, "Дорж Болд", stakeholder_kind="business")
    with force_locale("en"):
        pdf = badges_pdf(event, [saraa, dorj], layout="label")
    assert page_codes(pdf, tmp_path, page=1, layout="label") == {saraa.ticket.code}
    assert page_codes(pdf, tmp_path, page=2, layout="label") == {dorj.ticket.code}
    printed = text(pdf, tmp_path)
    assert "Батын Сараа" in printed and "Air quality forum" in printed
    assert "NGO / civil society" in printed and "Business" in printed


def test_a_cancelled_registration_gets_a_badge_without_a_qr(organiser, tmp_path):
    event = event_on(organiser)
    gone = person(event, "Явсан Хүн")
    cancel_registration(gone, actor=organiser, by_staff=True)
    pdf = badges_pdf(event, [gone], layout="label")
    assert page_codes(pdf, tmp_path) == set()
    assert "Явсан Хүн" in text(pdf, tmp_path)
