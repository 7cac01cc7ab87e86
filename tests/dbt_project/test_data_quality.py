"""The data-quality marts on the first-slice inbox, and loads that replace a file.

The expected rows are worked out by hand from the fixture files
(tests/fixtures/valid/first_slice_inbox/README.md), as in tests/test_pipeline.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Warehouse, make_warehouse

pytestmark = pytest.mark.integration

S01 = "logs/s01_2025q1.csv"
S02 = "logs/s02_2025q1_gb18030.csv"


def _rows(warehouse: Warehouse, sql: str, params: list[Any] | None = None) -> list[tuple]:
    return warehouse.query(sql, params)


def test_file_loads_conserve_rows_and_are_in_effect(first_slice: Warehouse) -> None:
    assert _rows(
        first_slice,
        "select source_file, batch_kind, rows_read, rows_loaded, rows_rejected, load_status "
        "from dq_file_loads order by source_file",
    ) == [
        ("districts.csv", "districts", 3, 3, 0, "in_effect"),
        (S01, "activity", 25, 13, 12, "in_effect"),
        (S02, "activity", 5, 5, 0, "in_effect"),
        ("organizations.csv", "organizations", 5, 5, 0, "in_effect"),
        ("roster.xlsx", "people", 8, 8, 0, "in_effect"),
    ]


def test_rejects_by_reason_give_each_line_its_column_and_value(first_slice: Warehouse) -> None:
    rows = _rows(
        first_slice,
        "select reason_code, rejected_rows, example_lines, example_columns, example_values "
        "from dq_rejects_by_reason where source_file = ? order by first_line",
        [S01],
    )
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (reason, 1, [7 + i])
        for i, reason in enumerate(
            [
                "missing_person",
                "missing_org",
                "missing_date",
                "bad_date",
                "date_out_of_range",
                "bad_time",
                "end_before_start",
                "missing_hours",
                "bad_hours",
                "hours_out_of_range",
                "missing_activity_type",
                "bad_id_number",
            ]
        )
    ]
    # the columns and values of lines 7-18 (README of the fixture inbox), masked
    assert [(r[3], r[4]) for r in rows] == [
        (["人员编号/身份证号/手机号"], [""]),
        (["组织编码/组织名称"], [""]),
        (["活动日期"], [""]),
        (["活动日期"], ["2025-02-30"]),
        (["活动日期"], ["1999-12-31"]),
        (["开始时间"], ["25:00"]),
        (["结束时间"], ["09:00"]),
        (["服务时长"], [""]),
        (["服务时长"], ["两小时"]),
        (["服务时长"], ["25"]),
        (["活动类型"], [""]),
        (["身份证号"], ["1.1****E+17"]),
    ]


def test_duplicates_are_counted_on_the_file_that_repeats(first_slice: Warehouse) -> None:
    # s02 line 2 repeats s01 line 4 (loaded first), s02 line 6 repeats s02 line 4
    assert _rows(
        first_slice,
        "select source_file, rows_landed, sessions_kept, duplicates_removed, "
        "copies_of_its_sessions from dq_duplicates_by_file order by source_file",
    ) == [(S01, 13, 13, 0, 1), (S02, 5, 3, 2, 1)]


def test_ingest_status_shows_each_files_duplicates_from_the_last_build(
    first_slice: Warehouse,
) -> None:
    # the figures of dq_duplicates_by_file above: s01 none, s02 two (its line 2 repeats
    # s01 line 4, its line 6 its own line 4); the reference files have no column
    (built_at,) = first_slice.query(
        "select strftime(built_at, '%Y-%m-%dT%H:%M:%S') from _snapshot"
    )[0]

    out = first_slice.run("ingest", "status").stdout

    rows = {line.split()[1]: line.split()[2:] for line in out.splitlines()[1:-2]}
    assert rows == {
        "districts.csv": ["districts", "3", "3", "0", "active"],
        S01: ["activity", "25", "13", "12", "0", "active"],
        S02: ["activity", "5", "5", "0", "2", "active"],
        "organizations.csv": ["organizations", "5", "5", "0", "active"],
        "roster.xlsx": ["people", "8", "8", "0", "active"],
    }
    assert out.splitlines()[-1] == (
        "duplicates: loaded rows not kept, as exact copies of a row loaded before them (in "
        f"the same file or another), as the build of {built_at} counted them; - for a batch "
        "that build did not read"
    )


def test_people_missing_from_the_roster_are_named(first_slice: Warehouse) -> None:
    # s01 line 23: a phone on no roster, 60 min 文体娱乐 at S02
    assert _rows(
        first_slice,
        "select org_code, month, sessions, approved_minutes, persons, unmatched_sessions, "
        "person_names from dq_people_missing_from_roster",
    ) == [("S02", "2025-03", 1, 60, 1, 1, ["路人甲"])]


def test_unknown_organizations_unmapped_labels_and_pending_words(first_slice: Warehouse) -> None:
    # s01 line 19: org code B099, 120 min; line 24: 植树活动, 120 min;
    # line 6 pending (待审核, 150 min at B012); line 26 an unknown word (60 min at O01)
    assert _rows(
        first_slice,
        "select org_code_label, org_name_label, reason, candidate_org_codes, sessions, "
        "approved_minutes from dq_unknown_organizations",
    ) == [("B099", None, "code_not_found", [], 1, 120)]
    assert _rows(
        first_slice,
        "select activity_type_label, sessions, approved_minutes, organizations "
        "from dq_unmapped_activity_labels",
    ) == [("植树活动", 1, 120, 1)]
    assert _rows(
        first_slice,
        "select org_code, month, status_label, is_status_known, sessions, total_minutes "
        "from dq_pending_sessions order by month",
    ) == [("B012", "2025-02", "待审核", True, 1, 150), ("O01", "2025-03", "审核中", False, 1, 60)]
    assert _rows(first_slice, "select count(*) from dq_persons_over_24_hours") == [(0,)]


def test_a_replaced_file_is_superseded_and_as_of_reproduces_the_export_byte_for_byte(
    tmp_path: Path,
) -> None:
    warehouse = make_warehouse(tmp_path, "first_slice_inbox")
    warehouse.run("ingest", "--inbox", str(warehouse.inbox))
    manifest = warehouse.root / "lake" / "manifest.jsonl"
    before = max(json.loads(line)["loaded_at"] for line in manifest.read_text().splitlines())
    warehouse.run("publish")
    warehouse.run("export", "--out", str(tmp_path / "then"))

    # a corrected districts file (one more district) and a new log with a March session
    districts = warehouse.inbox / "districts.csv"
    districts.write_text(
        districts.read_text(encoding="utf-8") + "D04,城南协作区,协作区\n", encoding="utf-8"
    )
    (warehouse.inbox / "logs" / "s01_2025q1_more.csv").write_text(
        "人员编号,姓名,组织编码,活动日期,服务时长,活动类型\nT001,张三,B011,2025-03-20,2,党员活动日\n",
        encoding="utf-8",
    )
    warehouse.run("ingest", "--inbox", str(warehouse.inbox))
    warehouse.run("publish")
    loads_sql = (
        "select rows_read, load_status, superseded_at is not null from dq_file_loads "
        "where source_file = 'districts.csv' order by loaded_at"
    )
    assert _rows(warehouse, loads_sql) == [(3, "superseded", True), (4, "in_effect", False)]
    assert _rows(warehouse, "select count(*) from dq_file_loads") == [(7,)]
    warehouse.run("export", "--out", str(tmp_path / "now"))
    assert (tmp_path / "now" / "district_monthly.csv").read_bytes() != (
        tmp_path / "then" / "district_monthly.csv"
    ).read_bytes()

    warehouse.run("publish", "--as-of", before)
    assert _rows(warehouse, loads_sql) == [(3, "in_effect", False)]
    assert _rows(warehouse, "select count(*) from dq_file_loads") == [(5,)]
    warehouse.run("export", "--out", str(tmp_path / "again"))
    for name in ("district_monthly.csv", "manifest.json"):
        assert (tmp_path / "again" / name).read_bytes() == (tmp_path / "then" / name).read_bytes()
