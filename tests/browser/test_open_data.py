"""The open data page on a phone, without JavaScript: every file listed, axe-clean, no wider
than the screen, and a link downloads the file it names."""

import csv
import io
from pathlib import Path

import pytest

from forum_app.opendata.datasets import DATASETS
from tests.browser.conftest import PHONE, assert_accessible, layout_problems
from tests.opendata.support import seed_demo

pytestmark = pytest.mark.browser


def test_open_data_page_works_on_a_phone_without_javascript(browser, live_server):
    seed_demo(live_server.app)
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url,
                                  viewport=PHONE, is_mobile=True, locale="mn-MN")
    page = context.new_page()
    page.goto("/")
    page.get_by_role("link", name="Нээлттэй өгөгдөл").click()
    assert page.get_by_role("heading", name="Нээлттэй өгөгдөл", level=1).is_visible()
    files = page.locator(".open-data__file > a:first-child").all_inner_texts()
    assert files == [f"{d.name}.{kind}" for d in DATASETS for kind in ("json", "csv")] + [
        "datapackage.json"]
    assert layout_problems(page) == []
    context.close()


def test_open_data_page_passes_axe_and_a_link_downloads(page, live_server):
    seed_demo(live_server.app)
    page.goto("/open-data")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="issues.csv").click()
    body = Path(download.value.path()).read_text(encoding="utf-8-sig")
    header = next(csv.reader(io.StringIO(body)))
    assert header[:3] == ["id", "title", "description"]
