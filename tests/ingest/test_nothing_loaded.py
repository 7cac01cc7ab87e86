"""A file that loads nothing fails: once for a column every row needs, or when every
row is rejected; it lands nothing, so it never replaces an earlier version with nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl

REPO = Path(__file__).resolve().parents[2]
# an activity log whose rows give a name but no person number, and no headcount either:
# not an event summary, and no log a person can be counted from
NAMES_ONLY = "组织编码,姓名,活动日期,服务时长,活动类型\nS01,张三,2025-03-05,2,党员活动日\n"


def test_a_file_without_a_person_column_fails_once_and_asks_for_no_made_up_person(
    warehouse,
) -> None:
    (warehouse.inbox / "names.csv").write_text(NAMES_ONLY, encoding="utf-8")

    result = warehouse.load_one()

    assert (result.outcome, result.rows_read, result.rows_rejected) == ("failed", 0, 0)
    assert result.message == (
        "names.csv: no column gives the person: an activity log (one row per person "
        "per activity) needs person_id (人员编号), id_number (身份证号) or phone (手机号) on "
        "every row; add that column, or name the header that holds it in a mapping "
        "(rename: {your header: person_id}); a file that counts participants per activity, "
        "with no person on its rows, is an event summary, which loads with a participants "
        "column (参与人数; a mapping may rename its headcount column to participants, with "
        "`kind: events`); nothing was loaded"
    )
    assert "constant" not in result.message
    assert warehouse.manifest() == []


def test_a_file_without_hours_minutes_or_both_times_fails_once(warehouse) -> None:
    warehouse.write(
        "no_hours.csv",
        ["人员编号", "组织编码", "活动日期", "开始时间", "活动类型"],
        [["T001", "S01", "2025-03-05", "8:30", "党员活动日"]] * 3,
    )

    result = warehouse.load_one()

    assert result.outcome == "failed"
    assert result.message.startswith(
        "no_hours.csv: no column gives the hours: an activity log (one row per person per "
        "activity) needs hours (服务时长), minutes (分钟) or start_time (开始时间) and "
        "end_time (结束时间) on every row;"
    )


def test_a_file_whose_every_row_is_rejected_fails_and_keeps_the_earlier_version(
    warehouse,
) -> None:
    warehouse.write_activity([warehouse.activity_row()])
    first = warehouse.load_one()
    warehouse.write_activity(
        [warehouse.activity_row({"日期": "2025-02-30"}), warehouse.activity_row({"日期": ""})]
    )

    second = warehouse.load_one()

    assert (second.outcome, second.rows_read, second.rows_loaded, second.rows_rejected) == (
        "failed",
        2,
        0,
        2,
    )
    assert second.rejects_by_reason == {"bad_date": 1, "missing_date": 1}
    assert second.message == (
        "activity.csv: none of its 2 rows could be loaded (bad_date: 1, missing_date: 1); "
        "the first, line 2: column 日期: '2025-02-30' is not a real date; write it as "
        "2025-03-05; nothing was loaded (an earlier version of the file, if any, stays in "
        "effect): mend the file and load it again"
    )
    (line,) = warehouse.manifest()
    assert (line["batch_id"], line["superseded_at"]) == (first.batch_id, None)
    # nothing of the failed load is left in the lake
    assert sorted(p.name for p in warehouse.paths.kind_dir("activity").iterdir()) == [
        f"{first.batch_id}.parquet",
        "_schema.parquet",
    ]


def test_a_header_without_rows_fails(warehouse) -> None:
    warehouse.write_activity([])

    result = warehouse.load_one()

    assert (result.outcome, result.message) == (
        "failed",
        "activity.csv: the file has a header but no rows of data; nothing was loaded",
    )


def test_a_sheet_that_loads_nothing_fails_alone(warehouse) -> None:
    book = openpyxl.Workbook()
    good, bad = book.active, book.create_sheet("二月")
    good.title = "一月"
    headers = warehouse.activity_headers
    for sheet, changes in ((good, {}), (bad, {"时长": "abc"})):
        sheet.append(headers)
        row = warehouse.activity_row(changes)
        sheet.append([row[h] or None for h in headers])
    book.save(warehouse.inbox / "book.xlsx")

    results = warehouse.load()

    assert [(r.file, r.outcome, r.rows_read, r.rows_loaded) for r in results] == [
        ("book.xlsx#一月", "loaded", 1, 1),
        ("book.xlsx#二月", "failed", 1, 0),
    ]
    assert [line["file"] for line in warehouse.manifest()] == ["book.xlsx#一月"]


def test_the_cli_exits_1_for_a_file_that_loads_nothing(warehouse, tmp_path: Path) -> None:
    (warehouse.inbox / "names.csv").write_text(NAMES_ONLY, encoding="utf-8")

    result = subprocess.run(
        [sys.executable, "-m", "ingest", "--inbox", str(warehouse.inbox), "--lang", "en"],
        cwd=REPO,
        env={
            "PATH": "/usr/bin:/bin",
            "WAREHOUSE_DIR": str(tmp_path / "wh"),
            "PYTHONPATH": str(REPO),
        },
        capture_output=True,
        text=True,
    )

    assert result.returncode == 1
    assert result.stderr.startswith("error: names.csv: no column gives the person:")
