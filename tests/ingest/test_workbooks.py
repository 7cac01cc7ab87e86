"""Workbooks as they are: a header of three merged rows, a 总合计 row, month and daily
rows, lookup lists right of the table, formula padding, a stray number far below, a
repeated header; columns named by their flattened names or their Excel letters.

The event statistics sheet is ``tests/fixtures/valid/workbooks/event_sheet.py`` (its
docstring draws it); every figure below is worked out from it by hand.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pyarrow as pa
import pytest

from ingest import schema
from ingest.header_rows import flatten_rows, locate_header
from ingest.headers import HeaderRules, column_index, column_letter
from ingest.mapping import parse_mapping, rename_keys_missing
from ingest.raw_table import total_rows_mask
from ingest.reading import read_tables

WORKBOOKS = Path(__file__).resolve().parents[1] / "fixtures" / "valid" / "workbooks"
_spec = importlib.util.spec_from_file_location("event_sheet", WORKBOOKS / "event_sheet.py")
assert _spec is not None and _spec.loader is not None
event_sheet = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(event_sheet)

# The reader is asked for the sheet's table with the kind declared, as a mapping does:
# its understood columns (活动日期, 活动类型, 活动名称, 活动地点) are those of an
# activity log as much as of an event summary; the reading does not depend on which.
DECLARED = HeaderRules(kind="activity")

GROUP = "志愿者服务人数及时长统计"
# 序号, 年份, 月份 are merged down over the three rows: one name each. Under 活动信息,
# the four names the README's aliases understand keep their own name; 项目领域 is
# not understood and is there twice, so it is named with its group, the second #2.
# The 12 headcount/hours columns are named by all three levels.
HEADERS = [
    "序号",
    "年份",
    "月份",
    "活动日期",
    "活动类型",
    "活动名称",
    "活动信息/项目领域",
    "活动地点",
    "活动信息/项目领域#2",
    *(f"{GROUP}/{group}/{leaf}" for group in event_sheet.GROUPS for leaf in ("人数", "小时")),
]

# The rows the reader yields: sheet rows 6-10 (row 5, 总合计, is a total row), each
# cell as typed: numbers without ".0", 7.5 as 7.5, the native date of row 8 and the
# date-time at midnight of row 10 as ISO dates, the serial of row 9 as the number.
ROWS = [
    (6, ["1", "2024", "1", None, "环境保护", "一月社区清洁", "生态环保", "各社区", "社区服务",
         "10", "20", "4", "8", "0", "0", "2", "4", "1", "2", "17", "34"]),
    (7, ["2", "2024", "2", None, "敬老助残", "二月敬老院慰问", "为老服务", "阳光敬老院", "助老",
         "0", "0", "6", "12", "3", "6", "2", "4", "0", "0", "11", "22"]),
    (8, ["3", "2024", "3", "2024-03-05", "支教", "学雷锋日课业辅导", "教育", "第一中学",
         "教育帮扶", "0", "0", "0", "0", "8", "16", "1", "2", "0", "0", "9", "18"]),
    (9, ["4", "2024", "4", "45383", "文明实践", "清明节文明祭扫宣传", "文明实践", "烈士陵园",
         "宣传", "5", "7.5", "5", "7.5", "0", "0", "2", "3", "3", "4.5", "15", "22.5"]),
    (10, ["5", "2024", "4", "2024-04-20", "环境保护", "世界地球日植树", "生态环保", "城郊林场",
          "社区服务", "12", "24", "12", "24", "0", "0", "3", "6", "0", "0", "27", "54"]),
]  # fmt: skip

STRAY_WARNING = (
    "sheet '活动统计', cell H412: a number below the data (1234) was not loaded; if it "
    "belongs to the table, move it into a row of it"
)
# as the manifest keeps it: the message's code and parameters (ingest.messages)
STRAY_STORED = {"code": "stray_number", "sheet": "活动统计", "cell": "H412", "value": "1234"}
DETECTED = {
    "sheet": "活动统计",
    "header_row": 4,  # the lowest of the three header rows
    "merged_header_row": 2,  # the first
    "total_rows": 1,  # 总合计
    "padding_rows": 370,  # rows 11-380
    "lookup_columns": ["X"],  # after the empty V and W
    "warnings": [STRAY_STORED],
    "skipped_sheets": [],
}


def _event_xlsx(path: Path, cached: int | None = None) -> Path:
    """The sheet as openpyxl writes it: a formula without a cached value; ``cached``
    0: as Excel saves it, each formula's value (0 on the padding rows) cached."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = event_sheet.SHEET
    for (row, column), value in event_sheet.cells().items():
        sheet.cell(row, column, value)
    for first_row, first_column, last_row, last_column in event_sheet.MERGED:
        sheet.merge_cells(
            start_row=first_row,
            start_column=first_column,
            end_row=last_row,
            end_column=last_column,
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    if cached is None:
        path.write_bytes(buffer.getvalue())
        return path
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                # the 370 rows' two formulas' empty values: openpyxl writes <v></v>
                # when lxml is there (python-docx brings it), <v /> without
                assert len(re.findall(rb"<v />|<v></v>", data)) == 740
                data = re.sub(rb"<v />|<v></v>", b"<v>%d</v>" % cached, data)
            target.writestr(item, data)
    return path


def _read_one(path: Path, scratch: Path, rules: HeaderRules = DECLARED) -> tuple:
    (table,) = read_tables(path, scratch, rules)
    rows = [(row.pop("__line"), list(row.values())) for row in table.batches.read_all().to_pylist()]
    return table, rows


@pytest.mark.parametrize("cached", [None, 0])
def test_an_event_workbook_reads_as_its_table(tmp_path: Path, cached: int | None) -> None:
    path = _event_xlsx(tmp_path / "events.xlsx", cached)

    table, rows = _read_one(path, tmp_path)

    assert table.headers == HEADERS
    assert rows == ROWS
    assert table.rows_read == 5
    assert table.detected == DETECTED


def test_the_xls_copy_reads_the_same(tmp_path: Path) -> None:
    table, rows = _read_one(WORKBOOKS / "event_summary.xls", tmp_path)

    assert (table.headers, rows) == (HEADERS, ROWS)
    # xlwt wrote the padding formulas uncomputed, which xlrd reads as empty text (an
    # .xls does not say which cells are formulas): the 370 rows are empty rows, not
    # counted as padding; all else is detected as in the .xlsx
    assert table.detected == {k: v for k, v in DETECTED.items() if k != "padding_rows"}


def test_a_csv_of_the_header_is_flattened_from_its_text_alone(tmp_path: Path) -> None:
    # rows 1-4 and 6 of the sheet saved as CSV: no merged ranges, the groups are told
    # by their blank cells (a group spreads right; a name with blanks below is merged
    # down); the names are the sheet's
    cells = event_sheet.cells()
    lines = []
    for row in (1, 2, 3, 4, 6):
        lines.append(",".join(str(cells.get((row, c), "")) for c in range(1, 22)))
    path = tmp_path / "events.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    table, rows = _read_one(path, tmp_path)

    assert table.headers == HEADERS
    assert (table.detected["header_row"], table.detected["merged_header_row"]) == (4, 2)
    assert rows == [(5, ROWS[0][1])]  # the CSV's fifth line


def test_a_title_and_a_note_above_a_header_are_not_groups() -> None:
    texts = [
        ["2025年3月活动记录", "", "", "", "制表：王老师", ""],
        ["单位：第一中学", "", "", "日期：2025年3月", "", ""],
        ["人员编号", "单位", "日期", "活动类型", "时长", "备注"],
        ["T001", "第一中学", "2025-03-05", "党员活动日", "2", ""],
    ]

    found = locate_header([list(row) for row in texts])

    assert found is not None
    assert (found.top, found.row) == (2, 2)
    assert found.headers == texts[2]


def test_merged_ranges_decide_over_the_text() -> None:
    # 学校 is merged down over both rows; 活动信息 covers 日期 and 类型 only, so 备注
    # (blank above it, not merged) is not in its group, though it is to its right
    block = [["学校", "活动信息", "", ""], ["", "日期", "类型", "备注"]]
    merged = [(0, 0, 1, 0), (0, 1, 0, 2)]

    assert flatten_rows(block, merged=merged) == ["学校", "日期", "活动类型", "备注"]
    # from the text alone, 活动信息 reaches 备注
    assert flatten_rows(block) == ["学校", "日期", "活动类型", "活动信息/备注"]


# -- letters and flattened names in a mapping ----------------------------------------------


def test_excel_letters_count_from_a() -> None:
    assert [column_index(x) for x in ("A", "z", "AA", "AD", "XFD")] == [0, 25, 26, 29, 16383]
    assert [column_letter(i) for i in (0, 25, 26, 29, 16383)] == ["A", "Z", "AA", "AD", "XFD"]


def test_a_mapping_names_columns_by_letter_or_by_flattened_name(tmp_path: Path) -> None:
    table, _ = _read_one(_event_xlsx(tmp_path / "events.xlsx"), tmp_path)
    mapping = parse_mapping(
        {
            "kind": "activity",
            "rename": {
                "D": "activity_date",  # 活动日期 by its letter
                "F": "activity_title",
                f"{GROUP}/合计/小时": "hours",  # U by its name
                "活动信息/项目领域#2": "community",  # I, the second 项目领域
            },
        },
        "events.mapping.yaml",
    )

    mapped = mapping.rules.map(table.headers)

    # (年份 and 月份 map to year and month where the events kind gives them aliases)
    positions = {c: p for c, p in mapped.positions.items() if c not in ("year", "month")}
    assert positions == {
        "activity_date": 3,
        "activity_type": 4,  # 活动类型, by the standard aliases
        "activity_title": 5,
        "location": 7,  # 活动地点
        "community": 8,
        "hours": 20,
    }
    assert rename_keys_missing(mapping, table.headers) == []
    wrong = parse_mapping(
        {"kind": "activity", "rename": {"AD": "hours", "合计小时": "minutes"}}, "m.yaml"
    )
    # the table has 21 columns (A-U): AD is not one of them, 合计小时 is no header
    assert rename_keys_missing(wrong, table.headers) == ["AD", "合计小时"]


def test_a_header_spelled_like_a_letter_wins_over_the_letter() -> None:
    mapping = parse_mapping({"kind": "activity", "rename": {"ID": "person_id"}}, "m.yaml")
    headers = ["日期", "ID", "时长", "活动类型"]

    assert mapping.rules.map(headers).positions["person_id"] == 1


def test_a_csv_loads_with_columns_named_by_letter(warehouse) -> None:
    warehouse.write(
        "platform/log.csv",
        ["编号", "", "Duration", "Activity", "Org"],
        [["T001", "2025-03-05", "2", "党员活动日", "第一中学"]],
    )
    (warehouse.inbox / "platform.mapping.yaml").write_text(
        'match: ["platform/*.csv"]\n'
        "rename: {A: person_id, B: activity_date, C: hours, D: activity_type, E: org_name}\n",
        encoding="utf-8",
    )

    result = warehouse.load_one()

    assert (result.outcome, result.rows_loaded, result.rows_rejected) == ("loaded", 1, 0)
    (row,) = warehouse.rows("activity", result.batch_id)
    assert (row["activity_date"], row["hours"], row["org_name"]) == (
        dt.date(2025, 3, 5),
        Decimal("2"),
        "第一中学",
    )


def test_a_rename_key_that_is_neither_a_header_nor_a_letter_fails_naming_it(warehouse) -> None:
    warehouse.write(
        "platform/log.csv",
        ["编号", "日期", "时长", "活动类型", "单位"],
        [["T001", "2025-03-05", "2", "党员活动日", "第一中学"]],
    )
    (warehouse.inbox / "platform.mapping.yaml").write_text(
        'match: ["platform/*.csv"]\nrename: {A: person_id, F: location}\n', encoding="utf-8"
    )

    result = warehouse.load_one()

    assert result.failed
    assert "renames 'F', but the file has no such header" in result.message


# -- a repeated header ---------------------------------------------------------------------


def test_a_repeated_header_keeps_each_value_in_a_reject(warehouse) -> None:
    headers = ["人员编号", "日期", "时长", "活动类型", "单位", "项目领域", "项目领域"]
    warehouse.write(
        "log.csv",
        headers,
        [
            ["T001", "2025-03-05", "2", "党员活动日", "第一中学", "教育", "助学"],
            ["T002", "2025-03-06", "", "党员活动日", "第一中学", "环保", "植树"],
        ],
    )

    result = warehouse.load_one()

    assert (result.rows_loaded, result.rows_rejected) == (1, 1)
    (reject,) = warehouse.rejects(result.batch_id)
    assert reject["reason"] == "missing_hours"
    assert (reject["raw_values"]["项目领域"], reject["raw_values"]["项目领域#2"]) == (
        "环保",
        "植树",
    )
    (line,) = warehouse.manifest()
    assert line["unmapped_headers"] == ["项目领域", "项目领域#2"]


# -- total rows ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "is_total"),
    [
        (["总合计", None, None, "79"], True),
        (["累计", None, None, "79"], True),
        (["Grand Total", None, None, "79"], True),
        (["總合計", None, None, "79"], True),
        # the first three non-empty cells, wherever they are
        ([None, None, None, "总合计"], True),
        (["2024", None, "3月", "小计"], True),
        (["1", "2024", "3", "合计"], False),  # the fourth cell, the fourth non-empty
        (["1", "2024", "合计人数", "3"], False),
        (["1", "2024", "3", "Summary"], False),
    ],
)
def test_a_total_word_in_the_first_cells_makes_a_total_row(
    cells: list[str | None], is_total: bool
) -> None:
    batch = pa.RecordBatch.from_arrays(
        [pa.array([5], pa.int64()), *(pa.array([c], pa.string()) for c in cells)],
        names=["__line", "c0", "c1", "c2", "c3"],
    )

    assert total_rows_mask(batch).to_pylist() == [is_total]


