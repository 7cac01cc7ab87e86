"""The month grid follows the data: the monthly marts, the calendar and the roster
months start at the first month with an activity row or a roster version's effective
date, and end with the data cut-off's month.

The cut-off is the newest batch's load time, read here from the lake's manifest; every
other figure is worked out by hand from the fixture inboxes' README files.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json

import pytest

from tests.conftest import Warehouse
from tests.test_golden import months_between

pytestmark = pytest.mark.integration


def cutoff_month(warehouse: Warehouse) -> str:
    """The month of the newest load in effect (the data cut-off), from the manifest."""
    manifest = (warehouse.root / "lake" / "manifest.jsonl").read_text(encoding="utf-8")
    batches = [json.loads(line) for line in manifest.splitlines() if line.strip()]
    return max(b["loaded_at"] for b in batches if b["superseded_at"] is None)[:7]


def last_day(month: str) -> dt.date:
    year, number = int(month[:4]), int(month[5:])
    return dt.date(year, number, calendar.monthrange(year, number)[1])


def test_first_slice_months_run_from_the_first_session_to_the_cutoff(
    first_slice: Warehouse,
) -> None:
    # the first session is 2025-01-08; the roster has no effective date, so it takes
    # effect on its load day (the cut-off's month): the first month is 2025-01
    last = cutoff_month(first_slice)
    months = months_between("2025-01", last)
    assert first_slice.query(
        "select min(calendar_date), max(calendar_date), count(*), "
        "count(distinct month) from dim_dates"
    ) == [
        (
            dt.date(2025, 1, 1),
            last_day(last),
            (last_day(last) - dt.date(2025, 1, 1)).days + 1,
            len(months),
        )
    ]
    # D01 D02 D03 in every month; unknown only in 2025-03 (B099)
    assert first_slice.query(
        "select district_code, count(*), min(month), max(month) "
        "from agg_district_monthly group by district_code order by district_code"
    ) == [
        ("D01", len(months), "2025-01", last),
        ("D02", len(months), "2025-01", last),
        ("D03", len(months), "2025-01", last),
        ("unknown", 1, "2025-03", "2025-03"),
    ]
    # S01 B011 B012 S02 O01 in every month, unknown in 2025-03
    assert first_slice.query(
        "select count(*), min(month), max(month) from agg_organization_monthly"
    ) == [(5 * len(months) + 1, "2025-01", last)]


def test_first_slice_person_months_start_with_the_grid(first_slice: Warehouse) -> None:
    # T001 T002 T005 T006 T007 T008 are on the roster every month of the grid; T003
    # left 2025-01-31 (January only); T004 joined 2025-02-10 (from February)
    last = cutoff_month(first_slice)
    n = len(months_between("2025-01", last))
    assert first_slice.query("select count(*), min(month), max(month) from fct_person_months") == [
        (6 * n + 1 + (n - 1), "2025-01", last)
    ]
    assert first_slice.query(
        "select person_name, count(*), min(month) from fct_person_months "
        "inner join dim_people using (person_key) where is_current "
        "and person_name in ('王五', '赵六') group by person_name order by person_name"
    ) == [("王五", 1, "2025-01"), ("赵六", n - 1, "2025-02")]


def test_first_slice_quota_years_start_with_the_first_month(first_slice: Warehouse) -> None:
    # 2025: members T001 T003 T006, applicants T005 T008 (发展对象), probationary
    # T007, staff T002, student T004; no year before 2025
    last = cutoff_month(first_slice)
    years = list(range(2025, int(last[:4]) + 1))
    assert first_slice.query(
        "select year, person_type, count(*) from fct_person_quota_years "
        "where year = 2025 group by all order by person_type"
    ) == [
        (2025, "applicant", 2),
        (2025, "member", 3),
        (2025, "probationary", 1),
        (2025, "staff", 1),
        (2025, "student", 1),
    ]
    assert first_slice.query("select min(year) from fct_person_quota_years") == [(2025,)]
    # D01 D02 D03 x 5 quotas (seeds/quota_targets.csv) per year; unknown (T007 at S99)
    # for the probationary quota in each year
    assert first_slice.query(
        "select year, count(*) from agg_quota_attainment group by year order by year"
    ) == [(year, 3 * 5 + 1) for year in years]


def test_a_roster_alone_gives_the_cutoff_month(reference_only: Warehouse) -> None:
    # no activity; the roster takes effect on its load day, the cut-off: one month, in
    # which T003 (left 2025-01-31) is no longer on the roster and the 7 others are
    last = cutoff_month(reference_only)
    assert reference_only.query(
        "select district_code, month from agg_district_monthly order by district_code"
    ) == [("D01", last), ("D02", last), ("D03", last)]
    assert reference_only.query(
        "select count(*), min(month), max(month) from fct_person_months"
    ) == [(7, last, last)]
    assert reference_only.query("select min(calendar_date), max(calendar_date) from dim_dates") == [
        (dt.date(int(last[:4]), int(last[5:]), 1), last_day(last))
    ]


def test_an_empty_lake_builds_the_cutoff_month_alone(empty_lake: Warehouse) -> None:
    # nothing loaded: the cut-off is the build's own time, and the calendar is its month
    ((as_of,),) = empty_lake.query("select as_of from _snapshot")
    month = f"{as_of:%Y-%m}"
    assert empty_lake.query(
        "select min(calendar_date), max(calendar_date), count(distinct month) from dim_dates"
    ) == [(dt.date(as_of.year, as_of.month, 1), last_day(month), 1)]
    assert empty_lake.query("select count(*) from fct_person_months") == [(0,)]
    assert empty_lake.query("select count(*) from agg_district_monthly") == [(0,)]
