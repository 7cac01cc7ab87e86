"""The activities page (活动) under AppTest, on the first-slice warehouse.

Worked out by hand from tests/fixtures/valid/first_slice_inbox (sessions in
test_overview.py's docstring), 2025-01..2025-03, by activity type:

    党员活动日 activity_day    s01 2, gb 4, s01 20  120+120+60 = 300 = 5.00 h  3
    交通安全 traffic_safety    s01 19, 21           120+120 = 240 = 4.00 h     2
    双报到 community_report    s01 5                180 = 3.00 h               1
    集中培训 training          gb 5                 180 = 3.00 h               1
    便民利民                   s01 3                150 = 2.50 h               1
    其他 (植树活动)            s01 24               120 = 2.00 h               1
    党课                       s01 4                 90 = 1.50 h               1
    环境保护                   s01 22                75 = 1.25 h               1
    支委会                     gb 3                  63 = 1.05 h               1
    文体娱乐                   s01 23                60 = 1.00 h               1
                                                   1458 min

By category and month: volunteer service Jan 150, Feb 180, Mar 120+120+75+60 = 375;
organizational life Jan 120+90 = 210, Feb 63+120 = 183, Mar 60; study Jan 180; other
Mar 120. The one session naming a community is s01 5 (幸福社区, B011, 3 h).

Activities held per type equal its person-times here: no two sessions share reporting
organization, date, type and title; the inbox has no event summary, so the summaries'
person-times and hours are 0 (test_event_summaries.py has them).
"""

from __future__ import annotations

import pytest

from tests.conftest import Warehouse
from tests.dashboard.pages import charts, frames, rerun, run_page, widget

pytestmark = pytest.mark.integration


def test_types_categories_and_communities(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = run_page(first_slice.root, monkeypatch, "activities")
    assert at.title[0].value == "活动"
    shown = charts(at)
    trend = shown["各活动类别逐月时长"]["data"]
    assert [(t["name"], t["y"]) for t in trend] == [
        ("志愿服务", [2.5, 3.0, 6.25]),
        ("组织生活", [3.5, 3.05, 1.0]),
        ("学习培训", [3.0, 0.0, 0.0]),
        ("其他", [0.0, 0.0, 2.0]),
    ]
    types = shown["各活动类型逐月时长"]["data"]
    assert [t["name"] for t in types][:2] == ["党员活动日", "交通安全"]
    assert types[0]["y"] == [2.0, 2.0, 1.0]

    by_type, communities = frames(at)
    assert by_type.values.tolist() == [
        ["党员活动日", "组织生活", "5.00", "3", "3", "0", "0.00"],
        ["交通安全", "志愿服务", "4.00", "2", "2", "0", "0.00"],
        ["双报到", "志愿服务", "3.00", "1", "1", "0", "0.00"],
        ["集中培训", "学习培训", "3.00", "1", "1", "0", "0.00"],
        ["便民利民", "志愿服务", "2.50", "1", "1", "0", "0.00"],
        ["其他", "其他", "2.00", "1", "1", "0", "0.00"],
        ["党课", "组织生活", "1.50", "1", "1", "0", "0.00"],
        ["环境保护", "志愿服务", "1.25", "1", "1", "0", "0.00"],
        ["支委会", "组织生活", "1.05", "1", "1", "0", "0.00"],
        ["文体娱乐", "志愿服务", "1.00", "1", "1", "0", "0.00"],
    ]
    assert communities.values.tolist() == [["幸福社区", "1", "3.00", "1"]]
    assert shown["双报到社区服务时长"]["data"][0]["y"] == ["幸福社区"]


def test_category_filter_and_english(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = run_page(first_slice.root, monkeypatch, "activities", lang="en")
    widget(at.sidebar, "multiselect", "filters.categories").set_value(["organizational_life"])
    rerun(at)
    (by_type,) = frames(at)  # no community: a note instead of the table
    assert by_type.values.tolist() == [
        ["Member activity day", "Organizational life", "5.00", "3", "3", "0", "0.00"],
        ["Party lecture", "Organizational life", "1.50", "1", "1", "0", "0.00"],
        ["Branch committee meeting", "Organizational life", "1.05", "1", "1", "0", "0.00"],
    ]
    assert [info.value for info in at.info] == ["No session in the selection names a community."]
    trend = charts(at)["Hours by activity category and month"]["data"]
    assert [(t["name"], t["y"]) for t in trend] == [("Organizational life", [3.5, 3.05, 1.0])]
