"""The units page (单位) under AppTest, on the first-slice warehouse.

Worked out by hand from tests/fixtures/valid/first_slice_inbox (sessions and roster in
test_overview.py's docstring), 2025-01..2025-03:

D01 has one top-level unit, school S01 第一中学, with branches B011 and B012:
    B011  s01 2, 3, 5 = 120+150+180 = 450 = 7.50 h, 3 person-times, T001 T002 = 2
          volunteers; roster T001 T002, both active -> 100.0%
    B012  s01 4, gb 3 = 90+63 = 153 = 2.55 h, 2 person-times, T003 T002 = 2 volunteers;
          roster T003 T008, T003 active -> 50.0%
    S01   450+153 = 603 = 10.05 h, 5 person-times, T001 T002 T003 = 3 volunteers (not
          2+2: T002 volunteered in both branches); roster 4, active 3 -> 75.0%
D02 has office O01 (s01 24: 2.00 h, 1, T006 = 1; roster T006 active -> 100.0%) and
school S02 without branches (gb 5, gb 4, s01 20-23 = 180+120+60+120+75+60 = 615 =
10.25 h, 6 person-times, T005 T004 T001 phone = 4; roster T004 T005, active -> 100.0%).

Compliance (a meeting is a day with an approved session of the type reported by the
branch unit itself): 党员活动日 B011 in January only (s01 2), B012 never; 支委会 B012 in
February (gb 3); S02 (a school without branches) 党员活动日 in February (gb 4) and March
(s01 20). Offices are not branch units.

Activities held (活动场次): each approved session is an activity of its own
(test_overview.py), so a unit's equal its person-times; the inbox has no event summary,
so the summaries' person-times and hours are 0 (test_event_summaries.py has them).

Quotas 2025 in D01: members T001 T003 (50 h of 双报到: T001 has 3 h) 0 of 2; staff T002
(20 h of volunteer service: 150+120 min = 4.5 h) 0 of 1; applicant T008 (one training)
0 of 1; no student or probationary member in D01.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import Warehouse
from tests.dashboard.pages import charts, frames, rerun, run_page, widget

pytestmark = pytest.mark.integration

HEADERS = [
    "单位",
    "类型",
    "时长（小时）",
    "人次",
    "志愿者人数",
    "参与率",
    "活动场次",
    "另据活动汇总表：参与人次",
    "另据活动汇总表：服务时长（小时）",
]


def table(rows: list[list[str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=HEADERS)


def test_drill_from_district_to_branch(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = run_page(first_slice.root, monkeypatch, "units")
    assert at.title[0].value == "单位详情"
    assert widget(at, "selectbox", "units.district").value == "D01"
    top, branches = frames(at)
    pd.testing.assert_frame_equal(
        top, table([["第一中学", "学校", "10.05", "5", "3", "75.0%", "5", "0", "0.00"]])
    )
    assert widget(at, "selectbox", "units.school").value == "S01"
    pd.testing.assert_frame_equal(
        branches,
        table(
            [
                ["第一中学语文组党支部", "党支部", "7.50", "3", "2", "100.0%", "3", "0", "0.00"],
                ["第一中学数学组党支部", "党支部", "2.55", "2", "2", "50.0%", "2", "0", "0.00"],
            ]
        ),
    )
    shown = charts(at)
    grid = shown["党员活动日落实情况"]["data"][0]
    assert grid["y"] == ["第一中学语文组党支部", "第一中学数学组党支部"]
    assert grid["x"] == ["2025年1月", "2025年2月", "2025年3月"]
    assert grid["z"] == [[1.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    assert grid["text"][0] == ["达标", "未达标", "未达标"]
    quota = shown["年度指标完成率"]["data"][0]
    assert quota["y"] == [
        "城东协作区 2025 积极分子集中培训 1 次",
        "城东协作区 2025 党员双报到 50 小时",
        "城东协作区 2025 教职工志愿服务 20 小时",
    ]
    assert quota["text"] == ["0.0%（0/1 人）", "0.0%（0/2 人）", "0.0%（0/1 人）"]

    widget(at, "radio", "units.activity").set_value("committee_meeting")
    rerun(at)
    grid = charts(at)["支委会落实情况"]["data"][0]
    assert grid["z"] == [[0.0, 0.0, 0.0], [0.0, 1.0, 0.0]]

    widget(at, "selectbox", "units.district").set_value("D02")
    rerun(at)
    (top,) = frames(at)  # no unit in D02 has branches: no second table
    pd.testing.assert_frame_equal(
        top,
        table(
            [
                ["教育局机关", "机关", "2.00", "1", "1", "100.0%", "1", "0", "0.00"],
                ["第二小学", "学校", "10.25", "6", "4", "100.0%", "6", "0", "0.00"],
            ]
        ),
    )
    grid = charts(at)["支委会落实情况"]["data"][0]
    assert grid["y"] == ["第二小学"]
    widget(at, "radio", "units.activity").set_value("activity_day")
    rerun(at)
    assert charts(at)["党员活动日落实情况"]["data"][0]["z"] == [[0.0, 1.0, 1.0]]


def test_month_filter_and_english(first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch) -> None:
    # February only, D01: B011 s01 5 = 180 = 3.00 h (T001); B012 gb 3 = 63 = 1.05 h
    # (T002); roster in February: B011 T001 T002 (T001 active, T002 too: gb 3 at B012,
    # "anywhere") -> 100.0%; B012 T008 (T003 left on 2025-01-31), not active -> 0.0%.
    at = run_page(first_slice.root, monkeypatch, "units", lang="en")
    at.sidebar.select_slider[0].set_range("2025-02", "2025-02")
    rerun(at)
    _, branches = frames(at)
    assert list(branches.columns) == [
        "Unit",
        "Type",
        "Hours",
        "Person-times",
        "Volunteers",
        "Participation",
        "Activities held",
        "Also from event summaries: person-times",
        "Also from event summaries: hours",
    ]
    assert branches.values.tolist() == [
        ["第一中学语文组党支部", "Branch", "3.00", "1", "1", "100.0%", "1", "0", "0.00"],
        ["第一中学数学组党支部", "Branch", "1.05", "1", "1", "0.0%", "1", "0", "0.00"],
    ]
    grid = charts(at)["Member activity day: compliance"]["data"][0]
    assert grid["x"] == ["Feb 2025"]
    assert grid["text"] == [["Missed"], ["Missed"]]
