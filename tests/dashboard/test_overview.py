"""The overview page under AppTest, on the first-slice warehouse (tests/conftest.py).

Every expected figure was worked out by hand from the fixture files
(tests/fixtures/valid/first_slice_inbox and its README.md; the per-district-month
reasoning is in tests/test_pipeline.py), not read from the code's output.

Approved sessions after exact duplicates are removed (13), by reporting district:

    line (file)     person     org   district  month    minutes  category
    s01 2           T001       B011  D01       2025-01  120      organizational_life
    s01 3           T002       B011  D01       2025-01  150      volunteer_service  (8:30-11:00)
    s01 4           T003       B012  D01       2025-01   90      organizational_life (gb 2 = dup)
    gb 5            T005       S02   D02       2025-01  180      study_training
    s01 5           T001       B011  D01       2025-02  180      volunteer_service
    gb 3            T002       B012  D01       2025-02   63      organizational_life (1.05 h)
    gb 4            T004       S02   D02       2025-02  120      organizational_life (gb 6 = dup)
    s01 19          T002       B099  unknown   2025-03  120      volunteer_service
    s01 20          T001       S02   D02       2025-03   60      organizational_life (by name)
    s01 21          T005       S02   D02       2025-03  120      volunteer_service  (phone)
    s01 22          T004       S02   D02       2025-03   75      volunteer_service  (ID)
    s01 23          phone-only S02   D02       2025-03   60      volunteer_service  (no roster)
    s01 24          T006       O01   D02       2025-03  120      other (植树活动)

Not counted: s01 line 6 (T002, D01, 2025-02) is pending, line 26 (T006, D02, 2025-03,
status 审核中) counts as pending, line 25 was rejected; lines 7-18 were rejected at ingest.

Roster (roster.xlsx) by the district of the roster organization: D01 = T001, T002
(B011), T003 (B012, left 2025-01-31), T008 (B012); D02 = T004 (S02, joined
2025-02-10), T005 (S02), T006 (O01); unknown = T007 (S99 is not an organization).

Whole period 2025-01..2025-03, all districts:
  total hours   120+150+90+180+180+63+120+120+60+120+75+60+120 = 1458 min = 24.30 h
  person-times  13 sessions
  volunteers    T001 T002 T003 T004 T005 T006 + the phone-only person = 7
                (monthly distinct counts 4 + 3 + 6 = 13 would be wrong)
  participation every roster person was on the roster at some time in the period (T003
                until 2025-01-31, T004 from 2025-02-10): 8; with an approved session
                anywhere: T001..T006 = 6 (T007, T008 none) -> 6/8 = 75.0%
  pending       s01 6 and s01 26 -> 2
  activities    (活动场次) each approved session above is an activity of its own: no two
                share reporting organization, date, type and title -> 13, always the
                person-times of the same selection here; the inbox holds no event
                summary (tests/dashboard/test_event_summaries.py has them)
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import queries
from tests.conftest import REPO, Warehouse

pytestmark = pytest.mark.integration

APP = REPO / "dashboard" / "app.py"
TIMEOUT = 60  # seconds for one script run (the first imports plotly and duckdb)


@dataclass(frozen=True)
class Tiles:
    total_hours: str
    person_times: str
    volunteers: str
    participation: str
    events_held: str


def run_app(root: Path, monkeypatch: pytest.MonkeyPatch, lang: str | None = None) -> AppTest:
    monkeypatch.setenv("WAREHOUSE_DIR", str(root))
    monkeypatch.setenv("DASHBOARD_OPEN", "1")  # no users file here: open demo mode, asked for
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    if lang is not None:
        at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


def tiles(at: AppTest) -> Tiles:
    values = {metric.label: metric.value for metric in at.metric}
    assert list(values) == ["总时长(小时)", "人次", "志愿者人数", "参与率", "活动场次"]
    return Tiles(*values.values())


def captions(at: AppTest) -> list[str]:
    return [caption.value for caption in at.caption]


def test_whole_period_all_districts(first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch):
    at = run_app(first_slice.root, monkeypatch)
    assert at.title[0].value == "志愿服务总览"
    # the range opens on every month with an approved session; no district picked = all
    assert at.sidebar.select_slider[0].value == ("2025-01", "2025-03")
    assert at.sidebar.multiselect[0].value == []
    assert at.sidebar.multiselect[0].options == [
        "城东协作区",
        "城西协作区",
        "高新协作区",
        "未归属区域",
    ]
    assert tiles(at) == Tiles("24.30", "13", "7", "75.0%", "13")
    shown = captions(at)
    assert shown[:5] == [
        "统计期间：2025年1月 – 2025年3月　区域：全部区域",
        # the previous period of the same length: three months before January 2025
        "变化：与上一期（2024年10月 – 2024年12月）相比",
        "参与率：在册 8 人中 6 人在期间内参加过活动",
        "另有 2 条待审核记录，未计入以上数字",
        # no event summary in this inbox: the block says 0, never blank
        "另据活动汇总表：开展活动0场次，参与0人次，服务时长0.00小时",
    ]
    assert shown[-1].startswith("数据截至 ")  # as_of and the snapshot's digest
    snapshots = first_slice.root / "snapshots"
    current = snapshots / (snapshots / "CURRENT").read_text().strip()
    con = duckdb.connect(str(current), read_only=True)
    digest = con.execute("select digest from _snapshot").fetchall()[0][0]
    con.close()
    assert f"快照 {digest[:12]}" in shown[-1]


# District filters, 2025-01..2025-03 (sessions and roster as in the module docstring):
#
# D01 only: sessions s01 2, 3, 4, 5 and gb 3 = 120+150+90+180+63 = 603 min = 10.05 h;
#   5 person-times; volunteers T001 T002 T003 = 3; roster T001 T002 T003 T008 = 4, of
#   whom T001 T002 T003 have approved sessions -> 3/4 = 75.0%; pending s01 6 -> 1.
# D02 only: gb 5, gb 4, s01 20-24 = 180+120+60+120+75+60+120 = 735 min = 12.25 h;
#   7 person-times; volunteers T005 T004 T001 phone-only T006 = 5 (months 1+1+5 = 7
#   would be wrong); roster T004 T005 T006 = 3, all active -> 100.0%; pending s01 26.
# D01 and D02: 603+735 = 1338 min = 22.30 h; 12 person-times; volunteers 3 + 5 - 1 = 7
#   (T001 volunteered in both; 8 would add distinct counts); roster 4 + 3 = 7, active
#   3 + 3 = 6 -> 85.7%; pending 2.
# unknown only: s01 19 = 120 min = 2.00 h; 1 person-time; T002 = 1 volunteer; roster
#   T007 = 1, not active -> 0.0%; no pending.
# D03 only: no units, no roster: zeros and an empty rate (—); no pending caption.
DISTRICT_CASES = [
    (["D01"], Tiles("10.05", "5", "3", "75.0%", "5"), "在册 4 人中 3 人", 1),
    (["D02"], Tiles("12.25", "7", "5", "100.0%", "7"), "在册 3 人中 3 人", 1),
    (["D01", "D02"], Tiles("22.30", "12", "7", "85.7%", "12"), "在册 7 人中 6 人", 2),
    (["unknown"], Tiles("2.00", "1", "1", "0.0%", "1"), "在册 1 人中 0 人", 0),
    (["D03"], Tiles("0.00", "0", "0", "—", "0"), "在册 0 人中 0 人", 0),
]


@pytest.mark.parametrize(("districts", "expected", "roster", "pending"), DISTRICT_CASES)
def test_district_filter(
    first_slice: Warehouse,
    monkeypatch: pytest.MonkeyPatch,
    districts: list[str],
    expected: Tiles,
    roster: str,
    pending: int,
) -> None:
    at = run_app(first_slice.root, monkeypatch)
    at.sidebar.multiselect[0].set_value(districts).run()
    assert not at.exception, at.exception
    assert tiles(at) == expected
    shown = captions(at)
    assert roster in shown[2]
    pending_captions = [c for c in shown if c.startswith("另有")]
    assert pending_captions == ([f"另有 {pending} 条待审核记录，未计入以上数字"] if pending else [])


# Month filters:
#
# 2025-03, all districts: s01 19-24 = 120+60+120+75+60+120 = 555 min = 9.25 h; 6
#   person-times; T002 T001 T005 T004 phone-only T006 = 6 volunteers. Roster in March:
#   T003 left 2025-01-31, so T001 T002 T004 T005 T006 T007 T008 = 7; active in March
#   T001 T002 T004 T005 T006 = 5 -> 71.4%.
# 2025-02..2025-03, D01: s01 5 and gb 3 = 180+63 = 243 min = 4.05 h; 2 person-times;
#   T001 T002 = 2 volunteers. Roster T001 T002 T008 (T003 gone) = 3; T001 and T002 were
#   active (T002 in March only at the unknown B099, which still counts: anywhere) -> 66.7%.
# 2025-03, D01 and D02: D02's 435 min = 7.25 h, 5 person-times, 5 volunteers; roster
#   T001 T002 T008 T004 T005 T006 = 6, of whom T008 was not active -> 5/6 = 83.3%.
MONTH_CASES = [
    (("2025-03", "2025-03"), [], Tiles("9.25", "6", "6", "71.4%", "6")),
    (("2025-02", "2025-03"), ["D01"], Tiles("4.05", "2", "2", "66.7%", "2")),
    (("2025-03", "2025-03"), ["D01", "D02"], Tiles("7.25", "5", "5", "83.3%", "5")),
]


@pytest.mark.parametrize(("months", "districts", "expected"), MONTH_CASES)
def test_month_filter(
    first_slice: Warehouse,
    monkeypatch: pytest.MonkeyPatch,
    months: tuple[str, str],
    districts: list[str],
    expected: Tiles,
) -> None:
    at = run_app(first_slice.root, monkeypatch)
    at.sidebar.select_slider[0].set_range(*months)
    at.sidebar.multiselect[0].set_value(districts)
    at.run()
    assert not at.exception, at.exception
    assert tiles(at) == expected


def chart_specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def test_charts_show_the_filtered_figures(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = run_app(first_slice.root, monkeypatch)
    monthly, by_district, by_category = chart_specs(at)
    # months: Jan 120+150+90+180 = 540 min, 4 sessions, 4 people; Feb 180+63+120 = 363,
    # 3, 3; Mar 555, 6, 6
    assert monthly["layout"]["title"]["text"] == "月度趋势"
    assert [trace["y"] for trace in monthly["data"]] == [[9.0, 6.05, 9.25], [4, 3, 6], [4, 3, 6]]
    # districts (largest first): D02 12.25, D01 10.05, unknown 2.00, D03 0
    assert by_district["data"][0]["y"] == ["城西协作区", "城东协作区", "未归属区域", "高新协作区"]
    assert by_district["data"][0]["x"] == [12.25, 10.05, 2.0, 0.0]
    # categories: volunteer service 150+180+120+120+75+60 = 705 min = 11.75 h;
    # organizational life 120+90+63+120+60 = 453 = 7.55; training 180 = 3.00; other 120
    assert by_category["data"][0]["y"] == ["志愿服务", "组织生活", "学习培训", "其他"]
    assert by_category["data"][0]["x"] == [11.75, 7.55, 3.0, 2.0]

    at.sidebar.multiselect[0].set_value(["D01"]).run()
    monthly, by_district, by_category = chart_specs(at)
    # D01: Jan 360 min 3 people, Feb 243 min 2 people, Mar nothing
    assert [trace["y"] for trace in monthly["data"]] == [[6.0, 4.05, 0.0], [3, 2, 0], [3, 2, 0]]
    assert by_district["data"][0]["y"] == ["城东协作区"]
    # D01: organizational life 120+90+63 = 273 min = 4.55 h; volunteer service 150+180
    # = 330 = 5.50; no training (0); no `other` session, so no `other` bar
    assert by_category["data"][0]["y"] == ["志愿服务", "组织生活", "学习培训"]
    assert by_category["data"][0]["x"] == [5.5, 4.55, 0.0]


def test_english_labels_when_the_session_asks(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = run_app(first_slice.root, monkeypatch, lang="en")
    assert [(m.label, m.value) for m in at.metric] == [
        ("Total hours", "24.30"),
        ("Person-times", "13"),
        ("Volunteers", "7"),
        ("Participation rate", "75.0%"),
        ("Activities held", "13"),
    ]
    assert at.sidebar.multiselect[0].options[-1] == "Unassigned"


def test_no_snapshot_yet_says_run_make_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = run_app(tmp_path / "empty_warehouse", monkeypatch)
    assert len(at.main.warning) == 1
    assert "make build" in at.main.warning[0].value
    assert len(at.metric) == 0


def test_a_rebuild_shows_on_the_next_rerun(
    first_slice: Warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A copy of the first-slice warehouse, so the shared one stays as it is.
    root = tmp_path / "warehouse"
    shutil.copytree(first_slice.root, root)
    copy = Warehouse(root, tmp_path / "extra", tmp_path / "exports", {**first_slice.env})
    copy.env["WAREHOUSE_DIR"] = str(root)
    at = run_app(root, monkeypatch)
    assert tiles(at) == Tiles("24.30", "13", "7", "75.0%", "13")

    # One more approved session: T008 (B012, D01, on the roster, so far never active),
    # 1.5 h on 2025-03-20. Then 1458 + 90 = 1548 min = 25.80 h, 14 person-times,
    # 8 volunteers, 7 of 8 roster people active = 87.5%; one more activity: 14.
    copy.inbox.mkdir()
    (copy.inbox / "extra.csv").write_text(
        "人员编号,姓名,组织编码,活动日期,服务时长,活动类型\nT008,吴十,B012,2025-03-20,1.5,家访\n",
        encoding="utf-8",
    )
    copy.run("ingest", "--inbox", str(copy.inbox))
    copy.run("publish")

    at.run()  # the same session, no restart: the cache key is the new snapshot
    assert not at.exception, at.exception
    assert tiles(at) == Tiles("25.80", "14", "8", "87.5%", "14")


def test_a_single_month_needs_no_slider(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As if the snapshot held March only: no range to pick, the figures of 2025-03
    # (see test_month_filter: 9.25 h, 6 person-times, 6 volunteers, 5 of 7 = 71.4%).
    monkeypatch.setattr(queries, "available_months", lambda snapshot: ["2025-03"])
    at = run_app(first_slice.root, monkeypatch)
    assert len(at.sidebar.select_slider) == 0
    assert at.sidebar.caption[0].value == "统计月份：2025年3月"
    assert tiles(at) == Tiles("9.25", "6", "6", "71.4%", "6")


def deltas(at: AppTest) -> list[str | None]:
    return [m.delta for m in at.metric]


def test_changes_say_dash_when_the_earlier_period_has_no_data(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 2025-01..2025-03 against 2024-10..2024-12, when nothing was logged: no change can be
    # measured, "—" on every tile (the roster of 2024 gave participation 0/n: "+75.0
    # 个百分点" would be a jump from nothing)
    at = run_app(first_slice.root, monkeypatch)
    assert not at.exception, at.exception
    assert deltas(at) == ["—"] * 5


def test_changes_against_the_previous_month(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 2025-03 against 2025-02 (all districts): February s01 5, gb 3, gb 4 = 180+63+120 =
    # 363 min, 3 person-times, volunteers T001 T002 T004 = 3, 3 activities; March 555 min,
    # 6, 6, 6 -> hours 192/363 = +52.9%, the others +100.0%. Participation: February's
    # roster T001 T002 T008 T004 T005 T006 T007 = 7 (T003 left in January), active T001
    # T002 T004 = 3 -> 42.857%; March 5/7 = 71.429% -> +28.6 points.
    at = run_app(first_slice.root, monkeypatch)
    at.sidebar.select_slider[0].set_range("2025-03", "2025-03")
    at.run()
    assert not at.exception, at.exception
    assert deltas(at) == ["+52.9%", "+100.0%", "+100.0%", "+28.6 个百分点", "+100.0%"]
