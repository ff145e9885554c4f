"""The printable ticket: an A5 PDF with the event, the attendee and the QR.

The PDF core fonts have no Cyrillic, so DejaVu Sans (static/fonts/, free licence) is embedded;
fpdf2 keeps only the glyphs used.
"""

import io
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from fpdf import FPDF

from ..i18n import local_span, localized
from .models import Registration, Ticket
from .tickets import qr_png

FONT = "DejaVu"
QR_SIZE_MM = 80


def _font_dir() -> Path:
    return Path(current_app.static_folder) / "fonts"


def new_document(title: str, page_format=(148, 210), margin: int = 14) -> FPDF:
    """A PDF with DejaVu Sans (regular and bold) embedded; A5 in mm by default."""
    pdf = FPDF(format=page_format)
    pdf.set_margins(margin, margin)
    pdf.set_auto_page_break(True, margin)
    fonts = _font_dir()
    pdf.add_font(FONT, "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_title(title)
    pdf.set_creator(_("Darkhan City Forum"))
    return pdf


def _line(pdf: FPDF, label: str, value: str) -> None:
    if not value:
        return
    pdf.set_font(FONT, "", 9)
    pdf.set_text_color(70, 70, 70)
    pdf.multi_cell(0, 5, label, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 12)
    pdf.set_text_color(0, 0, 0)
    pdf.multi_cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.5)


def build_ticket_pdf(registration: Registration, ticket: Ticket) -> bytes:
    """The ticket in the reader's language; times in Asia/Ulaanbaatar."""
    event = registration.event
    title = localized(event, "title")
    pdf = new_document(title)
    pdf.add_page()

    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(0, 5, _("Darkhan City Forum") + " · " + _("Ticket"),
                   new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 17)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)

    when = local_span(event.starts_at, event.ends_at)
    venue = ", ".join(part for part in (localized(event, "venue_name"),
                                        localized(event, "venue_address")) if part)
    _line(pdf, _("Name"), registration.name)
    _line(pdf, _("When"), when)
    _line(pdf, _("Where"), venue)

    x = (pdf.w - QR_SIZE_MM) / 2
    pdf.image(io.BytesIO(qr_png(ticket.code)), x=x, w=QR_SIZE_MM, h=QR_SIZE_MM)
    pdf.set_font(FONT, "B", 12)
    pdf.multi_cell(0, 6, ticket.code, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(0, 5, _("Show this QR code at the entrance, on your phone or printed."),
                   align="C", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
