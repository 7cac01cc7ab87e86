"""Reason codes of DESIGN.md ("Validation"): which rows are rejected, why, and what they read.

Every reject names the file's own header in ``reason_column`` and keeps that column's
value, masked, in ``reason_value``; its message is written when it is shown
(``kernel.reasons.message``), in Chinese or English, from the one list of reasons
(``seeds/reject_reasons.csv``). The activity file of these tests has the headers of
``conftest.ACTIVITY_HEADERS``, so the data row is line 2.
"""

from __future__ import annotations

import pytest

from kernel import reasons
from kernel.pseudonymize import hmac_key

# GB 11643 check digits, worked out by hand (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2,
# code "10X98765432"[sum % 11]):
# - 11010519491231002?: sum 167, 167 % 11 = 2 -> "X", so ...0021 is wrong, ...002X right;
# - 11010519491231000?: sum 163, 163 % 11 = 9 -> "3", so 110105194912310000 is wrong;
# - 11010319491231000?: sum 155, 155 % 11 = 1 -> "0", so 110103194912310000 is right.
ZEROED_WRONG = "110105194912310000"
ZEROED_RIGHT = "110103194912310000"

NO_PERSON = {"人员编号": "", "身份证号": "", "手机号": ""}

ACTIVITY_CASES = [
    pytest.param(
        NO_PERSON,
        "missing_person",
        "人员编号/身份证号/手机号",
        None,
        "no person: fill in column 人员编号, 身份证号 or 手机号 for this row",
        id="missing_person",
    ),
    pytest.param(
        {"组织编码": "", "单位": ""},
        "missing_org",
        "组织编码/单位",
        None,
        "no organization: fill in column 组织编码 or 单位 for this row",
        id="missing_org",
    ),
    pytest.param(
        {"日期": ""},
        "missing_date",
        "日期",
        None,
        "column 日期 is empty: give the date, e.g. 2025-03-05",
        id="missing_date",
    ),
    pytest.param(
        {"日期": "2025-02-30"},
        "bad_date",
        "日期",
        "2025-02-30",
        "column 日期: '2025-02-30' is not a real date; write it as 2025-03-05",
        id="bad_date-feb-30",
    ),
    pytest.param(
        {"日期": "2025-13-01"},
        "bad_date",
        "日期",
        "2025-13-01",
        "column 日期: '2025-13-01' is not a real date; write it as 2025-03-05",
        id="bad_date-month-13",
    ),
    pytest.param(
        {"日期": "三月五日"},
        "bad_date",
        "日期",
        "三月五日",
        "column 日期: '三月五日' is not a real date; write it as 2025-03-05",
        id="bad_date-words",
    ),
    pytest.param(
        {"日期": "01/31/2023"},  # a US export: month first, which is never guessed
        "bad_date",
        "日期",
        "01/31/2023",
        "column 日期: '01/31/2023' is not a real date; write it as 2025-03-05; looks like "
        'MM/DD/YYYY: add `formats: {activity_date: "%m/%d/%Y"}` to the mapping',
        id="bad_date-us",
    ),
    pytest.param(
        {"日期": "1999-12-31"},
        "date_out_of_range",
        "日期",
        "1999-12-31",
        "column 日期: '1999-12-31' is before 2000-01-01 or in the future; check the year",
        id="date_out_of_range-before-2000",
    ),
    pytest.param(
        {"日期": "2026/1/2"},  # the load runs with today = 2026-01-01
        "date_out_of_range",
        "日期",
        "2026/1/2",
        "column 日期: '2026/1/2' is before 2000-01-01 or in the future; check the year",
        id="date_out_of_range-after-today",
    ),
    pytest.param(
        {"开始时间": "25:00"},
        "bad_time",
        "开始时间",
        "25:00",
        "column 开始时间: '25:00' is not a time; write it as 08:30",
        id="bad_time-start",
    ),
    pytest.param(
        {"开始时间": "8:00", "结束时间": "9:75"},
        "bad_time",
        "结束时间",
        "9:75",
        "column 结束时间: '9:75' is not a time; write it as 08:30",
        id="bad_time-end",
    ),
    pytest.param(
        {"开始时间": "09:00", "结束时间": "08:00", "时长": ""},
        "end_before_start",
        "结束时间",
        "08:00",
        "column 结束时间: '08:00' is not after the start time; check both times",
        id="end_before_start",
    ),
    pytest.param(
        {"开始时间": "9点", "结束时间": "9点", "时长": ""},
        "end_before_start",
        "结束时间",
        "9点",
        "column 结束时间: '9点' is not after the start time; check both times",
        id="end_before_start-equal",
    ),
    pytest.param(
        {"时长": ""},
        "missing_hours",
        "时长",
        None,
        "no hours: fill in column 时长, or both the start and the end time",
        id="missing_hours",
    ),
    pytest.param(
        {"时长": "", "开始时间": "8:30"},
        "missing_hours",
        "时长",
        None,
        "no hours: fill in column 时长, or both the start and the end time",
        id="missing_hours-start-only",
    ),
    pytest.param(
        {"时长": "两小时"},
        "bad_hours",
        "时长",
        "两小时",
        "column 时长: '两小时' is not a number; write hours as 2.5",
        id="bad_hours",
    ),
    pytest.param(
        {"时长": "2,5"},
        "bad_hours",
        "时长",
        "2,5",
        "column 时长: '2,5' is not a number; write hours as 2.5",
        id="bad_hours-comma",
    ),
    pytest.param(
        {"时长": "２５ 小时"},  # quoted as the cell has it, after NFKC (half-width digits)
        "hours_out_of_range",
        "时长",
        "25 小时",
        "column 时长: '25 小时' is out of range: a session lasts more than 0 and at most 24 "
        "hours (1,440 minutes); in an event summary, each participant's hours",
        id="hours_out_of_range-with-unit",
    ),
    pytest.param(
        {"时长": "0"},
        "hours_out_of_range",
        "时长",
        "0",
        "column 时长: '0' is out of range: a session lasts more than 0 and at most 24 hours "
        "(1,440 minutes); in an event summary, each participant's hours",
        id="hours_out_of_range-0",
    ),
    pytest.param(
        {"时长": "25"},
        "hours_out_of_range",
        "时长",
        "25",
        "column 时长: '25' is out of range: a session lasts more than 0 and at most 24 hours "
        "(1,440 minutes); in an event summary, each participant's hours",
        id="hours_out_of_range-25",
    ),
    pytest.param(
        {"活动类型": ""},
        "missing_activity_type",
        "活动类型",
        None,
        "column 活动类型 is empty: give the activity type, e.g. activity day",
        id="missing_activity_type",
    ),
    pytest.param(
        {**NO_PERSON, "身份证号": "1.10101E+17"},
        "bad_id_number",
        "身份证号",
        "1.1****E+17",  # 11 characters: 3 shown, 4 masked, 4 shown
        "column 身份证号: '1.1****E+17' was damaged by Excel (digits lost); "
        "format the column as text and export again",
        id="bad_id_number-scientific",
    ),
    pytest.param(
        {**NO_PERSON, "身份证号": ZEROED_WRONG},
        "bad_id_number",
        "身份证号",
        "1101**********0000",
        "column 身份证号: '1101**********0000' was damaged by Excel (digits lost); "
        "format the column as text and export again",
        id="bad_id_number-zeroed",
    ),
]