# -- through the loader, once the events kind exists ---------------------------------------


@pytest.mark.skipif("events" not in schema.KINDS, reason="needs the events kind")
def test_the_event_workbook_loads_as_event_summaries(warehouse) -> None:
    _event_xlsx(warehouse.inbox / "events.xlsx")
    # 9 lines: the whole mapping a bureau writes for this workbook
    (warehouse.inbox / "events.mapping.yaml").write_text(
        'match: ["events.xlsx"]\n'
        "kind: events\n"
        "rename:\n"
        "  T: participants  # 合计/人数\n"
        "  U: hours  # 合计/小时, the hours of all participants\n"
        "constants:\n"
        "  org_name: 第一中学\n",
        encoding="utf-8",
    )

    result = warehouse.load_one()

    # 5 rows read (总合计, the padding rows and the stray number are not rows), all load
    assert (result.outcome, result.rows_read, result.rows_loaded) == ("loaded", 5, 5)
    assert [warning.render("en") for warning in result.warnings] == [STRAY_WARNING]
    loaded = warehouse.rows("events", result.batch_id)
    # month rows: the month's first day; minutes = hours × 60 (34 h = 2040 min, …)
    assert [
        (r["source_line"], r["activity_date"], r["participants"], r["event_minutes"])
        for r in loaded
    ] == [
        (6, dt.date(2024, 1, 1), 17, 2040),
        (7, dt.date(2024, 2, 1), 11, 1320),
        (8, dt.date(2024, 3, 5), 9, 1080),
        (9, dt.date(2024, 4, 1), 15, 1350),  # serial 45383
        (10, dt.date(2024, 4, 20), 27, 3240),
    ]
    # the 总合计 row's figures: 79 participants, 150.5 hours = 9030 minutes
    assert sum(r["participants"] for r in loaded) == 79
    assert sum(r["event_minutes"] for r in loaded) == 9030


