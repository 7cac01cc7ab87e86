"""Every page printed by Debian's chromium (print media, A4 landscape, as Ctrl+P does):
``streamlit run`` on the first-slice warehouse, one browser going from page to page by
the sidebar's links, ``page.pdf`` of each, read back with poppler's ``pdftotext``.
The PDFs land in ``tests/artifacts/print-*.pdf`` (git-ignored).

What a printed page must be (dashboard/layout.py PRINT_CSS): every sheet carries the
period and filters, the "data as of" line, the page's title and its number in the
margins; every table is printed whole (its plain copy, every header and row, the
interactive grid hidden); the charts are scaled to the sheet; the overview takes at
most two sheets.

Figures worked out by hand from tests/fixtures/valid/first_slice_inbox (README.md there;
the per-page tests hold the arithmetic): the default period is the data's, January to
March 2025, all districts.

Sheets per page, on A4 landscape with 12 and 10 mm margins (a sheet holds about 710 px
of page) and a 1400 px wide window, the sidebar open (so a full-width chart is drawn
704 x 450 px and prints at 290 px high, a chart in a column at most 420):

- overview 2: title, five tiles, four captions and the monthly trend; then the two
  charts side by side and the two three-row tables side by side;
- districts 2: the metric, the ranking and the heatmap (two 290 px charts); then the
  year-on-year caption and the two charts side by side;
- units 2: the district, the one-row unit table, the school, the two-row branch table
  and the compliance grid; then the quotas;
- people 1: four tiles, the hours distribution and the seven-row leaderboard (the
  person picker does nothing on paper and is left off);
- activities 3: the two trends; the ten-row type table and the community chart; the
  one-row community table (the chart and it do not fit under the type table);
- data quality 5: the two rows of tiles (bureau-wide, then those that follow the
  filters) with their captions; the rejects chart and the freshness list's first row;
  the rest of the freshness list, the file loads and the twelve rejects; duplicates,
  unmapped labels, unknown units and people missing from the roster; the pending rows;
- submissions 1: the two captions, the three-row grid and the nine-row counts, each
  under its heading and help line (text only, about 650 px);
- exports 1: the intro and the suppression choice (the button does nothing on paper).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from bench.browser import CHROMIUM, CHROMIUM_ARGS, LOADED_JS
from dashboard import i18n
from tests.conftest import Warehouse
from tests.dashboard.test_browser import ARTIFACTS, RENDER_TIMEOUT_MS, dashboard_server

pytestmark = [pytest.mark.integration, pytest.mark.browser]

PERIOD = "统计期间：2025年1月 – 2025年3月"
SCOPE = "区域：全部区域"

HOURS = "时长（小时）"
EVENT_COLUMNS = ["活动场次", "另据活动汇总表：参与人次", "另据活动汇总表：服务时长（小时）"]
UNIT_HEADERS = ["单位", "类型", HOURS, "人次", "志愿者人数", "参与率", *EVENT_COLUMNS]
DISTRICT_HEADERS = ["区域", HOURS, "人次", "志愿者人数"]
REJECT_REASONS = [  # s01 lines 7-18, one per reason code in DESIGN.md's order
    "缺少人员标识",
    "缺少单位",
    "缺少日期",
    "日期无效",
    "日期超出范围",
    "时间无效",
    "结束早于开始",
    "缺少时长",
    "时长无效",
    "时长超出范围",
    "缺少活动类型",
    "身份证号被 Excel 损坏",
]

# url path -> (sidebar link key, title key, sheets, [(headers, row names)] of each table)
PAGES: dict[str, tuple[str, str, int, list[tuple[list[str], list[str]]]]] = {
    "": (
        "nav.overview",
        "overview.title",
        2,
        [  # top and bottom three: every known district, D03 with no unit at 0.00
            (DISTRICT_HEADERS, ["城西协作区", "城东协作区", "高新协作区"]),
        ],
    ),
    "districts": ("nav.districts", "districts.title", 2, []),
    "units": (
        "nav.units",
        "units.title",
        2,
        [  # D01 (the first district): school S01, then its branches B011 and B012
            (UNIT_HEADERS, ["第一中学"]),
            (UNIT_HEADERS, ["第一中学语文组党支部", "第一中学数学组党支部"]),
        ],
    ),
    "people": (
        "nav.people",
        "people.title",
        1,
        [
            (
                ["名次", "姓名", "人员类别", "单位", HOURS, "人次"],
                ["张三", "李四", "钱七", "学生（姓名已隐藏）", "孙八", "王五", "路人甲"],
            ),
        ],
    ),
    "activities": (
        "nav.activities",
        "activities.title",
        3,
        [
            (
                ["活动类型", "活动类别", HOURS, "人次", *EVENT_COLUMNS],
                [
                    "党员活动日",
                    "交通安全",
                    "双报到",
                    "集中培训",
                    "便民利民",
                    "其他",
                    "党课",
                    "环境保护",
                    "支委会",
                    "文体娱乐",
                ],
            ),
            (["社区", "单位数", HOURS, "人次"], ["幸福社区"]),
        ],
    ),
    "data-quality": (
        "nav.data_quality",
        "dq.title",
        5,
        [
            (["数据类型", "文件数", "最近加载"], ["活动记录", "区域", "组织", "花名册"]),
            (
                ["文件", "数据类型", "加载时间", "读取行数", "加载行数", "拒收行数", "状态"],
                # in the order the files were loaded (dq_file_loads.sql): any order
                frozenset(
                    {
                        "districts.csv",
                        "logs/s01_2025q1.csv",
                        "logs/s02_2025q1_gb18030.csv",
                        "organizations.csv",
                        "roster.xlsx",
                    }
                ),
            ),
            (["文件", "原因", "行数", "示例行号", "示例说明"], REJECT_REASONS),
            (
                ["文件", "加载行数", "保留记录", "去除的重复"],
                ["logs/s01_2025q1.csv", "logs/s02_2025q1_gb18030.csv"],
            ),
            (
                ["活动名称", "记录数", "已认定时长（小时）", "最早日期", "最晚日期", "来源文件"],
                ["植树活动"],
            ),
            (
                ["单位编码", "单位名称", "问题", "记录数", "已认定时长（小时）", "来源文件"],
                ["B099"],
            ),
            (
                ["单位编码", "月份", "记录数", "已认定时长（小时）", "人数", "姓名"],
                ["S02"],  # 路人甲's phone is on no roster
            ),
            (  # s01 line 6 (待审核) and line 26 (审核中, an unknown status word)
                ["单位编码", "月份", "状态词", "记录数", HOURS],
                ["B012", "O01"],
            ),
        ],
    ),
    "submissions": (
        "nav.submissions",
        "submissions.title",
        1,
        [  # every unit reported in the last complete month (none did): district order
            (
                ["区域", "单位编码", "单位", "2025年1月", "2025年2月", "2025年3月"],
                ["第一中学已报送有退回未报送", "教育局机关未报送假期已报送", "第二小学"],
            ),
            (
                ["区域", "单位编码", "单位", "月份", "状态", "报送行数", "拒收行数"],
                [
                    "2025年2月有退回391",
                    "教育局机关2025年1月未报送000",
                    "第二小学2025年3月已报送400",
                ],
            ),
        ],
    ),
    "exports": ("nav.exports", "exports.title", 1, []),
}


def _settle(page: Page) -> None:
    page.wait_for_function(LOADED_JS, timeout=RENDER_TIMEOUT_MS)
    page.wait_for_timeout(800)  # let the charts finish their transitions
    assert page.locator('[data-testid="stException"]').count() == 0


def _print(page: Page, pdf: Path, scale: float = 1) -> list[str]:
    """The page printed as Ctrl+P prints it, on A4 landscape sheets (``scale``: the
    print dialog's scale); the text of each sheet, whitespace removed (pdftotext spaces
    out the columns). ``page.pdf`` lays the page out for print media itself; the page
    is not switched to print media first (``emulate_media``), which would let the
    charts redraw at the width the page has without its sidebar while it prints, as
    no reader's browser does."""
    page.pdf(path=str(pdf), format="A4", landscape=True, print_background=True, scale=scale)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [re.sub(r"\s+", "", sheet) for sheet in text.split("\f")[:-1]]


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_page_prints_as_a_report(first_slice: Warehouse, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: run `make setup` (apt-get install chromium)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    ((as_of,),) = first_slice.query("select strftime(as_of, '%Y-%m-%d %H:%M') from _snapshot")
    sheets: dict[str, list[str]] = {}
    with dashboard_server(first_slice, tmp_path / "streamlit.log") as url, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
            page.goto(f"{url}/", wait_until="domcontentloaded")
            for path, (link, title, _, _) in PAGES.items():
                if path:
                    nav = page.get_by_test_id("stSidebarNav")
                    nav.get_by_role("link", name=i18n.t(link, "zh")).click()
                    page.wait_for_url(f"{url}/{path}*", timeout=RENDER_TIMEOUT_MS)
                page.wait_for_function(
                    "t => [...document.querySelectorAll('h1')].some(h => h.innerText.trim() === t)",
                    arg=i18n.t(title, "zh"),
                    timeout=RENDER_TIMEOUT_MS,
                )
                _settle(page)
                name = path or "overview"
                sheets[name] = _print(page, ARTIFACTS / f"print-{name}.pdf")
            # at twice the size the rejects run over several sheets, their header on each
            page.get_by_test_id("stSidebarNav").get_by_role("link", name="数据质量").click()
            page.wait_for_url(f"{url}/data-quality*", timeout=RENDER_TIMEOUT_MS)
            _settle(page)
            large = _print(page, ARTIFACTS / "print-data-quality-200.pdf", 2)
        finally:
            browser.close()

    expected_sheets = {path or "overview": spec[2] for path, spec in PAGES.items()}
    assert {name: len(pages) for name, pages in sheets.items()} == expected_sheets
    for path, (_, title, count, tables) in PAGES.items():
        printed = sheets[path or "overview"]
        for number, sheet in enumerate(printed, start=1):
            # the margins of every sheet: period and filters, data as of, title, number
            assert sheet.startswith(_plain(PERIOD + SCOPE)), (path, number, sheet[:80])
            assert _plain(f"数据截至 {as_of}（快照") in sheet, (path, number)
            assert sheet.endswith(_plain(f"{i18n.t(title, 'zh')}{number}/{count}")), (
                path,
                number,
                sheet[-80:],
            )
        whole = "".join(printed)
        assert "Pagenotfound" not in whole, path
        at = 0
        for headers, rows in tables:  # each table's header line, then its rows in order
            at = whole.find(_plain("".join(headers)), at)
            assert at >= 0, (path, headers)
            if isinstance(rows, frozenset):  # rows in no set order: each after the header
                found = [whole.find(_plain(row), at) for row in sorted(rows)]
                assert min(found) >= 0, (path, sorted(rows), found)
                at = max(found)
                continue
            for row in rows:
                at = whole.find(_plain(row), at)
                assert at >= 0, (path, row)

    # the start of each rejects row's example (s01 lines 7-18; the rejects chart has
    # none of them)
    examples = [
        "缺少人员标识：请",
        "缺少单位：请",
        "“活动日期”列为空",
        "“活动日期”列：“2025-02-30”",
        "“活动日期”列：“1999-12-31”",
        "“开始时间”列：“25:00”",
        "“结束时间”列：“09:00”",
        "缺少时长：请",
        "“服务时长”列：“两小时”",
        "“服务时长”列：“25”",
        "“活动类型”列为空",
        "“身份证号”列：",
    ]
    with_rows = [sheet for sheet in large if any(_plain(e) in sheet for e in examples)]
    assert len(with_rows) > 1
    for sheet in with_rows:
        assert _plain("文件原因行数示例行号示例说明") in sheet
    assert all(any(_plain(e) in sheet for sheet in with_rows) for e in examples)