@pytest.mark.parametrize(("changes", "reason", "column", "value", "message"), ACTIVITY_CASES)
def test_an_activity_row_is_rejected_with_its_reason(
    warehouse, changes: dict[str, str], reason: str, column: str, value: str | None, message: str
) -> None:
    reject = warehouse.only_reject(changes)

    assert reject["kind"] == "activity"
    assert reject["source_line"] == 2
    assert (reject["reason"], reject["reason_column"], reject["reason_value"]) == (
        reason,
        column,
        value,
    )
    assert "message" not in reject  # written when shown, never stored
    assert reasons.message(reason, column, value, "en") == message


def test_every_activity_reason_has_a_case() -> None:
    covered = {case.values[1] for case in ACTIVITY_CASES}

    # missing_district: districts files; extra_cells: rows wider than the header
    # (tests/ingest/test_row_shape.py); bad_participants: event summaries
    # (tests/ingest/test_events.py); missing_type_code, bad_category: activity types
    # files (tests/ingest/test_activity_types.py)
    assert covered == set(reasons.codes()) - {
        "missing_district",
        "extra_cells",
        "bad_participants",
        "missing_type_code",
        "bad_category",
    }


def test_a_reject_keeps_every_original_value(warehouse) -> None:
    reject = warehouse.only_reject({"日期": "2025-02-30", "开始时间": "8点30分"})

    assert reject["raw_values"] == {
        "人员编号": "T001",
        "身份证号": None,
        "手机号": None,
        "姓名": "张三",
        "组织编码": "S01",
        "单位": "第一中学",
        "日期": "2025-02-30",
        "开始时间": "8点30分",
        "结束时间": None,
        "时长": "2",
        "活动类型": "党员活动日",
        "状态": "已认定",
    }


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({**NO_PERSON, "日期": ""}, "missing_person"),
        ({"单位": "", "组织编码": "", "日期": "2025-02-30"}, "missing_org"),
        ({"日期": "2025-02-30", "活动类型": ""}, "bad_date"),
        ({"日期": "1999-12-31", "时长": "abc"}, "date_out_of_range"),
        ({"开始时间": "25:00", "时长": "0"}, "bad_time"),
        ({"开始时间": "10:00", "结束时间": "9:00", "时长": "25"}, "end_before_start"),
        ({"时长": "abc", "活动类型": ""}, "bad_hours"),
        ({"时长": "30", "活动类型": ""}, "hours_out_of_range"),
        ({**NO_PERSON, "身份证号": "1.10101E+17", "活动类型": ""}, "missing_activity_type"),
        ({**NO_PERSON, "身份证号": "1.10101E+17", "日期": ""}, "missing_date"),
    ],
)
def test_a_row_with_two_faults_gets_the_first_in_table_order(
    warehouse, changes: dict[str, str], reason: str
) -> None:
    assert warehouse.only_reject(changes)["reason"] == reason


