"""The districts page (区域) under AppTest, on the first-slice warehouse.

Figures worked out by hand from tests/fixtures/valid/first_slice_inbox (the 13 approved
sessions and the roster are listed in test_overview.py's docstring), 2025-01..2025-03:

    district  minutes (sessions)                        person-times  volunteers
    D01       120+150+90+180+63 = 603 = 10.05 h         5             T001 T002 T003 = 3
    D02       180+120+60+120+75+60+120 = 735 = 12.25 h  7             T005 T004 T001 phone T006: 5
    D03       nothing                                   0             0
    unknown   s01 19: 120 = 2.00 h                      1             T002 = 1

Roster in the period (by roster organization): D01 T001 T002 T003 T008 = 4, active 3 ->
75.0%; D02 T004 T005 T006 = 3, all active -> 100.0%; D03 none -> empty (—); unknown
T007 = 1, not active -> 0.0%. Hours per volunteer: D01 10.05/3 = 3.35, D02 12.25/5 =
2.45, unknown 2.00, D03 empty.

By month (hours): D01 Jan 120+150+90 = 360 = 6.00, Feb 180+63 = 243 = 4.05, Mar 0;
D02 Jan 180 = 3.00, Feb 120 = 2.00, Mar 60+120+75+60+120 = 435 = 7.25; unknown Mar 2.00.
Nothing was recorded in 2024, so last year's bars are all 0.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.users import add_user
from tests.conftest import Warehouse
from tests.dashboard.pages import PAGES, TIMEOUT, charts, rerun, run_page, widget

pytestmark = pytest.mark.integration

DISTRICTS = ["城东协作区", "城西协作区", "高新协作区", "未归属区域"]  # D01 D02 D03 unknown


def test_rankings_heatmap_and_comparisons(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = run_page(first_slice.root, monkeypatch, "districts")
    assert at.title[0].value == "区域对比"
    shown = charts(at)
    ranking = shown["各区域总时长(小时)排名"]["data"][0]
    assert ranking["y"] == ["城西协作区", "城东协作区", "未归属区域", "高新协作区"]
    assert ranking["text"] == ["12.25", "10.05", "2.00", "0.00"]
    # every chart carries the snapshot's "data as of" note
    assert shown["各区域总时长(小时)排名"]["layout"]["title"]["subtitle"]["text"].startswith(
        "数据截至 "
    )

    heatmap = shown["各区域逐月总时长(小时)"]["data"][0]
    assert heatmap["y"] == DISTRICTS
    assert heatmap["x"] == ["2025年1月", "2025年2月", "2025年3月"]
    assert heatmap["z"] == [[6.0, 4.05, 0.0], [3.0, 2.0, 7.25], [0.0, 0.0, 0.0], [0.0, 0.0, 2.0]]

    # a row per district, this period's bar above last year's
    this_period, last_year = shown["总时长(小时)：本期与去年同期"]["data"]
    assert this_period["y"] == DISTRICTS
    assert this_period["x"] == [10.05, 12.25, 0.0, 2.0]
    assert last_year["x"] == [0.0, 0.0, 0.0, 0.0]
    assert last_year["text"] == ["0.00"] * 4  # drawn as 0, labelled
    active, roster = shown["参与情况：在册人数与参与人数"]["data"]
    assert roster["x"] == [4, 3, 0, 1]
    assert active["x"] == [3, 3, 0, 0]
    assert active["text"] == ["75.0%", "100.0%", "—", "0.0%"]
    # a district's colour is the same on every chart: D01's ranking bar and its bar here
    colors = dict(zip(ranking["y"], ranking["marker"]["color"], strict=True))
    assert dict(zip(active["y"], active["marker"]["color"], strict=True)) == colors

    widget(at, "selectbox", "districts.metric").set_value("participation_rate")
    rerun(at)
    ranking = charts(at)["各区域参与率排名"]["data"][0]
    # an empty rate (D03: nobody on the roster) goes last
    assert ranking["y"] == ["城西协作区", "城东协作区", "未归属区域", "高新协作区"]
    assert ranking["text"] == ["100.0%", "75.0%", "0.0%", "—"]

    widget(at, "selectbox", "districts.metric").set_value("avg_hours_per_volunteer")
    widget(at, "radio", "districts.heatmap_metric").set_value("volunteers")
    rerun(at)
    shown = charts(at)
    ranking = shown["各区域人均时长(小时)排名"]["data"][0]
    assert ranking["y"] == ["城东协作区", "城西协作区", "未归属区域", "高新协作区"]
    assert ranking["text"] == ["3.35", "2.45", "2.00", "—"]
    # volunteers per district and month: D01 Jan T001 T002 T003, Feb T001 T002; D02 Jan
    # T005, Feb T004, Mar T005 T004 T001 phone T006; unknown Mar T002
    heatmap = shown["各区域逐月志愿者人数"]["data"][0]
    assert heatmap["z"] == [[3, 2, 0], [1, 1, 5], [0, 0, 0], [0, 0, 1]]


def test_person_type_filter_and_english(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Party members only (T001, T003, T006 have sessions; T001 T003 in D01's roster,
    # T006 in D02's): D01 s01 2, 4, 5 = 120+90+180 = 390 = 6.50 h; D02 s01 20 and 24 =
    # 60+120 = 180 = 3.00 h; unknown's only session is T002's (staff): not shown.
    at = run_page(first_slice.root, monkeypatch, "districts", lang="en")
    widget(at.sidebar, "multiselect", "filters.person_types").set_value(["member"])
    rerun(at)
    shown = charts(at)
    ranking = shown["Districts ranked by Total hours"]["data"][0]
    assert ranking["y"] == ["城东协作区", "城西协作区", "高新协作区"]
    assert ranking["text"] == ["6.50", "3.00", "0.00"]
    active, roster = shown["Participation: roster against active members"]["data"]
    assert roster["name"] == "On the roster"
    assert roster["x"] == [2, 1, 0]
    assert active["text"] == ["100.0%", "100.0%", "—"]
    assert at.caption[0].value == (
        "Period: Jan 2025 – Mar 2025   Districts: All districts   Person types: Party member"
    )


def test_a_reader_scoped_to_one_district_sees_only_it(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a reader signed in for D02 (dashboard/auth.py): D02 only, whatever the URL asks for
    users = first_slice.root.parent / "district_reader_users.yaml"
    add_user(users, "wang", "district", ["D02"], "s3cret-password")
    monkeypatch.setenv("DASHBOARD_USERS", str(users))
    monkeypatch.setenv("WAREHOUSE_DIR", str(first_slice.root))
    at = AppTest.from_file(str(PAGES / "districts.py"), default_timeout=TIMEOUT)
    at.session_state["auth.user"] = "wang"  # what a successful sign-in leaves
    at.query_params.update({"district": "D01"})
    rerun(at)
    assert widget(at.sidebar, "multiselect", "filters.districts").options == ["城西协作区"]
    ranking = charts(at)["各区域总时长(小时)排名"]["data"][0]
    assert (ranking["y"], ranking["text"]) == (["城西协作区"], ["12.25"])
