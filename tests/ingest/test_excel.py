"""Excel and header layout: every sheet a candidate, titles and two-row headers, total rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow as pa
import pytest
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH

from ingest.excel import _cell_text, _xls_date
from ingest.header_rows import flatten_header, locate_header
from ingest.raw_table import FileFault, total_rows_mask
from ingest.reading import read_file, read_tables

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TWO_SCHOOLS_XLS = FIXTURES / "valid" / "workbooks" / "two_schools.xls"

# The sheets of tests/fixtures/valid/workbooks/two_schools.xls (see make_xls.py there):
# rows of cells, and the merged ranges.
SCHOOL_1 = [
    ["2025年3月志愿服务活动登记表"],
    ["学校", "人员信息", None, None, "活动信息"],
    [None, "姓名", "工号", "身份证号", "日期", "类型", "时长", "状态"],
    ["第一中学", "张三", "T001", None, dt.date(2025, 3, 5), "党员活动日", 2, "已认定"],
    [
        "第一中学",
        "李四",
        "T002",
        1.10105e17,
        dt.datetime(2025, 3, 6, 8, 30),
        "志愿服务",
        1.5,
        "待审核",
    ],
    [],
    ["第一中学", "王五", "T003", "11010519491231002X", "2025/3/7", "志愿服务"],
    ["合计", None, None, None, None, None, 3.5],
]
SCHOOL_1_MERGED = ["A1:H1", "A2:A3", "B2:D2", "E2:H2"]
SCHOOL_2 = [
    ["工号", "学校", "服务日期", "签到时间", "签退时间", "服务时长", "服务类别"],
    ["T101", "第二中学", dt.date(2025, 3, 10), dt.time(8, 30), dt.time(10, 0), 1.5, "志愿服务"],
    ["T102", "第二中学", dt.date(2025, 3, 11), dt.time(9, 0), dt.time(9, 45), None, "志愿服务"],
    ["  合 计 ", None, None, None, None, 1.5],
]
NOTES = [["本表由各校填报"], ["联系人：王老师"]]

SKIPPED = [
    {"sheet": "说明", "reason": "no recognisable header"},
    {"sheet": "空白", "reason": "empty"},
]
# What the two data sheets read as, worked out by hand: headers, then
# (sheet row, cells) for every data row; the title, the header rows, the blank row
# and the total rows are gone.
SCHOOL_1_HEADERS = ["学校", "姓名", "工号", "身份证号", "日期", "活动类型", "时长", "状态"]
SCHOOL_1_ROWS = [
    (4, ["第一中学", "张三", "T001", None, "2025-03-05", "党员活动日", "2", "已认定"]),
    (
        5,
        [
            "第一中学",
            "李四",
            "T002",
            "1.10105E+17",
            "2025-03-06 08:30:00",
            "志愿服务",
            "1.5",
            "待审核",
        ],
    ),
    (7, ["第一中学", "王五", "T003", "11010519491231002X", "2025/3/7", "志愿服务", None, None]),
]
SCHOOL_2_HEADERS = ["工号", "学校", "服务日期", "签到时间", "签退时间", "服务时长", "服务类别"]
SCHOOL_2_ROWS = [
    (2, ["T101", "第二中学", "2025-03-10", "08:30:00", "10:00:00", "1.5", "志愿服务"]),
    (3, ["T102", "第二中学", "2025-03-11", "09:00:00", "09:45:00", None, "志愿服务"]),
]


def _workbook(path: Path, sheets: dict[str, list[list[Any]]], merged: dict[str, list[str]]) -> Path:
    """An .xlsx with these sheets (rows of cells) and merged ranges."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(r, c, value)
        for cells in merged.get(title, []):
            sheet.merge_cells(cells)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def _two_schools_xlsx(path: Path) -> Path:
    """The .xlsx twin of two_schools.xls."""
    sheets = {"一校": SCHOOL_1, "二校": SCHOOL_2, "说明": NOTES, "空白": []}
    return _workbook(path, sheets, {"一校": SCHOOL_1_MERGED})


