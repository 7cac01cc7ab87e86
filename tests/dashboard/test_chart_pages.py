"""Every page of the dashboard in Debian's chromium, in Chinese and in English: the SVG
texts of every Plotly chart (tick labels, bar and cell labels, legends, titles and the
"数据截至" note) never overlap and are never drawn under 10 px.

On the first-slice warehouse, and on the session's demo warehouse (``demo`` in
tests/conftest.py: 9 districts, 75 schools and their branches, every activity type, 24
months) whose pages have the many rows and types the charts must fit. The figures
alone, on frames as large: test_chart_text.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

from bench.browser import CHROMIUM, CHROMIUM_ARGS
from dashboard.chart_style import MIN_TEXT_SIZE
from tests.conftest import Warehouse
from tests.dashboard.test_browser import ARTIFACTS, RENDER_TIMEOUT_MS, _settle, dashboard_server
from tests.dashboard.text_boxes import TEXT_BOXES_JS, overlapping, too_small

pytestmark = [pytest.mark.integration, pytest.mark.browser]

PAGES = ("", "districts", "units", "people", "activities", "data-quality")


def _pick_a_person(page) -> None:
    """The first person of the leaderboard's picker. Its list can miss a first click
    made while the page still settles, or close under the click when the page reruns
    (on a loaded machine: the option was detached, and the click waited 30 s for it):
    open it again and click again, five times at most."""
    option = page.get_by_role("option").first
    for _ in range(5):
        page.get_by_test_id("stSelectbox").last.click()
        try:
            option.wait_for(timeout=5_000)
            option.click(timeout=5_000)
            return
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    raise AssertionError("the person picker never showed an option that took a click")


def _page_texts(warehouse: Warehouse, log: Path, name: str) -> dict[str, list[list[dict]]]:
    """Each page (and language) -> the text boxes of each of its charts."""
    found: dict[str, list[list[dict]]] = {}
    with dashboard_server(warehouse, log) as url, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1300})
            for lang in ("zh", "en"):
                for path in PAGES:
                    query = "?lang=en" if lang == "en" else ""
                    page.goto(f"{url}/{path}{query}", wait_until="domcontentloaded")
                    page.wait_for_function(
                        "() => document.querySelectorAll('h1').length > 0",
                        timeout=RENDER_TIMEOUT_MS,
                    )
                    _settle(page)
                    if path == "people":  # a person's history: their months, gaps as 0
                        _pick_a_person(page)
                        page.wait_for_function(
                            "() => document.querySelectorAll('[data-testid=stPlotlyChart]')"
                            ".length >= 2",
                            timeout=RENDER_TIMEOUT_MS,
                        )
                        _settle(page)
                    shown = f"{path or 'overview'}-{lang}"
                    page.screenshot(
                        path=str(ARTIFACTS / f"charts-{name}-{shown}.png"), full_page=True
                    )
                    found[shown] = page.evaluate(TEXT_BOXES_JS)
        finally:
            browser.close()
    return found


def _check(found: dict[str, list[list[dict]]]) -> None:
    assert {page: overlapping(charts) for page, charts in found.items()} == {
        page: [] for page in found
    }
    assert {page: too_small(charts, MIN_TEXT_SIZE) for page, charts in found.items()} == {
        page: [] for page in found
    }


def test_no_chart_text_overlaps_on_the_first_slice(first_slice: Warehouse, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: run `make setup` (apt-get install chromium)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    found = _page_texts(first_slice, tmp_path / "streamlit.log", "first-slice")
    # the overview's 3 charts, the districts' 4, units 2, people 2 (a person picked),
    # activities 3, data quality 1: each page drew them all
    assert [len(found[f"{page or 'overview'}-zh"]) for page in PAGES] == [3, 4, 2, 2, 3, 1]
    _check(found)


def test_no_chart_text_overlaps_on_a_demo_warehouse(demo: Warehouse, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: run `make setup` (apt-get install chromium)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    found = _page_texts(demo, tmp_path / "streamlit.log", "demo")
    assert [len(found[f"{page or 'overview'}-en"]) for page in PAGES] == [3, 4, 2, 2, 3, 1]
    # the activity types' chart has a legend entry per type: 18 in the seed
    _check(found)
