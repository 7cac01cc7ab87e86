"""报送情况 (submissions) under AppTest on the first-slice warehouse: the grid of units x
months with each status worked out by hand (tests/export/test_submissions.py says why
each cell is what it is), the units that did not report in the last complete month
first, a district reader's units only, and the bureau-wide count of rejects no unit
and month holds. The period is the first slice's, 2025-01..2025-03."""

from __future__ import annotations

import tarfile

import pytest

from tests.conftest import REPO, Warehouse
from tests.dashboard.pages import frames, run_page
from tests.dashboard.test_scope_pages import _run, oidc_users  # noqa: F401 (a fixture)

pytestmark = pytest.mark.integration

GRID_ZH = [
    ["城东协作区", "S01", "第一中学", "已报送", "有退回", "未报送"],
    ["城西协作区", "O01", "教育局机关", "未报送", "假期", "已报送"],
    ["城西协作区", "S02", "第二小学", "已报送", "已报送", "已报送"],
]


def _grid(at) -> list[list[str]]:
    return frames(at)[0].astype(str).values.tolist()


def test_the_grid_in_chinese_and_the_unplaced_rejects(first_slice: Warehouse, monkeypatch) -> None:
    at = run_page(first_slice.root, monkeypatch, "submissions", "zh")
    grid = frames(at)[0]
    assert list(grid.columns) == ["区域", "单位编码", "单位", "2025年1月", "2025年2月", "2025年3月"]
    # the last complete month (the one before the cut-off's, today's) has no row of
    # any unit: all three are first, so the order is by district and unit
    assert _grid(at) == GRID_ZH
    captions = [c.value for c in at.caption]
    assert any("未报送的单位：3 个" in c for c in captions), captions
    # s01 lines 8 (no unit), 9 (no date) and 11 (1999-12, before the grid)
    assert (
        "另有 3 行拒收记录读不出单位或月份，未归入任何单位（全局数字，见数据质量页）。" in captions
    )
    s01_february = frames(at)[1].iloc[1].tolist()[:8]
    assert s01_february == ["城东协作区", "S01", "第一中学", "2025年2月", "有退回", "3", "9", "1"]


def test_units_that_did_not_report_come_first(first_slice: Warehouse, monkeypatch) -> None:
    # as if the data were cut off in February 2025: January is the last complete
    # month, and only O01 sent nothing then
    monkeypatch.setattr("dashboard.queries.last_complete_month", lambda snapshot: "2025-01")
    at = run_page(first_slice.root, monkeypatch, "submissions", "en")
    assert _grid(at) == [
        ["城西协作区", "O01", "教育局机关", "Not reported", "School break", "Reported"],
        ["城东协作区", "S01", "第一中学", "Reported", "Rows returned", "Not reported"],
        ["城西协作区", "S02", "第二小学", "Reported", "Reported", "Reported"],
    ]
    assert (
        "Units that have not reported in Jan 2025 (the month before the data cut-off's "
        "month): 1, listed first." in [c.value for c in at.caption]
    )


def test_a_district_reader_sees_their_units_only(
    first_slice: Warehouse,
    oidc_users,  # noqa: F811
    monkeypatch,
) -> None:
    user = {"is_logged_in": True, "email": "wang@jyj.example.gov.cn"}  # D02
    at = _run(first_slice, monkeypatch, "submissions", user)
    assert _grid(at) == GRID_ZH[1:]
    assert [row[1] for row in frames(at)[1].values.tolist()] == ["O01"] * 3 + ["S02"] * 3
    # rejects with no unit belong to no district: the bureau's figure only
    assert not any("另有" in c.value for c in at.caption)


def test_event_summary_rows_count_as_rows_loaded(with_summaries: Warehouse) -> None:
    # the first slice plus event_summaries_inbox/events (its README.md), one row each,
    # the exact duplicate S02 2025-03-08 too: S01 gains B011 01-18 and S01 02-22; S02
    # gains 第二小学 (by name) 2025-02 and 2025-03 and the two 03-08 rows; O01 03-20
    rows = with_summaries.query(
        "select org_code, month, rows_loaded, rows_rejected, rows_pending, status "
        "from dq_submissions where month between '2025-01' and '2025-03' "
        "order by org_code, month"
    )
    assert rows == [
        ("O01", "2025-01", 0, 0, 0, "未报送"),
        ("O01", "2025-02", 0, 0, 0, "假期"),
        ("O01", "2025-03", 4, 0, 1, "已报送"),
        ("S01", "2025-01", 5, 0, 0, "已报送"),
        ("S01", "2025-02", 4, 9, 1, "有退回"),
        ("S01", "2025-03", 0, 0, 0, "未报送"),
        ("S02", "2025-01", 1, 0, 0, "已报送"),
        ("S02", "2025-02", 3, 0, 0, "已报送"),
        ("S02", "2025-03", 7, 0, 0, "已报送"),
    ]


def test_a_snapshot_of_the_last_release_says_how_to_get_the_page(tmp_path, monkeypatch) -> None:
    # tests/fixtures/valid/release_2a1d234: a snapshot published before dq_submissions
    with tarfile.open(
        REPO / "tests" / "fixtures" / "valid" / "release_2a1d234" / "warehouse.tar.xz"
    ) as archive:
        archive.extractall(tmp_path, filter="data")
    at = run_page(tmp_path, monkeypatch, "submissions", "en")
    assert [info.value for info in at.info] == [
        "The current snapshot was built by an older release and has no submission "
        "status; run make build to add it."
    ]
    assert frames(at) == []
