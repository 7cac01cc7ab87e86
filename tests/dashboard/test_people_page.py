"""The people page (人员) under AppTest, on the first-slice warehouse.

Worked out by hand from tests/fixtures/valid/first_slice_inbox (sessions in
test_overview.py's docstring). Minutes per volunteer, 2025-01..2025-03:

    rank  person      type        minutes                   hours  sessions  main unit
    1     T001 张三   党员        120 + 180 + 60 = 360     6.00   3         B011 (300 of 360)
    2     T002 李四   群众        150 + 63 + 120 = 333     5.55   3         B011 (150)
    3     T005 钱七   积极分子    180 + 120 = 300          5.00   2         S02
    4     T004 赵六   学生        120 + 75 = 195           3.25   2         S02
    5     T006 孙八   党员        120                      2.00   1         O01
    6     T003 王五   党员        90                       1.50   1         B012
    7     phone 路人甲 not on the roster  60               1.00   1         S02

Hours distribution (bins [0,2) [2,5) [5,10) [10,20) [20,50) 50+, exact minutes; 300 min
is 5 h, so T005 is in [5,10), T006's 120 min in [2,5)): 2, 2, 3, 0, 0, 0.

Nothing happened before 2025, so all 7 are new and none retained. March alone: the
volunteers are T002 T001 T005 T004 phone T006 = 6; new (first session ever in March):
phone and T006 = 2; February's volunteers T001 T002 T004 = 3, all also in March -> 3.
"""

from __future__ import annotations

import pytest

from tests.conftest import Warehouse
from tests.dashboard.pages import all_text, charts, frames, rerun, run_page, widget

pytestmark = pytest.mark.integration


def tiles(at) -> list[tuple[str, str]]:
    return [(metric.label, metric.value) for metric in at.metric]


def test_leaderboard_distribution_and_history(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = run_page(first_slice.root, monkeypatch, "people")
    assert tiles(at) == [
        ("志愿者人数", "7"),
        ("新增志愿者", "7"),
        ("持续参与", "0"),
        ("上一期志愿者", "0"),
    ]
    distribution = charts(at)["志愿者服务时长分布"]["data"][0]
    assert distribution["x"] == [
        "0–2 小时",
        "2–5 小时",
        "5–10 小时",
        "10–20 小时",
        "20–50 小时",
        "50 小时以上",
    ]
    assert distribution["y"] == [2, 2, 3, 0, 0, 0]

    (board,) = frames(at)
    assert board.values.tolist() == [
        [1, "张三", "党员", "第一中学语文组党支部", "6.00", "3"],
        [2, "李四", "群众", "第一中学语文组党支部", "5.55", "3"],
        [3, "钱七", "入党积极分子", "第二小学", "5.00", "2"],
        [4, "学生（姓名已隐藏）", "学生", "第二小学", "3.25", "2"],
        [5, "孙八", "党员", "教育局机关", "2.00", "1"],
        [6, "王五", "党员", "第一中学数学组党支部", "1.50", "1"],
        [7, "路人甲", "未在花名册", "第二小学", "1.00", "1"],
    ]
    assert "赵六" not in all_text(at)  # the student's name is nowhere on the page
    picker = widget(at, "selectbox", "people.person")
    assert picker.options[3] == "第 4 名　学生（姓名已隐藏）"

    widget(at, "toggle", "people.show_students").set_value(True)
    rerun(at)
    assert frames(at)[0].iloc[3, 1] == "赵六"

    picker = widget(at, "selectbox", "people.person")
    picker.select("第 1 名　张三")
    rerun(at)
    assert at.caption[-2].value == "第 1 名　张三：累计 6.00 小时，3 人次（全部月份）"
    history = charts(at)["个人逐月服务时长"]["data"]
    # T001: organizational life Jan 120 (s01 2) and Mar 60 (s01 20); volunteer service
    # Feb 180 (s01 5); the larger category first
    assert [(trace["name"], trace["y"]) for trace in history] == [
        ("组织生活", [2.0, 0.0, 1.0]),
        ("志愿服务", [0.0, 3.0, 0.0]),
    ]


def test_march_turnover_and_english(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = run_page(first_slice.root, monkeypatch, "people", lang="en")
    at.sidebar.select_slider[0].set_range("2025-03", "2025-03")
    rerun(at)
    assert tiles(at) == [
        ("Volunteers", "6"),
        ("New volunteers", "2"),
        ("Retained volunteers", "3"),
        ("Previous period's volunteers", "3"),
    ]
    board = frames(at)[0]
    assert list(board.columns) == ["Rank", "Name", "Person type", "Unit", "Hours", "Person-times"]
    # March: T002 s01 19 120 (at the unknown B099), T005 120, T006 120, T004 75,
    # T001 60, phone 60; ties share a rank
    assert board["Hours"].tolist() == ["2.00", "2.00", "2.00", "1.25", "1.00", "1.00"]
    assert board["Rank"].tolist() == [1, 1, 1, 4, 5, 5]
    assert board.iloc[3, 1] == "Student (name hidden)"