@pytest.mark.parametrize("date", ["2000-01-01", "2026-01-01"])
def test_the_bounds_of_the_date_range_load(warehouse, date: str) -> None:
    row = warehouse.only_row({"日期": date})

    assert row["activity_date"].isoformat() == date


@pytest.mark.parametrize(
    ("changes", "key_kind", "key_value"),
    [
        ({"人员编号": "", "手机号": "13800138000"}, "phone", "13800138000"),
        ({"人员编号": "T001"}, "person_id", "T001"),
    ],
)
@pytest.mark.parametrize("damaged", ["1.10101E+17", ZEROED_WRONG])
def test_a_damaged_id_number_beside_another_identifier_loads_flagged(
    warehouse, changes: dict[str, str], key_kind: str, key_value: str, damaged: str
) -> None:
    row = warehouse.only_row({**changes, "身份证号": damaged})

    assert row["is_id_number_damaged"] is True
    assert row["is_id_number_valid"] is False
    assert row[f"{key_kind}_key"] == hmac_key(b"test-secret", key_kind, key_value)


@pytest.mark.parametrize(
    ("id_number", "valid"),
    [
        (ZEROED_RIGHT, True),  # ends in 000, but its check digit is right: a real number
        ("11010519491231002X", True),
        ("110105194912310021", False),  # wrong check digit, but not Excel damage
    ],
)
def test_an_undamaged_id_number_as_the_only_identifier_loads(
    warehouse, id_number: str, valid: bool
) -> None:
    row = warehouse.only_row({**NO_PERSON, "身份证号": id_number})

    assert (row["is_id_number_damaged"], row["is_id_number_valid"]) == (False, valid)
    assert row["id_number_key"] == hmac_key(b"test-secret", "id_number", id_number)


def test_rejects_are_counted_by_reason_and_keep_their_line(warehouse) -> None:
    warehouse.write_activity(
        [
            warehouse.activity_row(),  # line 2: loads
            warehouse.activity_row({"时长": "0"}),  # line 3
            warehouse.activity_row({"日期": ""}),  # line 4
            warehouse.activity_row({"时长": "25"}),  # line 5
            warehouse.activity_row({"状态": "审核中"}),  # line 6: loads (pending)
        ]
    )

    result = warehouse.load_one()

    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (5, 2, 3)
    assert result.rejects_by_reason == {"hours_out_of_range": 2, "missing_date": 1}
    rejects = warehouse.rejects(result.batch_id)
    assert [(r["source_line"], r["reason"]) for r in rejects] == [
        (3, "hours_out_of_range"),
        (4, "missing_date"),
        (5, "hours_out_of_range"),
    ]
    assert [r["source_line"] for r in warehouse.rows("activity", result.batch_id)] == [2, 6]


def test_a_minutes_file_names_its_minutes_column(warehouse) -> None:
    headers = ["人员编号", "单位", "日期", "时长（分钟）", "活动类型"]
    rows = [
        ["T001", "一中", "2025-03-05", "九十", "党员活动日"],
        ["T001", "一中", "2025-03-05", "90", "党员活动日"],
    ]
    warehouse.write("minutes.csv", headers, rows)

    (reject,) = warehouse.rejects(warehouse.load_one().batch_id)

    # Headers are compared after NFKC, so the full-width brackets come back half-width.
    assert (reject["reason"], reject["reason_column"], reject["reason_value"]) == (
        "bad_hours",
        "时长(分钟)",
        "九十",
    )


def test_a_roster_row_without_person_id_is_missing_person(warehouse) -> None:
    warehouse.write(
        "people.csv",
        ["人员编号", "姓名", "人员类别", "手机号"],
        [["P001", "张三", "党员", ""], ["", "李四", "党员", "13800138000"]],
    )

    result = warehouse.load_one()

    assert (result.kind, result.rows_read, result.rows_loaded, result.rows_rejected) == (
        "people",
        2,
        1,
        1,
    )
    (reject,) = warehouse.rejects(result.batch_id)
    assert (reject["kind"], reject["source_line"], reject["reason"]) == (
        "people",
        3,
        "missing_person",
    )
    assert (reject["reason_column"], reject["reason_value"]) == ("人员编号", None)
    assert reject["raw_values"] == {
        "人员编号": None,
        "姓名": "李四",
        "人员类别": "党员",
        "手机号": "138****8000",
    }


