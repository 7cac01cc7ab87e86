"""Loading semantics of DESIGN.md: conservation, re-loads, encodings, whole-file faults, CLI."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from ingest import loader
from ingest.loader import load_inbox
from kernel.paths import warehouse_paths
from kernel.pseudonymize import hmac_key

SECRET = b"test-secret"
REPO = Path(__file__).resolve().parents[2]


def _lake_snapshot(lake: Path) -> dict[str, bytes]:
    return {p.relative_to(lake).as_posix(): p.read_bytes() for p in lake.rglob("*") if p.is_file()}


# -- conservation --------------------------------------------------------------------------


def test_rows_read_is_rows_loaded_plus_rows_rejected_and_the_lines_written(warehouse) -> None:
    warehouse.write_activity(
        [
            warehouse.activity_row(),
            warehouse.activity_row({"日期": "2025-02-30"}),
            warehouse.activity_row({"时长": "3", "状态": "待审核"}),
            warehouse.activity_row({"活动类型": ""}),
            warehouse.activity_row({"人员编号": "", "手机号": "13800138000"}),
            warehouse.activity_row({"时长": "", "开始时间": "8:00", "结束时间": "7:00"}),
            warehouse.activity_row({"状态": "驳回"}),
        ]
    )

    result = warehouse.load_one()

    assert (result.outcome, result.kind) == ("loaded", "activity")
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (7, 4, 3)
    assert result.rejects_by_reason == {
        "bad_date": 1,
        "end_before_start": 1,
        "missing_activity_type": 1,
    }
    assert len(warehouse.rows("activity", result.batch_id)) == 4
    assert len(warehouse.rejects(result.batch_id)) == 3
    (line,) = warehouse.manifest()
    assert (line["rows_read"], line["rows_loaded"], line["rows_rejected"]) == (7, 4, 3)
    assert (line["file"], line["kind"], line["batch_id"]) == (
        "activity.csv",
        "activity",
        result.batch_id,
    )


def test_a_title_row_above_the_header_keeps_the_line_numbers(warehouse) -> None:
    (warehouse.inbox / "titled.csv").write_text(
        "2025年3月志愿活动记录\n"
        "人员编号,单位,日期,时长,活动类型\n"
        "T001,第一中学,2025-03-05,2,党员活动日\n"
        "T002,第一中学,2025-03-05,,党员活动日\n",
        encoding="utf-8",
    )

    result = warehouse.load_one()

    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (2, 1, 1)
    (reject,) = warehouse.rejects(result.batch_id)
    assert (reject["source_line"], reject["reason"], reject["reason_column"]) == (
        4,
        "missing_hours",
        "时长",
    )
    assert warehouse.manifest()[0]["detected"]["header_row"] == 2


def test_a_blank_line_does_not_shift_the_line_numbers(warehouse) -> None:
    (warehouse.inbox / "gappy.csv").write_text(
        "人员编号,单位,日期,时长,活动类型\n"
        "T001,第一中学,2025-03-05,2,党员活动日\n"
        "\n"
        "T002,第一中学,2025-03-05,,党员活动日\n",
        encoding="utf-8",
    )

    result = warehouse.load_one()

    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (2, 1, 1)
    (reject,) = warehouse.rejects(result.batch_id)
    assert (reject["source_line"], reject["reason"]) == (4, "missing_hours")


def test_a_cell_with_a_line_break_loads(warehouse) -> None:
    (warehouse.inbox / "multiline.csv").write_text(
        "人员编号,单位,日期,时长,活动类型,活动内容\n"
        'T001,第一中学,2025-03-05,2,党员活动日,"学习党章\n交流心得"\n'
        "T002,第一中学,2025-03-06,1,党员活动日,参观\n",
        encoding="utf-8",
    )

    result = warehouse.load_one()

    assert (result.outcome, result.message) == ("loaded", "")
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (2, 2, 0)
    titles = [r["activity_title"] for r in warehouse.rows("activity", result.batch_id)]
    assert titles == ["学习党章\n交流心得", "参观"]


# -- re-loads ------------------------------------------------------------------------------


def test_loading_the_same_inbox_twice_changes_nothing(warehouse) -> None:
    warehouse.write_activity([warehouse.activity_row(), warehouse.activity_row({"时长": "0"})])
    first = warehouse.load_one()
    manifest = warehouse.paths.manifest.read_bytes()
    lake = _lake_snapshot(warehouse.paths.lake)

    second = warehouse.load_one()

    assert (first.outcome, second.outcome) == ("loaded", "unchanged")
    assert second.batch_id == first.batch_id
    assert (second.rows_read, second.rows_loaded, second.rows_rejected) == (2, 1, 1)
    assert warehouse.paths.manifest.read_bytes() == manifest
    assert _lake_snapshot(warehouse.paths.lake) == lake


def test_new_content_under_the_same_name_replaces_the_old_batch(warehouse) -> None:
    warehouse.write_activity([warehouse.activity_row()])
    first = warehouse.load_one()
    warehouse.write_activity([warehouse.activity_row(), warehouse.activity_row({"时长": "3"})])

    second = warehouse.load_one()

    assert (first.outcome, second.outcome) == ("loaded", "replaced")
    assert second.batch_id != first.batch_id
    old, new = warehouse.manifest()
    assert old["batch_id"] == first.batch_id
    assert (old["superseded_at"], old["superseded_by"]) == (new["loaded_at"], new["batch_id"])
    assert (new["batch_id"], new["superseded_at"], new["superseded_by"]) == (
        second.batch_id,
        None,
        None,
    )
    assert (old["mode"], new["mode"]) == ("replace", "replace")
    assert (new["rows_read"], new["rows_loaded"]) == (2, 2)
    # batches are immutable: the old one stays on disk, only the manifest retires it
    assert len(warehouse.rows("activity", first.batch_id)) == 1
    assert [r["session_minutes"] for r in warehouse.rows("activity", second.batch_id)] == [
        120,
        180,
    ]


def test_append_keeps_both_batches_active(warehouse) -> None:
    warehouse.write_activity([warehouse.activity_row()])
    first = warehouse.load_one()
    warehouse.write_activity([warehouse.activity_row({"日期": "2025-03-06"})])

    second = warehouse.load_one(append=True)

    assert (first.outcome, second.outcome) == ("loaded", "loaded")
    old, new = warehouse.manifest()
    assert [(b["batch_id"], b["superseded_at"], b["mode"]) for b in (old, new)] == [
        (first.batch_id, None, "replace"),
        (second.batch_id, None, "append"),
    ]


def test_files_land_in_inbox_order_whichever_worker_finishes_first(
    warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Of two exact duplicates the copy loaded first is kept (DESIGN.md, the dedup orders
    # by loaded_at): a.csv's, first in the inbox, even when its worker is the slower.
    # Here a.csv's worker lands it only once b.csv's has landed.
    warehouse.write_activity([warehouse.activity_row()], "a.csv")
    warehouse.write_activity([warehouse.activity_row()], "b.csv")
    b_landed = threading.Event()
    land_table = loader.land_table

    def land(*args, **kwargs):
        name = args[2]
        if name == "a.csv":
            assert b_landed.wait(timeout=30)
        batch = land_table(*args, **kwargs)
        if name == "b.csv":
            b_landed.set()
        return batch

    monkeypatch.setattr(loader, "land_table", land)
    results = load_inbox(warehouse.paths, warehouse.inbox, today=warehouse.today, workers=2)

    assert [(r.file, r.outcome) for r in results] == [("a.csv", "loaded"), ("b.csv", "loaded")]
    a, b = warehouse.manifest()
    assert (a["file"], b["file"]) == ("a.csv", "b.csv")
    assert a["loaded_at"] < b["loaded_at"]
    assert a["batch_id"] < b["batch_id"]


def test_a_file_that_turns_bad_fails_and_its_old_batch_stays_active(warehouse) -> None:
    warehouse.write_activity([warehouse.activity_row()])
    first = warehouse.load_one()
    (warehouse.inbox / "activity.csv").write_bytes(b"")

    second = warehouse.load_one()

    assert (second.outcome, second.message) == ("failed", "activity.csv: the file is empty")
    (line,) = warehouse.manifest()
    assert (line["batch_id"], line["superseded_at"]) == (first.batch_id, None)


def test_files_of_an_interrupted_load_are_removed_by_the_next(warehouse) -> None:
    warehouse.write_activity([warehouse.activity_row()])
    first = warehouse.load_one()
    stray = warehouse.paths.kind_dir("activity") / "20260101T000000000000-abcdef012345.parquet"
    stray.write_bytes(b"half a batch")
    scratch = warehouse.paths.staging / "20260101T000000000000-abcdef012345" / "judged.parquet"
    scratch.parent.mkdir(parents=True)
    scratch.write_bytes(b"half a batch")

    assert warehouse.load_one().outcome == "unchanged"
    assert not stray.exists()
    assert not warehouse.paths.staging.exists()
    assert sorted(p.name for p in warehouse.paths.kind_dir("activity").iterdir()) == [
        f"{first.batch_id}.parquet",
        "_schema.parquet",
    ]


# -- encodings, delimiters, workbooks -----------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "encoding", "delimiter"),
    [
        ("activity_gb18030.csv", "gb18030", ","),
        ("activity_utf8_bom.csv", "utf-8-sig", ","),
        ("activity_utf16.txt", "utf-16", "\t"),
        ("activity_semicolon.csv", "utf-8", ";"),
        ("activity_pipe.csv", "utf-8", "|"),
        ("activity_tab.tsv", "utf-8", "\t"),
    ],
)
def test_every_encoding_and_delimiter_loads_the_same_rows(
    warehouse, fixture: str, encoding: str, delimiter: str
) -> None:
    warehouse.copy_fixture(f"valid/activity_formats/{fixture}")

    result = warehouse.load_one()

    assert (result.file, result.outcome, result.kind) == (fixture, "loaded", "activity")
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (2, 2, 0)
    wanted = ("source_line", "person_id_key", "person_name", "org_name", "activity_date")
    more = ("session_minutes", "activity_type", "status", "status_label")
    rows = [
        {k: r[k] for k in (*wanted, *more)} for r in warehouse.rows("activity", result.batch_id)
    ]
    assert rows == [
        {
            "source_line": 2,
            "person_id_key": hmac_key(SECRET, "person_id", "T001"),
            "person_name": "张三",
            "org_name": "第一中学",
            "activity_date": dt.date(2025, 3, 5),
            "session_minutes": 150,
            "activity_type": "党员活动日",
            "status": "approved",
            "status_label": "已认定",
        },
        {
            "source_line": 3,
            "person_id_key": hmac_key(SECRET, "person_id", "T002"),
            "person_name": "李四",
            "org_name": "第二中学",
            "activity_date": dt.date(2025, 3, 6),
            "session_minutes": 60,
            "activity_type": "志愿服务",
            "status": "pending",
            "status_label": "待审核",
        },
    ]
    (line,) = warehouse.manifest()
    assert line["detected"] == {
        "encoding": encoding,
        "delimiter": delimiter,
        "header_row": 1,
        "numbering": "lines",
        "total_rows": 0,
    }


def test_an_xlsx_roster_loads_as_people_with_damaged_id_numbers_flagged(warehouse) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "名册"
    sheet.append(["人员编号", "姓名", "性别", "人员类别", "加入日期", "身份证号", "手机号"])
    # a native Excel date, and an ID number Excel turned into a float
    sheet.append(
        ["T001", "张三", "男", "党员", dt.datetime(2020, 9, 1), 1.10105194912310e17, "13800138000"]
    )
    sheet.append(["t002", "李四", "女", "预备党员", "2021/7/1", "11010519491231002X", 13900139000])
    workbook.save(warehouse.inbox / "roster.xlsx")

    result = warehouse.load_one()

    assert (result.outcome, result.kind) == ("loaded", "people")
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (2, 2, 0)
    first, second = warehouse.rows("people", result.batch_id)
    assert {k: first[k] for k in first if k != "batch_id" and k != "id_number_key"} == {
        "source_line": 2,
        "person_id_key": hmac_key(SECRET, "person_id", "T001"),
        "phone_key": hmac_key(SECRET, "phone", "13800138000"),
        "is_id_number_damaged": True,
        "is_id_number_valid": False,
        "person_name": "张三",
        "gender": "男",
        "person_type": "党员",
        "role": None,
        "org_code": None,
        "org_name": None,
        "joined_date": dt.date(2020, 9, 1),
        "left_date": None,
        "effective_date": None,
    }
    assert (second["source_line"], second["joined_date"]) == (3, dt.date(2021, 7, 1))
    assert (second["is_id_number_damaged"], second["is_id_number_valid"]) == (False, True)
    assert (second["person_id_key"], second["id_number_key"], second["phone_key"]) == (
        hmac_key(SECRET, "person_id", "T002"),
        hmac_key(SECRET, "id_number", "11010519491231002X"),
        hmac_key(SECRET, "phone", "13900139000"),
    )
    (line,) = warehouse.manifest()
    assert line["detected"] == {
        "sheet": "名册",
        "header_row": 1,
        "total_rows": 0,
        "skipped_sheets": [],
    }


def test_an_xlsx_activity_log_reads_native_dates_times_and_numbers(warehouse) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(
        ["工号", "学校", "服务日期", "签到时间", "签退时间", "服务时长", "服务类别"]
    )
    workbook.active.append(
        ["T001", "第一中学", dt.date(2025, 3, 5), dt.time(8, 30), dt.time(10, 0), 1.5, "志愿服务"]
    )
    workbook.active.append(
        [
            "T002",
            "第一中学",
            dt.datetime(2025, 3, 6, 0, 0),
            dt.time(9, 0),
            dt.time(9, 45),
            None,
            "志愿服务",
        ]
    )
    workbook.save(warehouse.inbox / "log.xlsx")

    result = warehouse.load_one()

    assert (result.kind, result.rows_loaded, result.rows_rejected) == ("activity", 2, 0)
    rows = warehouse.rows("activity", result.batch_id)
    assert [
        (r["activity_date"], r["start_time"], r["end_time"], r["hours"], r["session_minutes"])
        for r in rows
    ] == [
        (dt.date(2025, 3, 5), dt.time(8, 30), dt.time(10, 0), Decimal("1.5"), 90),
        (dt.date(2025, 3, 6), dt.time(9, 0), dt.time(9, 45), None, 45),
    ]


def test_headers_that_map_to_nothing_are_listed_in_the_manifest(warehouse) -> None:
    headers = [*warehouse.activity_headers, "备注", "填表人"]
    row = {**warehouse.activity_row(), "备注": "无", "填表人": "王老师"}
    warehouse.write("activity.csv", headers, [row])

    assert warehouse.load_one().rows_loaded == 1
    assert warehouse.manifest()[0]["unmapped_headers"] == ["备注", "填表人"]


def test_the_inbox_is_walked_with_relative_names_skipping_hidden_and_lock_files(
    warehouse,
) -> None:
    row = [warehouse.activity_row()]
    warehouse.write("2025/03/s01.csv", warehouse.activity_headers, row)
    warehouse.write("s02.csv", warehouse.activity_headers, row)
    warehouse.write(".draft.csv", warehouse.activity_headers, row)
    warehouse.write(".hidden/s03.csv", warehouse.activity_headers, row)
    (warehouse.inbox / "~$roster.xlsx").write_bytes(b"lock")
    (warehouse.inbox / "notes.md").write_text("人员编号,日期\n", encoding="utf-8")

    results = warehouse.load()

    assert [(r.file, r.outcome) for r in results] == [
        ("2025/03/s01.csv", "loaded"),
        ("s02.csv", "loaded"),
    ]


# -- whole-file faults ---------------------------------------------------------------------

NO_KIND_MESSAGE = (
    "no_kind.csv: no recognisable header row: none of the first 20 rows names the columns "
    "of an activity log, event summary, roster, organization, district or activity types "
    "file (first row: '编号, 名称, 备注'); rename the headers as in the README or add a "
    "mapping"
)


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        ("empty.csv", "empty.csv: the file is empty"),
        (
            "sqlite_renamed.csv",
            "sqlite_renamed.csv: the file holds binary data (NUL bytes), not text",
        ),
        ("no_kind.csv", NO_KIND_MESSAGE),
        (
            "not_text.csv",
            "not_text.csv: the file is neither UTF-8 nor GB18030 text; "
            "save it again as CSV (UTF-8) from Excel",
        ),
    ],
)
def test_a_faulty_file_fails_alone_and_the_others_load(
    warehouse, fixture: str, message: str
) -> None:
    warehouse.copy_fixture(f"invalid/whole_file_faults/{fixture}")
    warehouse.write_activity([warehouse.activity_row()], name="z_good.csv")

    failed, good = warehouse.load()

    assert (failed.file, failed.outcome, failed.message) == (fixture, "failed", message)
    assert (failed.rows_read, failed.rows_loaded, failed.rows_rejected, failed.batch_id) == (
        0,
        0,
        0,
        "",
    )
    assert (good.file, good.outcome, good.rows_loaded) == ("z_good.csv", "loaded", 1)
    assert [line["file"] for line in warehouse.manifest()] == ["z_good.csv"]


def test_a_broken_workbook_fails_with_a_message(warehouse) -> None:
    (warehouse.inbox / "roster.xlsx").write_text("人员编号,性别\nT001,男\n", encoding="utf-8")

    result = warehouse.load_one()

    assert result.outcome == "failed"
    assert result.message.startswith("roster.xlsx: the workbook cannot be opened: ")


def test_a_warehouse_path_with_an_apostrophe_loads(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.csv").write_text(
        "人员编号,单位,日期,时长,活动类型\nT001,第一中学,2025-03-05,2,党员活动日\n",
        encoding="utf-8",
    )

    (result,) = load_inbox(warehouse_paths(tmp_path / "o'brien"), inbox, today=dt.date(2026, 1, 1))

    assert (result.outcome, result.rows_loaded) == ("loaded", 1)


# -- the command line ----------------------------------------------------------------------


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "WAREHOUSE_DIR": str(tmp_path / "cli-warehouse"),
        "WAREHOUSE_SECRET": "test-secret",
        "PYTHONPATH": str(REPO),
    }
    return subprocess.run(
        [sys.executable, "-m", "ingest", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_cli_exits_0_when_every_file_loads(warehouse, tmp_path: Path) -> None:
    warehouse.write_activity([warehouse.activity_row(), warehouse.activity_row({"时长": "0"})])

    done = _cli(tmp_path, "--inbox", str(warehouse.inbox), "--lang", "en", "--verbose")

    assert (done.returncode, done.stderr) == (0, "")
    table, summary = done.stdout.split("\n\n")
    assert summary.splitlines()[:2] == ["files: 1 (1 loaded)", "rows: 2 read, 1 loaded, 1 rejected"]
    lines = table.splitlines()
    assert lines[0].split() == ["file", "kind", "outcome", "read", "loaded", "rejected"]
    assert [line.split() for line in lines[1:]] == [
        ["activity.csv", "activity", "loaded", "2", "1", "1"],
        ["hours_out_of_range:", "1"],
    ]
    manifest = tmp_path / "cli-warehouse" / "lake" / "manifest.jsonl"
    assert len(manifest.read_text(encoding="utf-8").splitlines()) == 1


def test_the_cli_exits_1_and_names_the_failed_file_without_a_traceback(
    warehouse, tmp_path: Path
) -> None:
    warehouse.copy_fixture("invalid/whole_file_faults/sqlite_renamed.csv")
    warehouse.copy_fixture("invalid/whole_file_faults/empty.csv")
    warehouse.write_activity([warehouse.activity_row()])

    done = _cli(tmp_path, "--inbox", str(warehouse.inbox), "--lang", "en", "--verbose")

    assert done.returncode == 1
    assert done.stderr == (
        "error: empty.csv: the file is empty\n"
        "error: sqlite_renamed.csv: the file holds binary data (NUL bytes), not text\n"
    )
    assert "Traceback" not in done.stdout + done.stderr
    outcomes = [line.split()[:2] for line in done.stdout.split("\n\n")[0].splitlines()[1:]]
    assert outcomes == [
        ["activity.csv", "activity"],
        ["empty.csv", "failed"],
        ["sqlite_renamed.csv", "failed"],
        ["total", "(3"],  # the totals line: 3 files
    ]


def test_the_cli_exits_2_when_the_inbox_is_missing(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"

    done = _cli(tmp_path, "--inbox", str(missing), "--lang", "en")

    assert done.returncode == 2
    assert done.stderr == f"error: inbox {missing} is not a folder; create it or pass --inbox\n"
