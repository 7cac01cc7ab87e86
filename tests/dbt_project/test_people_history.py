"""dim_people as a history of rosters: a person who moves school keeps the old row for
the old period, and every figure places them as of the day or month.

The inbox is tests/fixtures/valid/roster_history_inbox (see its README): 张三 (P1) is on
第一中学's roster (S01, D01) as of 2025-01-01 and on 第二小学's (S02, D02) as of
2025-03-01; 李四 (P2) stays at S01. Sessions: P1 2025-02-10 at S01 (2 h), P1 2025-04-05
at S02 (3 h), P2 2025-03-03 at S01 (1 h). The expected rows below are worked out by hand.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.conftest import Warehouse, make_warehouse

pytestmark = pytest.mark.integration

OPEN = dt.date(9999, 12, 31)
START = dt.date(2000, 1, 1)


@pytest.fixture(scope="module")
def moved(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    warehouse = make_warehouse(tmp_path_factory.mktemp("roster_history"), "roster_history_inbox")
    warehouse.run("ingest", "--inbox", str(warehouse.inbox))
    warehouse.run("publish")
    return warehouse


def test_a_move_keeps_the_old_row_for_the_old_period(moved: Warehouse) -> None:
    # the first version also covers the time before its effective date; the second
    # starts on its effective date, and the first ends the day before
    assert moved.query(
        "select person_name, roster_org_code, district_code, role, valid_from, valid_to, "
        "is_current from dim_people where is_on_roster order by person_name, valid_from"
    ) == [
        ("张三", "S01", "D01", None, START, dt.date(2025, 2, 28), False),
        ("张三", "S02", "D02", "支部书记", dt.date(2025, 3, 1), OPEN, True),
        ("李四", "S01", "D01", None, START, OPEN, True),
    ]


def test_sessions_carry_the_roster_organization_of_their_day(moved: Warehouse) -> None:
    assert moved.query(
        "select person_name, activity_date, org_code, roster_org_code, person_type "
        "from fct_volunteer_sessions order by activity_date"
    ) == [
        ("张三", dt.date(2025, 2, 10), "S01", "S01", "member"),
        ("李四", dt.date(2025, 3, 3), "S01", "S01", "member"),
        ("张三", dt.date(2025, 4, 5), "S02", "S02", "member"),
    ]


def test_participation_counts_each_person_in_the_district_of_that_month(
    moved: Warehouse,
) -> None:
    # D01: both until February; from March only 李四. D02: 张三 from March.
    # Active: 张三 in February (D01) and April (D02), 李四 in March (D01).
    assert moved.query(
        "select district_code, month, roster_size, active_members, participation_rate, "
        "total_minutes from agg_district_monthly "
        "where month between '2025-01' and '2025-04' order by district_code, month"
    ) == [
        ("D01", "2025-01", 2, 0, 0.0, 0),
        ("D01", "2025-02", 2, 1, 0.5, 120),
        ("D01", "2025-03", 1, 1, 1.0, 60),
        ("D01", "2025-04", 1, 0, 0.0, 0),
        ("D02", "2025-01", 0, 0, None, 0),
        ("D02", "2025-02", 0, 0, None, 0),
        ("D02", "2025-03", 1, 0, 0.0, 0),
        ("D02", "2025-04", 1, 1, 1.0, 180),
    ]


def test_the_roster_effective_date_can_open_the_month_grid(moved: Warehouse) -> None:
    # the rosters take effect on 2025-01-01, the first session is 2025-02-10: the
    # monthly marts start in January 2025 and end with the cut-off's month (the load
    # time, read from the lake's manifest); P1 and P2 are on the roster every month
    manifest = (moved.root / "lake" / "manifest.jsonl").read_text(encoding="utf-8")
    last = max(json.loads(line)["loaded_at"] for line in manifest.splitlines())[:7]
    months = (int(last[:4]) - 2025) * 12 + int(last[5:])
    assert moved.query(
        "select district_code, count(*), min(month), max(month) "
        "from agg_district_monthly group by district_code order by district_code"
    ) == [("D01", months, "2025-01", last), ("D02", months, "2025-01", last)]
    assert moved.query("select count(*), min(month) from fct_person_months") == [
        (2 * months, "2025-01")
    ]
    assert moved.query("select min(calendar_date) from dim_dates") == [(dt.date(2025, 1, 1),)]


def test_a_roster_without_effective_date_takes_effect_on_its_load_day(moved: Warehouse) -> None:
    # a corrected S01 roster without the column: 李四 becomes 支部书记 from the day it
    # is loaded (today), the earlier row keeps the months before
    (moved.inbox / "roster_s01_update.csv").write_text(
        "人员编号,姓名,组织编码,人员类别,职务\nP2,李四,S01,党员,支部书记\n", encoding="utf-8"
    )
    moved.run("ingest", "--inbox", str(moved.inbox))
    moved.run("publish")
    (loaded_on,) = moved.query(
        "select max(loaded_at)::date from dq_file_loads where source_file = ?",
        ["roster_s01_update.csv"],
    )[0]
    assert moved.query(
        "select role, valid_from, valid_to, is_current from dim_people "
        "where person_name = '李四' order by valid_from"
    ) == [
        (None, START, loaded_on - dt.timedelta(days=1), False),
        ("支部书记", loaded_on, OPEN, True),
    ]
