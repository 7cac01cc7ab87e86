"""Export formats without a warehouse: formula-injection escaping in CSV and xlsx,
sheet names, and how suppressed and empty cells are written."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from export.district_monthly import COLUMNS, Period, csv_bytes
from export.formatting import SUPPRESSED, escape_text
from export.returns_model import FileReturn, Finding, Reject
from export.returns_workbook import workbook_bytes as return_bytes
from export.tables import ORG_COLUMNS, Tables, UnitRow
from export.workbook import sheet_title, workbook_bytes
from kernel.formatting import percent


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ('=HYPERLINK("http://x","点我")', '\'=HYPERLINK("http://x","点我")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("第一中学", "第一中学"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
    ],
)
def test_formula_starts_are_escaped(text: str | None, escaped: str) -> None:
    assert escape_text(text) == escaped


def test_percent_is_half_up_from_the_exact_share() -> None:
    # 1/8 = 12.5% exactly; 2/3 = 66.666..% -> 66.67%; 1/200 = 0.5%; 0/0 -> empty
    assert percent(1, 8) == "12.50%"
    assert percent(2, 3) == "66.67%"
    assert percent(1, 200) == "0.50%"
    assert percent(0, 0) == ""


def _row(code: str, name: str, month: str, org: str | None = None) -> UnitRow:
    labels = {"district_code": code, "district_name": name, "month": month}
    if org is not None:
        labels |= {
            "org_code": org,
            "org_name": "=cmd|' /C calc'!A0",
            "org_type": "school",
            "parent_org_code": "",
        }
    values = {
        "roster_size": 12,
        "active_members": SUPPRESSED,
        "participation_rate": SUPPRESSED,
        "volunteers": 0,
        "person_times": 7,
        "total_hours": Decimal("10.50"),
        "volunteer_service_hours": Decimal("0.00"),
        "avg_hours_per_volunteer": None,
        "activity_day_coverage": Decimal("0.1250"),
        "events_logged": 2,
        "events_reported": 1,
        "events_held": 3,
        "reported_person_times": 25,
        "reported_hours": Decimal("37.50"),
    }
    return UnitRow(labels, values, {})


def _tables() -> Tables:
    districts = [_row("D09", "@第九协作区", "2025-07")]
    organizations = [_row("D09", "@第九协作区", "2025-07", org="-S9")]
    return Tables(Period("2025-07", "2025-07"), districts, organizations, 0, 5)


def test_csv_cells_are_escaped_and_markers_written() -> None:
    tables = _tables()
    text = csv_bytes(tables.organization_csv_rows(), ORG_COLUMNS).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1] == [
        "D09",
        "'@第九协作区",
        "'-S9",
        "'=cmd|' /C calc'!A0",
        "school",
        "",
        "2025-07",
        "12",
        "*",
        "*",
        "0",
        "7",
        "10.50",
        "0.00",
        "",
        "0.1250",
        "2",
        "1",
        "3",
        "25",
        "37.50",
    ]
    districts = csv_bytes(tables.district_csv_rows(), COLUMNS).decode("utf-8")
    assert districts.splitlines()[1] == (
        "D09,'@第九协作区,2025-07,12,*,*,0,7,10.50,0.00,,0.1250,2,1,3,25,37.50"
    )


def _formula_cells(book: openpyxl.Workbook) -> list[str]:
    """Every cell of ``book`` that holds a formula, as sheet!coordinate."""
    return [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def test_workbook_cells_are_text_never_formulas(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    path.write_bytes(workbook_bytes(_tables()))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["汇总", "D09 @第九协作区"]
    unit = book["D09 @第九协作区"]
    assert [c.value for c in unit[3][:4]] == ["D09", "'@第九协作区", "'-S9", "'=cmd|' /C calc'!A0"]
    assert _formula_cells(book) == []
    assert unit["I3"].value == "*" and unit["I3"].data_type == "s"
    assert unit["O3"].value is None  # an empty ratio stays empty


def test_workbook_names_organization_types_in_chinese(tmp_path: Path) -> None:
    """The workbook is read in Chinese: its type column says 学校, not ``school`` (the
    CSV file above keeps the code, for machines); a type no seed names stays a code."""
    tables = _tables()
    tables.organizations.append(_row("D09", "@第九协作区", "2025-07", org="B1"))
    tables.organizations[-1].labels["org_type"] = "branch"
    tables.organizations.append(_row("D09", "@第九协作区", "2025-07", org="JG"))
    tables.organizations[-1].labels["org_type"] = "office"
    tables.organizations.append(_row("D09", "@第九协作区", "2025-07", org="X1"))
    tables.organizations[-1].labels["org_type"] = "mystery"
    path = tmp_path / "book.xlsx"
    path.write_bytes(workbook_bytes(tables))
    unit = openpyxl.load_workbook(path)["D09 @第九协作区"]
    assert (unit["E1"].value, unit["E2"].value) == ("组织类型", "org_type")
    assert [unit.cell(row=r, column=5).value for r in range(3, 7)] == [
        "学校",
        "党支部",
        "机关",
        "mystery",
    ]


def test_sheet_titles_are_valid_excel_names() -> None:
    assert sheet_title("D01", "城东协作区") == "D01 城东协作区"
    assert sheet_title("D/2", "a[b]:c*d?e\\f") == "D_2 a_b__c_d_e_f"
    assert len(sheet_title("D" * 20, "很长的名字" * 5)) == 31


def test_return_cells_are_text_never_formulas_links_or_numbers(tmp_path: Path) -> None:
    """A school's values go into its return as the text it wrote: a formula start gets
    its ' (as in the CSV files), a link stays text, digits stay a text with their zeros;
    line numbers and counts are numbers."""
    item = FileReturn(
        batch_id="b1",
        source_file="logs/=evil.csv",
        batch_kind="activity",
        loaded_at=dt.datetime(2025, 3, 5, 8, 30, 14, 123456),
        rows_read=4,
        rows_loaded=1,
        rows_rejected=3,
        rejects=[
            Reject(2, "bad_hours", "服务时长", "=cmd|' /C calc'!A0"),
            Reject(3, "bad_date", "活动日期", "http://x.example/a"),
            Reject(4, "bad_hours", "服务时长", "0012"),
        ],
        findings={
            "unknown_organization": [
                Finding("@SUM(A1)", "-第九中学", 1, (5,), "code_not_found"),
            ]
        },
    )
    path = tmp_path / "return.xlsx"
    path.write_bytes(return_bytes(item))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["退回明细", "未知组织", "说明"]
    rejects = book["退回明细"]
    assert [(c.value, c.data_type) for c in rejects["A"][1:]] == [(2, "n"), (3, "n"), (4, "n")]
    assert [(c.value, c.data_type) for c in rejects["D"][1:]] == [
        ("'=cmd|' /C calc'!A0", "s"),
        ("http://x.example/a", "s"),
        ("0012", "s"),
    ]
    assert [c.hyperlink for c in rejects["D"][1:]] == [None, None, None]
    unknown = book["未知组织"]
    assert [c.value for c in unknown[2][:5]] == [
        "'@SUM(A1)",
        "'-第九中学",
        "单位名单中没有这个组织编码",
        1,
        "5",
    ]
    notes = book["说明"]
    assert [c.value for c in notes["B"][1:3]] == ["logs/=evil.csv", "2025-03-05 08:30:14 (UTC)"]
    assert _formula_cells(book) == []
    # the same return twice is the same bytes: stamped with its load time
    assert return_bytes(item) == path.read_bytes()
    core = openpyxl.load_workbook(path).properties
    assert core.created == dt.datetime(2025, 3, 5, 8, 30, 14)
