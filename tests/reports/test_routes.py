"""The dashboard page and its exports: public with small cells hidden, exact for staff."""

import io

import pytest
from openpyxl import load_workbook

from forum_app.reports import figures, pdf
from tests import factories
from tests.support import text_of

from .support import admitted, event_on, person, today


@pytest.fixture
def organiser(app):
    return factories.user("org@example.mn", roles=["organiser"])


@pytest.fixture
def small_forum(organiser):
    forum = event_on(organiser, whole_day=True)
    admitted(forum, organiser, gender="female")
    admitted(forum, organiser, gender="female")
    person(forum, gender="male")
    return forum


def _period():
    day = today().isoformat()
    return f"from={day}&to={day}"


def test_public_page_hides_small_cells(client, small_forum):
    response = client.get(f"/reports/?{_period()}")
    assert response.status_code == 200
    page = text_of(response)
    assert "<5" in page
    # hidden counts are not drawn as bars either
    assert 'id="chart-gender-title"' not in response.get_data(as_text=True)


def test_staff_see_exact_figures_and_charts(client, auth, small_forum):
    auth.login("org@example.mn")
    response = client.get(f"/reports/?{_period()}")
    html = response.get_data(as_text=True)
    assert "<svg" in html and 'id="chart-gender-title"' in html
    assert 'role="img"' in html and "style=" not in html
    tables = html.split("</form>", 1)[1]
    assert "&lt;5" not in tables.split('id="table-stakeholders"', 1)[1]


def test_bad_period_is_a_422_with_the_field_marked(client):
    response = client.get("/reports/?from=2026-99-01&kind=party")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="period-from-error"' in html and 'id="period-kind-error"' in html


def test_exports_csv_and_xlsx(client, auth, small_forum):
    auth.login("org@example.mn")
    csv = client.get(f"/reports/gender.csv?{_period()}")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    lines = csv.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert len(lines) == 2 and lines[1].split(",")[1:] == ["2", "100.0"]
    xlsx = client.get(f"/reports/summary.xlsx?{_period()}")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    # events held, registrations, checked in, in the summary's order
    assert [row[1] for row in values[1:4]] == [1, 3, 2]


def test_public_export_hides_small_cells(client, small_forum):
    lines = client.get(f"/reports/gender.csv?{_period()}").get_data(as_text=True).splitlines()
    assert lines[1].split(",")[1:] == ["<5", ""]


def test_unknown_table_and_bad_period(client):
    assert client.get("/reports/nothing.csv").status_code == 404
    assert client.get("/reports/summary.csv?to=x").status_code == 422


def test_printable_report_is_a_bilingual_pdf(client, small_forum):
    response = client.get(f"/reports/report.pdf?{_period()}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    page = client.get(f"/reports/?{_period()}").get_data(as_text=True)
    assert "/reports/report.pdf?" in page
    assert client.get("/reports/report.pdf?from=2026-02-31").status_code == 422


def test_the_same_figures_give_the_same_pdf_and_new_figures_a_new_one(
        app, client, organiser, small_forum, monkeypatch):
    app.config["REPORTS_CACHE_SECONDS"] = 60  # as in production
    monkeypatch.setattr(pdf, "_built", {})
    first = client.get(f"/reports/report.pdf?{_period()}").data
    assert client.get(f"/reports/report.pdf?{_period()}").data == first  # kept, not laid out
    assert len(pdf._built) == 1
    person(small_forum, gender="male")  # one more registration for the period
    monkeypatch.setattr(figures, "_recent", {})  # as when the counted figures have aged
    changed = client.get(f"/reports/report.pdf?{_period()}").data
    assert changed.startswith(b"%PDF") and changed != first and len(pdf._built) == 2
