"""One language in the browser (issue 19): what only the browser draws, Streamlit's
own words, follows the page's language too. On the first-slice warehouse, in
Debian's chromium: the district filter's list offers the districts, 未归属区域 among
them, and no English "Select all"; the data-quality page, tables included, shows none
of the English words found on the demo's Chinese pages. (AppTest checks the same
pages' every label and cell, tests/dashboard/test_one_language.py.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from bench.browser import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import Warehouse
from tests.dashboard.test_browser import _settle, _title_is, dashboard_server

pytestmark = [pytest.mark.integration, pytest.mark.browser]

# Streamlit's and the exports' English, as a Chinese reader met it on the demo
ENGLISH = ("Select all", "Select", "empty", "as_of", "digest", "unknown", "Unassigned")


def test_the_chinese_filters_and_tables_hold_no_streamlit_english(
    first_slice: Warehouse, tmp_path: Path
) -> None:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: run `make setup` (apt-get install chromium)")
    with (
        dashboard_server(first_slice, tmp_path / "streamlit.log") as url,
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1300}, locale="zh-CN")
            page.goto(url, wait_until="domcontentloaded")
            _title_is(page, "志愿服务总览")
            _settle(page)
            nav = page.get_by_test_id("stSidebarNav")
            nav.get_by_role("link", name="数据质量").click()
            _title_is(page, "数据质量")
            _settle(page)
            districts = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").first
            districts.get_by_role("combobox").click()
            listbox = page.get_by_role("listbox")
            listbox.wait_for()
            offered = [text.strip() for text in listbox.get_by_role("option").all_inner_texts()]
            assert offered == ["城东协作区", "城西协作区", "高新协作区", "未归属区域"]
            page.keyboard.press("Escape")
            shown = page.get_by_test_id("stSidebar").inner_text()
            shown += page.get_by_test_id("stMain").inner_text()
            for word in ENGLISH:
                assert not re.search(rf"(?<![A-Za-z_]){word}(?![A-Za-z_])", shown), word
        finally:
            browser.close()