def test_a_padded_activity_sheet_loads_its_rows_and_reports_the_stray_number(
    warehouse, capsys
) -> None:
    # an activity log laid out like the event sheet: a title, a 合计 row first, 3
    # data rows (4-6), 20 padding rows of formulas (7-26), a lookup list in G after
    # the empty F, a lone 7.5 in D33 (6 empty rows below the padding)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "登记"
    for row in (
        ["2025年3月活动登记"],
        ["人员编号", "单位", "日期", "时长", "活动类型", None, "活动类型"],
        ["合计", None, None, 4.5, None, None, "党员活动日"],
        ["T001", "第一中学", dt.date(2025, 3, 5), 2, "党员活动日", None, "志愿服务"],
        ["T002", "第一中学", dt.date(2025, 3, 6), 2.5, "志愿服务"],
        ["T003", "第一中学", dt.date(2025, 3, 7), None, "志愿服务"],
    ):
        sheet.append(row)
    for row in range(7, 27):
        sheet.cell(row, 4, f"=SUM(D{row - 1}:D{row - 1})*0")
    sheet.cell(33, 4, 7.5)
    workbook.save(warehouse.inbox / "log.xlsx")
    from ingest.cli import main

    root = str(warehouse.paths.root)
    code = main(["--inbox", str(warehouse.inbox), "--warehouse", root, "--lang", "en"])

    assert code == 0
    warning = (
        "sheet '登记', cell D33: a number below the data (7.5) was not loaded; if it "
        "belongs to the table, move it into a row of it"
    )
    assert f"warning: log.xlsx: {warning}" in capsys.readouterr().err
    (line,) = warehouse.manifest()
    # rows 4-6 read: T001 and T002 load, T003 (no hours) is rejected; 3 = 2 + 1
    assert (line["rows_read"], line["rows_loaded"], line["rows_rejected"]) == (3, 2, 1)
    assert line["detected"] == {
        "sheet": "登记",
        "header_row": 2,
        "total_rows": 1,
        "padding_rows": 20,
        "lookup_columns": ["G"],
        "warnings": [{"code": "stray_number", "sheet": "登记", "cell": "D33", "value": "7.5"}],
        "skipped_sheets": [],
    }


def test_two_texts_over_a_one_row_header_of_a_csv_stay_a_title() -> None:
    # from the text alone they could be groups (each over several columns); over a
    # header of one row, they are not believed to be: a mapping's rename of `Review`
    # keeps working
    rows: list[list[str | None]] = [
        ["2025年3月志愿服务登记表", None, None, "第一中学", None, None],
        ["User.ID", "日期", "Duration", "活动类型", "单位", "Review"],
        ["T001", "2025-03-05", "2", "党员活动日", "第一中学", "OK"],
    ]

    found = locate_header(rows)

    assert found is not None
    assert (found.top, found.row, found.headers) == (1, 1, rows[1])