def _read(tables: list[Any]) -> list[tuple[str, str, list[str], list[tuple[int, list]], dict]]:
    """(sheet, kind, headers, rows, detected) per table, the batches consumed."""
    out = []
    for table in tables:
        rows = [
            (row.pop("__line"), list(row.values())) for row in table.batches.read_all().to_pylist()
        ]
        out.append((table.detected["sheet"], table.kind, table.headers, rows, table.detected))
    return out


TWO_SCHOOLS = [
    (
        "一校",
        "activity",
        SCHOOL_1_HEADERS,
        SCHOOL_1_ROWS,
        {
            "sheet": "一校",
            "header_row": 3,
            "merged_header_row": 2,
            "total_rows": 1,
            "skipped_sheets": SKIPPED,
        },
    ),
    (
        "二校",
        "activity",
        SCHOOL_2_HEADERS,
        SCHOOL_2_ROWS,
        {"sheet": "二校", "header_row": 1, "total_rows": 1, "skipped_sheets": SKIPPED},
    ),
]


# -- every sheet a candidate ---------------------------------------------------------------


def test_a_workbook_with_two_data_sheets_gives_two_tables(tmp_path: Path) -> None:
    path = _two_schools_xlsx(tmp_path / "two_schools.xlsx")

    assert _read(read_tables(path, tmp_path)) == TWO_SCHOOLS


def test_an_xls_reads_the_same_as_the_equivalent_xlsx(tmp_path: Path) -> None:
    xlsx = _two_schools_xlsx(tmp_path / "two_schools.xlsx")

    from_xls = _read(read_tables(TWO_SCHOOLS_XLS, tmp_path))

    assert from_xls == _read(read_tables(xlsx, tmp_path))
    assert from_xls == TWO_SCHOOLS


def test_the_format_is_read_from_the_bytes_not_the_name(tmp_path: Path) -> None:
    renamed = _two_schools_xlsx(tmp_path / "saved_as.xls")

    assert _read(read_tables(renamed, tmp_path)) == TWO_SCHOOLS


def test_read_file_refuses_a_workbook_with_two_data_sheets(tmp_path: Path) -> None:
    path = _two_schools_xlsx(tmp_path / "two_schools.xlsx")

    with pytest.raises(FileFault) as raised:
        read_file(path, tmp_path)

    assert str(raised.value) == (
        "the workbook has 2 sheets with data ('一校', '二校') and only one can be read here; "
        "save each sheet as its own file"
    )


def test_a_workbook_without_a_header_on_any_sheet_fails_naming_the_sheets(
    tmp_path: Path,
) -> None:
    path = _workbook(
        tmp_path / "notes.xlsx",
        {"说明": NOTES, "清单": [["编号", "名称"], ["1", "甲"]], "空白": []},
        {},
    )

    with pytest.raises(FileFault) as raised:
        read_tables(path, tmp_path)

    assert str(raised.value) == (
        "no sheet has a recognisable header row: none of the first 20 rows of "
        "sheet '说明' (first row: '本表由各校填报') or sheet '清单' (first row: '编号, 名称') "
        "names the columns of an activity log, event summary, roster, organization, district "
        "or activity types file (sheet '空白' is empty); rename the headers as in the README "
        "or add a mapping"
    )


def test_a_sheet_without_a_header_is_quoted_masked_and_cut(tmp_path: Path) -> None:
    key = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8"
    path = _workbook(tmp_path / "key.xlsx", {"Sheet": [["张三", "13812345678", key]]}, {})

    with pytest.raises(FileFault) as raised:
        read_tables(path, tmp_path)

    # the row reads 张三, 13812345678, 5e88…: every run of letters and digits with a
    # digit in it masked, and 40 characters at most
    assert str(raised.value) == (
        "no sheet has a recognisable header row: none of the first 20 rows of sheet 'Sheet' "
        f"(first row: '张三, {'*' * 11}, {'*' * 23}…') names the columns of an activity log, "
        "event summary, roster, organization, district or activity types file; rename the "
        "headers as in the README or add a mapping"
    )


