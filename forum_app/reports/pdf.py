"""The printable report of a period: an A4 PDF, every heading and label in Mongolian /
English, each figure table with its bar chart drawn beside the numbers, in the spirit of the
programme's activity tables. DejaVu Sans renders Cyrillic (see registration.pdf).

Laying the PDF out is what costs (a profile at 100,000 registrations: fpdf2's table and line
breaking about 60 %, reading the two TrueType fonts 10 %, subsetting them into the file 15 %;
the figures themselves are cached by figures.py), about a second whatever the data. So the
finished PDF is kept per process, keyed by a digest of everything it shows: the same figures
give the same file at once, and a changed figure gives a new one."""

import hashlib
import json
from datetime import date

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from ..deliberation.minutes import LANGUAGES, both
from ..events.models import EVENT_KIND_LABELS, EventKind
from ..i18n import local_datetime, utcnow
from ..registration.pdf import FONT, new_document
from .charts import bar_chart
from .figures import figures_for
from .periods import Period
from .tables import Table, tables

T = {"title": _l("Forum figures"), "period": _l("Period"), "kind": _l("Kind of event"),
     "any": _l("Every kind"), "generated": _l("Generated"),
     "exact": _l("Exact figures, for officials and organisers."),
     "public": _l("Public figures: a count under 5 is shown as \"<5\"; totals are exact.")}
BAR_MM = 60


def _joined(texts: list[str]) -> str:
    return texts[0] if texts[0] == texts[1] else f"{texts[0]} / {texts[1]}"


def bilingual_tables(period: Period, today: date, exact: bool) -> list[Table]:
    """The tables once, their labels in both languages (the numbers are the same)."""
    figures = figures_for(period, today)
    built = []
    for language in LANGUAGES:
        with force_locale(language):
            built.append(tables(figures, public=not exact))
    merged = []
    for mn, en in zip(*built, strict=True):
        table = Table(mn.slug, _joined([mn.title, en.title]),
                      [_joined(pair) for pair in zip(mn.columns, en.columns, strict=True)],
                      chart_column=mn.chart_column)
        table.rows = [[_joined([str(a[0]), str(b[0])]), *a[1:]]
                      for a, b in zip(mn.rows, en.rows, strict=True)]
        merged.append(table)
    return merged


class Report:
    def __init__(self, title: str):
        self.pdf = new_document(title, "A4")
        self.pdf.add_page()

    def text(self, value: str, size: int = 10, bold: bool = False) -> None:
        self.pdf.set_font(FONT, "B" if bold else "", size)
        self.pdf.multi_cell(0, size * 0.5, value, new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1)

    def chart(self, table: Table) -> None:
        drawn = bar_chart(table.bars)
        if drawn is None:
            return
        self.pdf.set_font(FONT, "", 7)
        for bar in drawn.bars:
            if self.pdf.will_page_break(9):
                self.pdf.add_page()
            self.pdf.multi_cell(0, 3.5, bar.label, new_x="LMARGIN", new_y="NEXT")
            x, y = self.pdf.get_x(), self.pdf.get_y()
            width = BAR_MM * bar.width / (320 - 40)
            self.pdf.set_fill_color(11, 79, 138)
            if width > 0:
                self.pdf.rect(x, y, width, 3.5, style="F")
            self.pdf.set_xy(x + width + 1.5, y)
            self.pdf.cell(0, 3.5, bar.value_text, new_x="LMARGIN", new_y="NEXT")
            self.pdf.ln(0.8)
        self.pdf.ln(2)

    def table(self, table: Table) -> None:
        self.text(table.title, 12, bold=True)
        if not table.rows:
            self.text("—")
            return
        self.pdf.set_font(FONT, "", 8)
        self.pdf.set_fill_color(230, 236, 243)  # the header row; the bars set their own
        widths = [3, *([1] * (len(table.columns) - 1))]
        with self.pdf.table(col_widths=widths, text_align="LEFT", line_height=4.5) as grid:
            for values in [table.columns, *table.rows]:
                row = grid.row()
                for value in values:
                    row.cell(str(value))
        self.pdf.ln(2)
        self.chart(table)


_built: dict[str, bytes] = {}
PDFS_KEPT = 16  # finished reports remembered per worker (about 50 kB each)


def build_report_pdf(period: Period, today: date, exact: bool) -> bytes:
    """The report's PDF: the one laid out before when its figures are the same (and
    REPORTS_CACHE_SECONDS is on), else a new one."""
    shown = bilingual_tables(period, today, exact)
    if not current_app.config.get("REPORTS_CACHE_SECONDS", 0):
        return _laid_out(period, exact, shown)
    key = _digest(period, exact, shown)
    if key not in _built:
        if len(_built) >= PDFS_KEPT:
            _built.pop(next(iter(_built)))  # the oldest
        _built[key] = _laid_out(period, exact, shown)
    return _built[key]


def _digest(period: Period, exact: bool, shown: list[Table]) -> str:
    content = [period.start, period.end, period.kind, exact,
               *([t.slug, t.title, t.columns, t.rows, t.chart_column] for t in shown)]
    return hashlib.sha256(json.dumps(content, default=str).encode()).hexdigest()


def _laid_out(period: Period, exact: bool, shown: list[Table]) -> bytes:
    title = both(T["title"])
    report = Report(title)
    report.text(title, 16, bold=True)
    kind = both(EVENT_KIND_LABELS[EventKind(period.kind)]) if period.kind else both(T["any"])
    report.text(f"{both(T['period'])}: {period.start.isoformat()} – {period.end.isoformat()}"
                f" · {both(T['kind'])}: {kind}")
    report.text(f"{both(T['exact'] if exact else T['public'])} {both(T['generated'])}: "
                f"{local_datetime(utcnow())}", 8)
    for table in shown:
        report.table(table)
    return bytes(report.pdf.output())