def test_a_roster_row_with_an_impossible_join_date_is_bad_date(warehouse) -> None:
    warehouse.write(
        "people.csv",
        ["人员编号", "加入日期", "离开日期"],
        [["P001", "2020-02-30", ""], ["P002", "2020-02-28", ""]],
    )

    (reject,) = warehouse.rejects(warehouse.load_one().batch_id)

    assert (reject["reason"], reject["reason_column"], reject["reason_value"]) == (
        "bad_date",
        "加入日期",
        "2020-02-30",
    )


def test_an_organization_row_without_org_code_is_missing_org(warehouse) -> None:
    warehouse.write(
        "organizations.csv",
        ["组织编码", "组织名称", "组织类型", "区域编码"],
        [["S01", "第一中学", "学校", "D01"], ["", "第二中学", "学校", "D01"]],
    )

    result = warehouse.load_one()

    assert (result.kind, result.rows_loaded, result.rows_rejected) == ("organizations", 1, 1)
    (reject,) = warehouse.rejects(result.batch_id)
    assert (reject["source_line"], reject["reason"], reject["reason_column"]) == (
        3,
        "missing_org",
        "组织编码",
    )


def test_a_district_row_without_district_code_is_missing_district(warehouse) -> None:
    warehouse.write(
        "districts.csv",
        ["区域编码", "区域名称", "区域类型"],
        [["", "东城学区", "学区"], ["D02", "西城学区", "学区"]],
    )

    result = warehouse.load_one()

    assert (result.kind, result.rows_loaded, result.rows_rejected) == ("districts", 1, 1)
    (reject,) = warehouse.rejects(result.batch_id)
    assert (reject["source_line"], reject["reason"], reject["reason_column"]) == (
        2,
        "missing_district",
        "区域编码",
    )
    (row,) = warehouse.rows("districts", result.batch_id)
    assert {k: row[k] for k in ("source_line", "district_code", "district_name")} == {
        "source_line": 3,
        "district_code": "D02",
        "district_name": "西城学区",
    }


def test_negative_hours_are_out_of_range_not_a_bad_number(warehouse) -> None:
    reject = warehouse.only_reject({"时长": "-1"})

    assert (reject["reason"], reject["reason_column"]) == ("hours_out_of_range", "时长")


def test_the_rules_follow_the_order_of_the_one_list_of_reasons() -> None:
    """The precedence of seeds/reject_reasons.csv is the order the rules are checked in:
    a row with several faults gets the first (DESIGN.md), for every kind."""
    from ingest.row_rules import KIND_BUILDERS
    from ingest.schema import KIND_SPECS
    from ingest.validating import _extra_cells_rule

    order = {code: i for i, code in enumerate(reasons.codes())}
    assert reasons.codes()[0] == "extra_cells" == _extra_cells_rule(1, 2).reason
    for kind, builder in KIND_BUILDERS.items():
        names = {name: name for name in KIND_SPECS[kind].columns}
        rules = [rule.reason for rule in builder(names)[2]]
        assert all(code in order for code in rules), kind
        assert rules == sorted(rules, key=order.__getitem__), kind


@pytest.mark.parametrize(
    ("code", "column", "value", "zh", "en"),
    [
        (
            "bad_date",
            "活动日期",
            "410****1065",
            "“活动日期”列：“410****1065”不是有效日期，请写成 2025-03-05",
            "column 活动日期: '410****1065' is not a real date; write it as 2025-03-05",
        ),
        (
            "missing_person",
            "工号/手机号",
            None,
            "缺少人员标识：请为这一行填写“工号”或“手机号”列",
            "no person: fill in column 工号 or 手机号 for this row",
        ),
        (
            "extra_cells",
            "column 8",
            "x",
            "第 8 列在表头最后一列的右侧仍有值（“x”）：某个值含有分隔符，或多填了单元格；"
            "请给该值加上引号或删去多余的单元格，再重新加载",
            "column 8: a value right of the header's last column ('x'): a value holds the "
            "delimiter or a cell was added; put quotes around that value or remove the extra "
            "cells, then load the file again",
        ),
    ],
)
def test_a_message_is_written_in_the_readers_language(
    code: str, column: str, value: str | None, zh: str, en: str
) -> None:
    assert reasons.message(code, column, value, "zh") == zh
    assert reasons.message(code, column, value, "en") == en
