"""The streamed XLSX writer (registration/xlsx.py), read back by openpyxl: every kind of value
keeps its meaning, and a title or text Excel would refuse is made acceptable."""

import io
import math
import secrets

from openpyxl import load_workbook

from forum_app.registration.export import to_xlsx, xlsx_chunks


def _read(body: bytes):
    return load_workbook(io.BytesIO(body)).active


def test_values_come_back_as_written_with_plain_text_never_a_formula():
    rows = [["Нэр", "Тоо", "Хувь", "Тийм"],
            ["Батбаяр <Номин> & \"Сарнай\"", 42, 12.5, True],
            ["  зайтай  ", None, "", False],
            ["=SUM(A1:A2)", math.nan, "Ган\x07бат", -3]]
    sheet = _read(to_xlsx(rows, "Ирцийн [жагсаалт]: 2026/05 ба бусад олон үг"))
    assert sheet.title == "Ирцийн жагсаалт 202605 ба бусад"
    assert sheet.freeze_panes == "B2"
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == ["Нэр", "Тоо", "Хувь", "Тийм"]
    assert values[1] == ["Батбаяр <Номин> & \"Сарнай\"", 42, 12.5, True]
    assert values[2][0] == "  зайтай  " and values[2][1:3] == [None, None]
    # neutralised, the not-a-number written as its text, the control character dropped
    assert values[3] == ["'=SUM(A1:A2)", "nan", "Ганбат", -3]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_the_first_bytes_leave_before_the_rows_are_read():
    read = []

    def rows():
        for number in range(2000):
            read.append(number)
            yield [number, f"мөр {number}", secrets.token_hex(64)]  # hardly compressible

    chunks = xlsx_chunks(rows(), "Rows")
    first = next(chunks)
    assert first.startswith(b"PK") and read == []
    rest = list(chunks)
    assert len(rest) > 2 and len(read) == 2000  # compressed rows leave as they are written
    values = list(_read(first + b"".join(rest)).iter_rows(values_only=True))
    assert values[-1][:2] == (1999, "мөр 1999") and len(values) == 2000
