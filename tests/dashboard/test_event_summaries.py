"""Activities held (活动场次) and the event summaries' figures (另据活动汇总表) on the
overview, units and activities pages, on the ``with_summaries`` warehouse: the first
slice plus tests/fixtures/valid/event_summaries_inbox (its README.md).

Worked out by hand. Summary rows (the exact duplicate S02 2025-03-08 counted once):

    org   district  month    type (category)                        people  minutes
    B011  D01       2025-01  便民利民 community_convenience (vol.)       20     2400  (40 h)
    S01   D01       2025-02  环境保护 environmental_protection (vol.)    12     1800  (30 h)
    S02   D02       2025-02  文体娱乐 culture_sports (vol.)              30     2700  (30 x 1.5 h)
    S02   D02       2025-03  交通安全 traffic_safety (vol.)               8      720  (12 h)
    S02   D02       2025-03  家访 home_visit (vol.)                       6      720  (6 x 2 h)
    O01   D02       2025-03  党员活动日 activity_day (org. life)         15     1350  (22.5 h)

Activities from the logs: each of the first slice's 13 approved sessions is an activity
of its own (no two share organization, date, type and title; test_overview.py lists
them): D01 5 (B011 3, B012 2), D02 7 (S02 6, O01 1), unknown 1 (B099).

The person-level figures are the first slice's, unchanged by the summaries.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.users import add_user
from tests.conftest import Warehouse
from tests.dashboard.pages import PAGES, TIMEOUT, frames, rerun, run_page, widget

pytestmark = pytest.mark.integration

BLOCK = "另据活动汇总表：开展活动{}场次，参与{}人次，服务时长{}小时"
NO_PERSON_TYPE = "另据活动汇总表：—（活动汇总表不分人员类别，选择人员类别时不显示）"


def tiles(at: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def blocks(at: AppTest) -> list[str]:
    return [c.value for c in at.caption if c.value.startswith(("另据", "Also from"))]


def test_overview_whole_period(with_summaries: Warehouse, monkeypatch: pytest.MonkeyPatch):
    at = run_page(with_summaries.root, monkeypatch, "overview")
    # the first slice's person-level tiles (test_overview.py), then 13 + 6 = 19 activities
    assert tiles(at) == {
        "总时长(小时)": "24.30",
        "人次": "13",
        "志愿者人数": "7",
        "参与率": "75.0%",
        "活动场次": "19",
    }
    # 6 rows; 20+12+30+8+6+15 = 91; 2400+1800+2700+720+720+1350 = 9690 min = 161.50 h
    assert blocks(at) == [BLOCK.format(6, 91, "161.50")]


@pytest.mark.parametrize(
    ("query", "held", "block"),
    [
        # D02, 2025-02..03: S02 Feb (30, 2700), S02 Mar traffic (8, 720) and home visit
        # (6, 720), O01 Mar (15, 1350): 4 rows, 59, 5490 min = 91.50 h; logs gb 4 and
        # s01 20-24 = 6, so 10 held
        (
            {"from": "2025-02", "to": "2025-03", "district": "D02"},
            "10",
            BLOCK.format(4, 59, "91.50"),
        ),
        # volunteer service, every month: every row but O01's: 5, 20+12+30+8+6 = 76,
        # 2400+1800+2700+720+720 = 8340 min = 139.00 h; logs s01 3, 5, 19, 21, 22, 23 = 6
        ({"cat": "volunteer_service"}, "11", BLOCK.format(5, 76, "139.00")),
        # organization S01 brings B011: B011 Jan (20, 2400) and S01 Feb (12, 1800) = 2,
        # 32, 4200 min = 70.00 h; logs of S01, B011, B012: 5
        ({"org": "S01"}, "7", BLOCK.format(2, 32, "70.00")),
        # a person type: neither activities nor summaries have one
        ({"ptype": "member"}, "—", NO_PERSON_TYPE),
    ],
)
def test_overview_filters(
    with_summaries: Warehouse,
    monkeypatch: pytest.MonkeyPatch,
    query: dict[str, str],
    held: str,
    block: str,
) -> None:
    at = run_page(with_summaries.root, monkeypatch, "overview", query=query)
    assert tiles(at)["活动场次"] == held
    assert blocks(at) == [block]


def test_overview_in_english(with_summaries: Warehouse, monkeypatch: pytest.MonkeyPatch):
    at = run_page(
        with_summaries.root,
        monkeypatch,
        "overview",
        lang="en",
        query={"from": "2025-01", "to": "2025-01"},
    )
    # January: B011's row (20, 2400 min = 40.00 h); logs s01 2, 3, 4 and gb 5 = 4
    assert tiles(at)["Activities held"] == "5"
    assert blocks(at) == ["Also from event summaries: 1 activities, 20 person-times, 40.00 hours"]


def test_a_district_reader_sees_their_districts_summaries(
    with_summaries: Warehouse, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    users = tmp_path / "users.yaml"
    add_user(users, "wang", "district", ["D02"], None, email="wang@jyj.example.gov.cn")
    monkeypatch.setenv("DASHBOARD_USERS", str(users))
    monkeypatch.setenv("WAREHOUSE_DIR", str(with_summaries.root))
    at = AppTest.from_file(str(PAGES / "overview.py"), default_timeout=TIMEOUT)
    at.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "x" * 32,
        "client_id": "warehouse",
        "client_secret": "not-used-here",
        "server_metadata_url": "https://sso.example.org/.well-known/openid-configuration",
    }
    at.user = {"is_logged_in": True, "email": "wang@jyj.example.gov.cn"}
    at.run()
    assert not at.exception, at.exception
    # D02 only: S02 Feb, S02 Mar x2, O01 Mar = 4 rows, 30+8+6+15 = 59,
    # 2700+720+720+1350 = 5490 min = 91.50 h; logs of D02: 7 -> 11 held
    assert tiles(at)["活动场次"] == "11"
    assert blocks(at) == [BLOCK.format(4, 59, "91.50")]


UNIT_COLUMNS = ["活动场次", "另据活动汇总表：参与人次", "另据活动汇总表：服务时长（小时）"]


def test_units_gain_activities_and_summaries(
    with_summaries: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = run_page(with_summaries.root, monkeypatch, "units")
    top, branches = frames(at)
    # S01 with its branches: logs 5 + summaries 2 (B011 Jan, S01 Feb) = 7; 32; 70.00 h
    assert list(top.columns[-3:]) == UNIT_COLUMNS
    assert top.values.tolist() == [
        ["第一中学", "学校", "10.05", "5", "3", "75.0%", "7", "32", "70.00"]
    ]
    # B011: logs 3 + B011 Jan = 4, 20, 40.00 h; B012: logs 2, no summary
    assert branches.values.tolist() == [
        ["第一中学语文组党支部", "党支部", "7.50", "3", "2", "100.0%", "4", "20", "40.00"],
        ["第一中学数学组党支部", "党支部", "2.55", "2", "2", "50.0%", "2", "0", "0.00"],
    ]
    widget(at, "selectbox", "units.district").set_value("D02")
    rerun(at)
    (top,) = frames(at)
    # O01: 1 + 1 (15, 1350 = 22.50 h); S02: 6 + 3 (30+8+6 = 44; 2700+720+720 = 4140
    # min = 69.00 h)
    assert [row[-3:] for row in top.values.tolist()] == [
        ["2", "15", "22.50"],
        ["9", "44", "69.00"],
    ]
    assert list(top["单位"]) == ["教育局机关", "第二小学"]


def test_units_with_a_person_type_show_a_dash(
    with_summaries: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = run_page(with_summaries.root, monkeypatch, "units", query={"ptype": "member"})
    top, _ = frames(at)
    assert top[UNIT_COLUMNS].values.tolist() == [["—", "—", "—"]]
    assert "活动场次和活动汇总表的数字不分人员类别，选择人员类别时显示为 —。" in [
        c.value for c in at.caption
    ]


def test_activities_per_type(with_summaries: Warehouse, monkeypatch: pytest.MonkeyPatch):
    at = run_page(with_summaries.root, monkeypatch, "activities")
    by_type, _ = frames(at)
    # person-level columns as on the first slice (test_activities_page.py); activities =
    # sessions of the type + summary rows; 家访 has summaries only (no approved session)
    assert by_type.values.tolist() == [
        ["党员活动日", "组织生活", "5.00", "3", "4", "15", "22.50"],
        ["交通安全", "志愿服务", "4.00", "2", "3", "8", "12.00"],
        ["双报到", "志愿服务", "3.00", "1", "1", "0", "0.00"],
        ["集中培训", "学习培训", "3.00", "1", "1", "0", "0.00"],
        ["便民利民", "志愿服务", "2.50", "1", "2", "20", "40.00"],
        ["其他", "其他", "2.00", "1", "1", "0", "0.00"],
        ["党课", "组织生活", "1.50", "1", "1", "0", "0.00"],
        ["环境保护", "志愿服务", "1.25", "1", "2", "12", "30.00"],
        ["支委会", "组织生活", "1.05", "1", "1", "0", "0.00"],
        ["文体娱乐", "志愿服务", "1.00", "1", "2", "30", "45.00"],
        ["家访", "志愿服务", "0.00", "0", "1", "6", "12.00"],
    ]


def test_activities_in_english_for_one_category(
    with_summaries: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = run_page(
        with_summaries.root,
        monkeypatch,
        "activities",
        lang="en",
        query={"cat": "organizational_life"},
    )
    (by_type,) = frames(at)
    assert list(by_type.columns[-3:]) == [
        "Activities held",
        "Also from event summaries: person-times",
        "Also from event summaries: hours",
    ]
    # O01's 党员活动日 row (15, 22.50 h) beside s01 2, gb 4 and s01 20
    assert by_type.values.tolist()[0] == [
        "Member activity day",
        "Organizational life",
        "5.00",
        "3",
        "4",
        "15",
        "22.50",
    ]


def test_the_data_quality_page_names_the_event_summary_files(
    with_summaries: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the fixture's events/ folder holds two summary files, both in effect
    at = run_page(with_summaries.root, monkeypatch, "data_quality")
    freshness = [
        frame.iloc[:, :2].values.tolist()
        for frame in frames(at)
        if "活动汇总" in frame.iloc[:, 0].astype(str).tolist()
    ]
    assert freshness, "no table names the event-summary files"
    assert ["活动汇总", "2"] in [[str(a), str(b)] for a, b in freshness[0]]
