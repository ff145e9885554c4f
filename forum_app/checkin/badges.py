"""Name badges as a PDF: an A4 sheet of 8 (2 x 4, with light cut lines) or one label per page
(90 x 55 mm, for label printers). Each badge: the name (large), organisation, stakeholder
kind, the event's title and, for a confirmed registration, the ticket's QR.

DejaVu Sans (static/fonts/) is embedded for Mongolian Cyrillic, as in the ticket PDF.
"""

import io
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.enums import MethodReturnValue

from ..events.models import Event
from ..i18n import localized
from ..registration.models import Registration, RegistrationState
from ..registration.tickets import qr_png
from .services.outcome import stakeholder_label

FONT = "DejaVu"
KIND_COLOURS = {  # a strip down the badge's edge tells the kinds apart at a glance
    "citizen": (46, 125, 50), "government": (21, 101, 192), "business": (230, 120, 0),
    "ngo": (142, 36, 170), "academia": (0, 131, 143), "media": (198, 40, 40),
    "international": (69, 90, 100),
}


@dataclass(frozen=True)
class Layout:
    page: tuple[float, float]  # mm
    columns: int
    rows: int
    margin: float  # around the sheet
    padding: float  # inside a badge
    name_size: float  # largest font size of the name (pt)
    qr: float  # QR side (mm)
    cut_lines: bool


LAYOUTS = {
    "a4": Layout((210, 297), 2, 4, 10, 4.5, 20, 30, True),
    "label": Layout((90, 55), 1, 1, 0, 4, 15, 25, False),
}


def badge_boxes(layout: Layout) -> list[tuple[float, float, float, float]]:
    """(x, y, width, height) in mm of each badge on a page, row by row."""
    width = (layout.page[0] - 2 * layout.margin) / layout.columns
    height = (layout.page[1] - 2 * layout.margin) / layout.rows
    return [(layout.margin + column * width, layout.margin + row * height, width, height)
            for row in range(layout.rows) for column in range(layout.columns)]


def _ticket_code(registration: Registration) -> str | None:
    ticket = registration.ticket
    if registration.state != RegistrationState.CONFIRMED or ticket is None \
            or ticket.revoked_at is not None:
        return None
    return ticket.code


def _lines(pdf: FPDF, text: str, width: float, max_lines: int) -> list[str]:
    lines = pdf.multi_cell(width, 4, text, dry_run=True, output=MethodReturnValue.LINES)
    if len(lines) <= max_lines:
        return lines
    kept = lines[:max_lines]
    last = kept[-1]
    while last and pdf.get_string_width(last + "…") > width:
        last = last[:-1]
    kept[-1] = last.rstrip() + "…"
    return kept


def _write(pdf: FPDF, x: float, y: float, width: float, text: str, size: float, *,
           bold: bool = False, max_lines: int = 1, grey: int = 0) -> float:
    """Writes `text` (wrapped, at most `max_lines`, cut with …); returns the y below it."""
    if not text:
        return y
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.set_text_color(grey, grey, grey)
    height = size * 0.42  # pt to mm, with a little leading
    for line in _lines(pdf, text, width, max_lines):
        pdf.set_xy(x, y)
        pdf.cell(width, height, line)
        y += height
    return y


def _name_size(pdf: FPDF, name: str, width: float, largest: float) -> float:
    """The largest size (down to 10 pt) at which the name fits on two lines."""
    size = largest
    while size > 10:
        pdf.set_font(FONT, "B", size)
        if len(pdf.multi_cell(width, 4, name, dry_run=True,
                              output=MethodReturnValue.LINES)) <= 2:
            break
        size -= 1
    return size


def _badge(pdf: FPDF, layout: Layout, x: float, y: float, w: float, h: float,
           registration: Registration, title: str) -> None:
    if layout.cut_lines:
        pdf.set_draw_color(190, 190, 190)
        pdf.set_line_width(0.2)
        pdf.set_dash_pattern(dash=1.5, gap=1.5)
        pdf.rect(x, y, w, h)
        pdf.set_dash_pattern()
    kind = registration.stakeholder_kind
    pdf.set_fill_color(*KIND_COLOURS.get(kind, (69, 90, 100)))
    pdf.rect(x, y, 2.5, h, style="F")

    p = layout.padding
    left, inner = x + p + 1.5, w - 2 * p - 1.5
    top = _write(pdf, left, y + p, inner, title, 7.5, grey=90)
    size = _name_size(pdf, registration.name, inner, layout.name_size)
    _write(pdf, left, top + 1.5, inner, registration.name, size, bold=True, max_lines=2)

    code = _ticket_code(registration)
    qr_top = y + h - p - layout.qr - 2.5
    text_width = inner - layout.qr - 3 if code else inner
    below = _write(pdf, left, qr_top + 2, text_width, registration.organisation or "", 9,
                   max_lines=2, grey=40)
    _write(pdf, left, below + 1.5, text_width, stakeholder_label(kind), 9, bold=True,
           max_lines=2)
    if code:
        qr_left = x + w - p - layout.qr
        pdf.image(io.BytesIO(qr_png(code)), x=qr_left, y=qr_top, w=layout.qr, h=layout.qr)
        pdf.set_font(FONT, "", 4.5)
        pdf.set_text_color(90, 90, 90)
        pdf.set_xy(qr_left - 4, qr_top + layout.qr)
        pdf.cell(layout.qr + 4, 2.5, code, align="C")


def badges_pdf(event: Event, registrations: list[Registration], layout: str = "a4") -> bytes:
    """The badges of `registrations` for `event`, texts in the reader's language. `layout`:
    "a4" (a sheet of 8) or "label" (one 90 x 55 mm label per page)."""
    shape = LAYOUTS.get(layout)
    if shape is None:
        raise ValueError(f"unknown badge layout {layout!r}")
    title = localized(event, "title")
    pdf = FPDF(unit="mm", format=shape.page)
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0)
    fonts = Path(current_app.static_folder) / "fonts"
    pdf.add_font(FONT, "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_title(_("Name badges") + " · " + title)
    pdf.set_creator(_("Darkhan City Forum"))
    boxes = badge_boxes(shape)
    if not registrations:
        pdf.add_page()
    for n, registration in enumerate(registrations):
        if n % len(boxes) == 0:
            pdf.add_page()
        _badge(pdf, shape, *boxes[n % len(boxes)], registration, title)
    return bytes(pdf.output())