def test_a_workbook_of_empty_sheets_fails(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "blank.xlsx", {"Sheet1": [], "Sheet2": [[None, " "]]}, {})

    with pytest.raises(FileFault) as raised:
        read_tables(path, tmp_path)

    assert (
        str(raised.value)
        == "the workbook has no sheet with data (sheets 'Sheet1', 'Sheet2' are empty)"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"<html><table><tr><td>\xe5\xb7\xa5\xe5\x8f\xb7</td></tr></table></html>",
            "the workbook cannot be opened: it is HTML or XML text saved under an Excel name "
            "(as some web systems export); open it in Excel and save it as .xlsx",
        ),
        (
            "工号,性别\nT001,男\n".encode(),
            "the workbook cannot be opened: it is neither an .xlsx nor an .xls file; "
            "open it in Excel and save it as .xlsx",
        ),
        (b"", "the file is empty"),
    ],
)
def test_a_file_that_is_no_workbook_fails_with_what_to_do(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "export.xls"
    path.write_bytes(content)

    with pytest.raises(FileFault) as raised:
        read_tables(path, tmp_path)

    assert str(raised.value) == message


# -- through the loader --------------------------------------------------------------------


def test_a_titled_sheet_with_a_merged_header_loads_exactly_its_data_rows(warehouse) -> None:
    sheets = {"一校": SCHOOL_1, "说明": NOTES}
    _workbook(warehouse.inbox / "log.xlsx", sheets, {"一校": SCHOOL_1_MERGED})

    result = warehouse.load_one()

    assert (result.outcome, result.kind) == ("loaded", "activity")
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (3, 2, 1)
    loaded = warehouse.rows("activity", result.batch_id)
    fields = (
        "source_line",
        "org_name",
        "person_name",
        "activity_date",
        "hours",
        "activity_type",
        "status",
        "is_id_number_damaged",
    )
    assert [tuple(row[f] for f in fields) for row in loaded] == [
        (4, "第一中学", "张三", dt.date(2025, 3, 5), Decimal("2"), "党员活动日", "approved", False),
        (5, "第一中学", "李四", dt.date(2025, 3, 6), Decimal("1.5"), "志愿服务", "pending", True),
    ]
    (reject,) = warehouse.rejects(result.batch_id)
    assert (reject["source_line"], reject["reason"]) == (7, "missing_hours")
    (line,) = warehouse.manifest()
    assert line["detected"] == {
        "sheet": "一校",
        "header_row": 3,
        "merged_header_row": 2,
        "total_rows": 1,
        "skipped_sheets": [{"sheet": "说明", "reason": "no recognisable header"}],
    }
    assert line["unmapped_headers"] == []


def test_a_csv_total_row_is_not_data_and_is_counted(warehouse, tmp_path: Path) -> None:
    path = warehouse.write(
        "totals.csv",
        ["序号", "人员编号", "单位", "日期", "时长", "活动类型"],
        [
            ["1", "T001", "第一中学", "2025-03-05", "2", "党员活动日"],
            ["2", "T002", "第一中学", "2025-03-06", "1.5", "志愿服务"],
            ["", "合计", "", "", "3.5", ""],
        ],
    )

    (table,) = read_tables(path, tmp_path)
    rows = table.batches.read_all().to_pylist()

    assert [(row["__line"], row["c1"]) for row in rows] == [(2, "T001"), (3, "T002")]
    assert (table.rows_read, table.detected["total_rows"]) == (2, 1)
    result = warehouse.load_one()
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (2, 2, 0)


def test_a_csv_saved_from_a_sheet_with_a_merged_header_reads_the_same_way(
    tmp_path: Path,
) -> None:
    path = tmp_path / "merged.csv"
    path.write_text(
        "人员信息,,活动信息,,\n工号,单位,日期,类型,时长\nT001,第一中学,2025-03-05,党员活动日,2\n",
        encoding="utf-8",
    )

    (table,) = read_tables(path, tmp_path)

    assert (table.kind, table.headers) == ("activity", ["工号", "单位", "日期", "活动类型", "时长"])
    assert table.batches.read_all().to_pylist() == [
        {
            "__line": 3,
            "c0": "T001",
            "c1": "第一中学",
            "c2": "2025-03-05",
            "c3": "党员活动日",
            "c4": "2",
        }
    ]
    assert table.detected == {
        "encoding": "utf-8",
        "delimiter": ",",
        "header_row": 2,
        "merged_header_row": 1,
        "numbering": "lines",
        "total_rows": 0,
    }


# -- header layout -------------------------------------------------------------------------


def test_a_two_row_header_is_flattened_column_by_column() -> None:
    upper = ["人员信息", "", "", "活动信息", "", "", ""]
    lower = ["姓名", "工号", "身份证号", "日期", "类型", "时长", "备注"]

    # 类型 alone maps to nothing; 活动信息类型 neither; 活动类型 (the group word
    # 信息 dropped) does. 备注 maps to nothing, and is named by its group and itself
    # joined with `/`, as every level of a header of several rows is.
    assert flatten_header(upper, lower) == [
        "姓名",
        "工号",
        "身份证号",
        "日期",
        "活动类型",
        "时长",
        "活动信息/备注",
    ]


def test_a_row_that_is_a_header_alone_takes_the_names_of_its_merged_groups_below() -> None:
    # 工号 / 姓名 / 性别 alone make a roster header, but 活动信息 names a group
    # whose columns are in the next row.
    rows: list[list[str | None]] = [
        ["工号", "姓名", "性别", "活动信息", None, None],
        [None, None, None, "日期", "类型", "时长"],
        ["T001", "张三", "男", "2025-03-05", "党员活动日", "2"],
    ]

    found = locate_header(rows)

    assert found is not None
    assert (found.top, found.row, found.kind) == (0, 1, "activity")
    assert found.headers == ["工号", "姓名", "性别", "日期", "活动类型", "时长"]


def test_a_title_row_above_a_header_stays_a_title() -> None:
    rows: list[list[str | None]] = [
        ["2025年3月活动记录", None, None, None, "制表：王老师"],
        ["人员编号", "单位", "日期", "活动类型", "备注"],
    ]

    found = locate_header(rows)

    assert found is not None
    assert (found.top, found.row, found.kind) == (1, 1, "activity")
    assert found.headers == ["人员编号", "单位", "日期", "活动类型", "备注"]


@pytest.mark.parametrize(
    ("cells", "is_total"),
    [
        (["合计", None, "3.5"], True),
        (["合 计", None, "3.5"], True),
        (["总计", None, "3.5"], True),
        (["小计", None, "3.5"], True),
        (["合计:", None, "3.5"], True),
        (["Total", None, "3.5"], True),
        (["TOTAL", None, "3.5"], True),
        (["sum", None, "3.5"], True),
        (["12", "合计", "3.5"], True),  # after a running number
        ([None, None, "合计"], True),  # the first non-empty cell
        (["T001", "张三", "合计人数"], False),
        (["T001", "Totals", "2"], False),
        (["T001", "张三", "2"], False),
        ([None, None, None], False),
    ],
)
def test_a_total_row_is_told_by_its_label(cells: list[str | None], is_total: bool) -> None:
    batch = pa.RecordBatch.from_arrays(
        [pa.array([2], pa.int64()), *(pa.array([c], pa.string()) for c in cells)],
        names=["__line", "c0", "c1", "c2"],
    )

    assert total_rows_mask(batch).to_pylist() == [is_total]


# -- cell values ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (dt.date(2025, 3, 5), "2025-03-05"),
        (dt.datetime(2025, 3, 5, 0, 0), "2025-03-05"),
        (dt.datetime(2025, 3, 5, 8, 30), "2025-03-05 08:30:00"),
        (dt.time(8, 30), "08:30:00"),
        (2.0, "2"),
        (13800138000.0, "13800138000"),
        (1.10105e17, "1.10105E+17"),  # an ID number Excel has made a float
        (110105194912310000, "110105194912310000"),
        (True, "true"),
        ("T001", "T001"),
        (None, None),
    ],
)
def test_a_cell_reads_as_the_text_a_person_typed(value: Any, text: str | None) -> None:
    assert _cell_text(value) == text


