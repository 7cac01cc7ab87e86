"""Value formats of DESIGN.md ("Value formats accepted"), each through a real load.

Every case writes a one-row activity file into a fresh inbox, loads it and reads the
landed Parquet row back.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kernel.pseudonymize import hmac_key

MARCH_5 = dt.date(2025, 3, 5)


def test_a_valid_row_lands_whole(warehouse) -> None:
    result = warehouse.load_activity()
    (row,) = warehouse.rows("activity", result.batch_id)

    assert row == {
        "batch_id": result.batch_id,
        "source_line": 2,
        "person_id_key": hmac_key(b"test-secret", "person_id", "T001"),
        "id_number_key": None,
        "phone_key": None,
        "is_id_number_damaged": False,
        "is_id_number_valid": False,
        "person_name": "张三",
        "org_code": "S01",
        "org_name": "第一中学",
        "activity_date": MARCH_5,
        "start_time": None,
        "end_time": None,
        "hours": Decimal("2"),
        "minutes": None,
        "session_minutes": 120,
        "activity_type": "党员活动日",
        "activity_title": None,
        "location": None,
        "community": None,
        "status": "approved",
        "status_label": "已认定",
        "is_status_known": True,
    }


@pytest.mark.parametrize(
    "text",
    [
        "2025-03-05",
        "2025/3/5",
        "2025/03/05",
        "2025.3.5",
        "2025年3月5日",
        "2025 年 3 月 5 日",
        "20250305",
        "45721",  # Excel serial: 45658 is 2025-01-01, + 31 (Jan) + 28 (Feb) + 4
        "45721.0",
        "２０２５－０３－０５",  # full-width
        "2025-03-05 00:00:00",  # a datetime exported by Excel
    ],
)
def test_dates_in_every_accepted_form_land_as_the_same_date(warehouse, text: str) -> None:
    row = warehouse.only_row({"日期": text})

    assert row["activity_date"] == MARCH_5


@pytest.mark.parametrize("text", ["8:30", "08:30", "08:30:00", "8点30分", "8点30", "8时30分"])
def test_start_times_in_every_accepted_form_land_as_0830(warehouse, text: str) -> None:
    row = warehouse.only_row({"开始时间": text})

    assert row["start_time"] == dt.time(8, 30)
    assert row["session_minutes"] == 120  # hours (2) win over a lone start time


@pytest.mark.parametrize(
    ("text", "expected"),
    [("10点", dt.time(10, 0)), ("10:05:30", dt.time(10, 5, 30)), ("9点5分", dt.time(9, 5))],
)
def test_end_times_parse_too(warehouse, text: str, expected: dt.time) -> None:
    row = warehouse.only_row({"开始时间": "8:00", "结束时间": text})

    assert row["end_time"] == expected


@pytest.mark.parametrize("text", ["2.5", "２．５", "2.5小时", "2.5h", "2.5H", "2.5 小时", "2.50"])
def test_hours_in_every_accepted_form_are_150_minutes(warehouse, text: str) -> None:
    row = warehouse.only_row({"时长": text})

    assert row["hours"] == Decimal("2.5")
    assert row["minutes"] is None
    assert row["session_minutes"] == 150


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("24", 1440),  # the upper bound itself is allowed
        ("0.5", 30),
        ("1.125", 68),  # 67.5 minutes rounds half up
        ("1.01", 61),  # 60.6 minutes
    ],
)
def test_hours_become_whole_minutes(warehouse, text: str, minutes: int) -> None:
    row = warehouse.only_row({"时长": text})

    assert row["session_minutes"] == minutes


@pytest.mark.parametrize("header", ["分钟", "minutes", "时长（分钟）", "duration (min)"])
def test_a_minutes_column_gives_the_minutes(warehouse, header: str) -> None:
    headers = [header if h == "时长" else h for h in warehouse.activity_headers]
    row = warehouse.activity_row({"时长": "90"})
    warehouse.write("activity.csv", headers, [[row[h] for h in warehouse.activity_headers]])

    result = warehouse.load_one()
    (landed,) = warehouse.rows("activity", result.batch_id)

    assert (landed["hours"], landed["minutes"], landed["session_minutes"]) == (
        None,
        Decimal("90"),
        90,
    )


@pytest.mark.parametrize(
    ("start", "end"),
    [("08:00", "09:45"), ("8:00", "9:45:00"), ("8点", "9点45分")],
)
def test_without_hours_the_minutes_are_end_minus_start(warehouse, start: str, end: str) -> None:
    row = warehouse.only_row({"开始时间": start, "结束时间": end, "时长": ""})

    assert (row["start_time"], row["end_time"]) == (dt.time(8, 0), dt.time(9, 45))
    assert row["hours"] is None
    assert row["session_minutes"] == 105


@pytest.mark.parametrize(
    ("label", "status"),
    [
        ("已认定", "approved"),
        ("已审核", "approved"),
        ("通过", "approved"),
        ("approved", "approved"),
        ("Approved", "approved"),
        ("confirmed", "approved"),
        ("待审核", "pending"),
        ("待认定", "pending"),
        ("pending", "pending"),
        ("驳回", "rejected"),
        ("未通过", "rejected"),
        ("rejected", "rejected"),
        ("declined", "rejected"),
        ("DECLINED", "rejected"),
    ],
)
def test_status_words_map_to_the_three_statuses(warehouse, label: str, status: str) -> None:
    row = warehouse.only_row({"状态": label})

    assert (row["status"], row["status_label"], row["is_status_known"]) == (status, label, True)


def test_an_empty_status_is_approved(warehouse) -> None:
    row = warehouse.only_row({"状态": ""})

    assert (row["status"], row["status_label"], row["is_status_known"]) == ("approved", None, True)


def test_a_file_without_a_status_column_is_approved(warehouse) -> None:
    headers = [h for h in warehouse.activity_headers if h != "状态"]
    warehouse.write("activity.csv", headers, [warehouse.activity_row()])

    result = warehouse.load_one()
    (row,) = warehouse.rows("activity", result.batch_id)

    assert (row["status"], row["status_label"], row["is_status_known"]) == ("approved", None, True)


@pytest.mark.parametrize("label", ["审核中", "unknown"])
def test_an_unknown_status_word_is_pending_and_kept(warehouse, label: str) -> None:
    row = warehouse.only_row({"状态": label})

    assert (row["status"], row["status_label"], row["is_status_known"]) == (
        "pending",
        label,
        False,
    )


def test_demonstration_site_words_become_booleans(warehouse) -> None:
    warehouse.write(
        "organizations.csv",
        ["组织编码", "组织名称", "组织类型", "上级组织编码", "是否示范点"],
        [
            ["S01", "第一中学", "学校", "", "是"],
            ["S01-1", "第一中学第一党支部", "党支部", "S01", "否"],
            ["S02", "第二中学", "学校", "", ""],
            ["S03", "第三中学", "学校", "", "Yes"],
        ],
    )

    result = warehouse.load_one()
    rows = warehouse.rows("organizations", result.batch_id)

    assert result.kind == "organizations"
    assert [(r["org_code"], r["parent_org_code"], r["is_demonstration_site"]) for r in rows] == [
        ("S01", None, True),
        ("S01-1", "S01", False),
        ("S02", None, False),
        ("S03", None, True),
    ]
