"""A one-sheet XLSX written as it goes: the spreadsheet parts first, then the sheet's rows
compressed into the zip a few hundred at a time, so the first bytes leave at once and an export
of 100,000 rows never sits whole in memory (openpyxl builds the whole file before its first
byte: minutes at that size).

An XLSX is a zip of XML parts. Python's zipfile writes to a stream it cannot seek in: each
entry's sizes follow its data (a data descriptor, as the zip format allows; openpyxl reads the
file back in the tests; not yet opened in Excel or LibreOffice here). Text cells
are inline strings (typed, never a formula), numbers are numbers, every cell and row names its
place (as Excel itself writes them), and the header row and first column stay in view (frozen
panes), as before.
"""

import math
import zipfile
from collections.abc import Iterable, Iterator
from html import escape

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{OFFICE}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{OFFICE}.worksheet+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{OFFICE}.styles+xml"/></Types>'),
    "_rels/.rels": (
        f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}"><Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
        f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" '
        'Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/>'
        '</Relationships>'),
    "xl/styles.xml": (
        f'<styleSheet xmlns="{MAIN}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/>'
        '</font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill>'
        '<patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/>'
        '<right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf '
        'numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="1">'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        '</styleSheet>'),
}
SHEET_START = (
    f'<worksheet xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheetViews><sheetView '
    'workbookViewId="0"><pane xSplit="1" ySplit="1" topLeftCell="B2" activePane="bottomRight" '
    'state="frozen"/><selection pane="bottomRight" activeCell="B2" sqref="B2"/></sheetView>'
    '</sheetViews><sheetData>')
SHEET_END = "</sheetData></worksheet>"


class _Outbox:
    """A stream zipfile writes into and the caller empties: what was written since the last
    take()."""

    def __init__(self):
        self._parts: list[bytes] = []

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        return None

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def sheet_name(title: str) -> str:
    """A title Excel accepts for a sheet: at most 31 characters, none of []:*?/\\."""
    return ILLEGAL_CHARACTERS_RE.sub("", title).translate(
        str.maketrans("", "", "[]:*?/\\"))[:31].strip() or "Sheet"


def _cell(reference: str, value) -> str:
    """One cell at `reference` (B7): a number as a number, anything else as a plain text (never
    a formula: the caller has neutralised what a spreadsheet would run); "" for an empty one."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{reference}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int) or isinstance(value, float) and math.isfinite(value):
        return f'<c r="{reference}"><v>{value!r}</v></c>'
    text = escape(ILLEGAL_CHARACTERS_RE.sub("", str(value)), quote=False)
    return f'<c r="{reference}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _row(number: int, row: list, columns: list[str]) -> str:
    while len(columns) < len(row):
        columns.append(get_column_letter(len(columns) + 1))
    cells = "".join(_cell(f"{column}{number}", value)
                    for column, value in zip(columns, row, strict=False))
    return f'<row r="{number}">{cells}</row>'


def xlsx_chunks(rows: Iterable[list], title: str, rows_per_chunk: int = 500) -> Iterator[bytes]:
    """The file as it is written: the spreadsheet's parts at once, then the rows compressed,
    `rows_per_chunk` at a time, then the zip's directory."""
    outbox = _Outbox()
    with zipfile.ZipFile(outbox, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, body in PARTS.items():
            archive.writestr(name, HEAD + body)
        archive.writestr("xl/workbook.xml", (
            f'{HEAD}<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets><sheet name="'
            f'{escape(sheet_name(title))}" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write((HEAD + SHEET_START).encode())
            yield outbox.take()
            lines, columns = [], []
            for number, row in enumerate(rows, start=1):
                lines.append(_row(number, row, columns))
                if number % rows_per_chunk == 0:
                    sheet.write("".join(lines).encode("utf-8", "replace"))
                    lines.clear()
                    if chunk := outbox.take():
                        yield chunk
            sheet.write(("".join(lines) + SHEET_END).encode("utf-8", "replace"))
    yield outbox.take()