@pytest.mark.parametrize(
    ("serial", "epoch", "duration", "value"),
    [
        (45721.0, WINDOWS_EPOCH, False, dt.datetime(2025, 3, 5)),
        (45722.3541666667, WINDOWS_EPOCH, False, dt.datetime(2025, 3, 6, 8, 30)),
        (44259.0, MAC_EPOCH, False, dt.datetime(2025, 3, 5)),
        (0.3541666667, WINDOWS_EPOCH, False, dt.time(8, 30)),
        (1.0625, WINDOWS_EPOCH, True, dt.timedelta(hours=25, minutes=30)),
        (1e12, WINDOWS_EPOCH, False, "#VALUE!"),
    ],
)
def test_an_xls_date_serial_converts_as_openpyxl_converts_an_xlsx_one(
    serial: float, epoch: dt.datetime, duration: bool, value: Any
) -> None:
    assert _xls_date(serial, epoch, duration) == value


# -- one batch per sheet (needs the loader on read_tables) ---------------------------------


def test_each_data_sheet_of_an_xls_in_the_inbox_lands_as_its_own_batch(warehouse) -> None:
    warehouse.copy_fixture("valid/workbooks/two_schools.xls")

    results = warehouse.load()

    assert [(r.file, r.outcome, r.rows_read, r.rows_loaded, r.rows_rejected) for r in results] == [
        ("two_schools.xls#一校", "loaded", 3, 2, 1),
        ("two_schools.xls#二校", "loaded", 2, 2, 0),
    ]
    assert [
        (b["file"], b["detected"]["sheet"], b["detected"]["total_rows"])
        for b in warehouse.manifest()
    ] == [
        ("two_schools.xls#一校", "一校", 1),
        ("two_schools.xls#二校", "二校", 1),
    ]
    (reject,) = warehouse.rejects(results[0].batch_id)
    assert (reject["source_line"], reject["reason"], reject["reason_column"]) == (
        7,
        "missing_hours",
        "时长",
    )
    assert warehouse.load() == [
        type(r)(
            r.file, "unchanged", r.kind, r.rows_read, r.rows_loaded, r.rows_rejected, r.batch_id
        )
        for r in results
    ]


def test_a_workbook_reloaded_with_one_sheet_supersedes_all_its_sheets(warehouse) -> None:
    warehouse.copy_fixture("valid/workbooks/two_schools.xls", "log.xls")
    first = warehouse.load()
    _workbook(warehouse.inbox / "log.xls", {"二校": SCHOOL_2}, {})

    (again,) = warehouse.load()

    assert (again.file, again.outcome, again.rows_loaded) == ("log.xls", "replaced", 2)
    manifest = warehouse.manifest()
    assert [(b["file"], b["superseded_by"]) for b in manifest] == [
        ("log.xls#一校", again.batch_id),
        ("log.xls#二校", again.batch_id),
        ("log.xls", None),
    ]
    assert {r.batch_id for r in first} == {b["batch_id"] for b in manifest[:2]}


def test_a_csv_total_row_count_reaches_the_manifest(warehouse) -> None:
    warehouse.write(
        "totals.csv",
        ["人员编号", "单位", "日期", "时长", "活动类型"],
        [["T001", "第一中学", "2025-03-05", "2", "党员活动日"], ["合计", "", "", "2", ""]],
    )

    assert warehouse.load_one().rows_read == 1
    assert warehouse.manifest()[0]["detected"]["total_rows"] == 1
