"""Collection templates (``export/templates.py``) on the first-slice snapshot: the files,
the header ingest maps, every drop-down and bound, and a filled template loaded by the
real ingest with no rejects (an untouched one loads nothing).

The fixture's organizations (tests/fixtures/valid/first_slice_inbox/organizations.csv):
school S01 with branches B011 and B012, school S02 without branches, office O01. The
activity types: the 18 of seeds/activity_types.csv (the fixture adds none), in its order.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import duckdb
import openpyxl
import pytest
from openpyxl.utils.datetime import from_excel

from export.cli import main
from export.template_book import Unit, template_bytes, workbook_bytes
from export.templates import file_name
from ingest.excel import read_workbook
from ingest.headers import STANDARD
from tests.conftest import Warehouse, empty_warehouse

pytestmark = pytest.mark.integration

MONTH = "2025-04"
HEADER = [
    "人员编号",
    "姓名",
    "组织编码",
    "活动日期",
    "开始时间",
    "结束时间",
    "服务时长",
    "活动类型",
    "活动名称",
    "活动地点",
    "报到社区",
    "状态",
]
TYPES = [
    "党员活动日",
    "支部党员大会",
    "支委会",
    "党小组会",
    "党课",
    "便民利民",
    "扶贫帮困",
    "治安维稳",
    "文体娱乐",
    "交通安全",
    "环境保护",
    "教育咨询",
    "双报到",
    "家访",
    "结对帮扶",
    "支教",
    "走访慰问",
    "集中培训",
]
CODES = {"S01": ["S01", "B011", "B012"], "S02": ["S02"], "O01": ["O01"]}


def _templates(warehouse: Warehouse, *args: str) -> tuple[int, str, str]:
    """``python -m export templates ARGS`` on ``warehouse``, in this process (a second
    python would take a few seconds to start): exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["templates", *args, "--warehouse", str(warehouse.root)])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def templates(first_slice: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``python -m export templates --month 2025-04`` on the first-slice snapshot."""
    out = tmp_path_factory.mktemp("templates") / "outbox"
    code, said, _ = _templates(first_slice, "--month", MONTH, "--out", str(out))
    assert code == 0
    assert said.startswith(f"wrote 3 templates for {MONTH} to {out}/templates/ in ")
    return out / "templates"


def _validations(sheet) -> dict[str, object]:
    """The sheet's data validations by the column letter they cover."""
    found = {}
    for validation in sheet.data_validations.dataValidation:
        (ranges,) = str(validation.sqref).split()
        first, last = ranges.split(":")
        assert (first[1:], last[1:]) == ("2", "501"), ranges  # 500 rows under the header
        assert first[0] == last[0]
        found[first[0]] = validation
    return found


def _listed(book, formula: str) -> list[str]:
    """The values a list validation's ``'sheet'!$A$2:$A$n`` formula offers."""
    sheet_name, cells = formula.split("!")
    sheet = book[sheet_name.strip("'")]
    return [cell.value for row in sheet[cells.replace("$", "")] for cell in row]


def test_one_file_per_school_and_office_named_by_code_and_month(
    first_slice: Warehouse, templates: Path
) -> None:
    names = sorted(p.name for p in templates.iterdir())
    assert names == ["O01_2025-04.xlsx", "S01_2025-04.xlsx", "S02_2025-04.xlsx", "manifest.json"]
    manifest = json.loads((templates / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["month"] == MONTH
    assert manifest["digest"] == first_slice.query("select digest from _snapshot")[0][0]
    assert sorted(manifest["files"]) == names[:3]
    # the same snapshot and month give the same bytes: make export's own, for the month
    # after its period (2025-01 to 2025-03), are these files
    exported = json.loads((first_slice.exports / "manifest.json").read_text(encoding="utf-8"))
    for name in names[:3]:
        assert manifest["files"][name] == exported["files"][f"templates/{name}"]
    (as_of,) = first_slice.query("select as_of from _snapshot")[0]
    book = openpyxl.load_workbook(templates / "S01_2025-04.xlsx")
    assert book.properties.created == book.properties.modified == as_of.replace(microsecond=0)
    assert templates.is_symlink()  # published in one switch, as an export is


def test_an_exports_folder_is_refused_and_the_default_month_follows_the_cut_off(
    first_slice: Warehouse, tmp_path: Path
) -> None:
    code, said, err = _templates(first_slice, "--out", str(first_slice.exports))
    assert (code, said) == (1, "")
    assert err == (
        f"error: OUT={first_slice.exports} is an export's folder, and its templates/ are the "
        "export's own (make export writes them, for the month after its period); give make "
        "templates another OUT, e.g. outbox\n"
    )
    # the export's own: the month after its period (2025-01 to 2025-03)
    assert sorted(p.name for p in (first_slice.exports / "templates").iterdir()) == [
        "O01_2025-04.xlsx",
        "S01_2025-04.xlsx",
        "S02_2025-04.xlsx",
    ]
    code, written, _ = _templates(first_slice, "--out", str(tmp_path))
    assert code == 0
    # the cut-off is the newest load's time: the templates collect the month after it
    (as_of,) = first_slice.query("select as_of from _snapshot")[0]
    year, month = as_of.year + as_of.month // 12, as_of.month % 12 + 1
    assert f" templates for {year}-{month:02d} to " in written
    assert (tmp_path / "templates" / f"S01_{year}-{month:02d}.xlsx").is_file()


def test_the_header_is_the_activity_logs_and_every_column_maps(templates: Path) -> None:
    book = openpyxl.load_workbook(templates / "S01_2025-04.xlsx")
    assert book.sheetnames == ["活动记录", "填表说明", "可选值"]
    assert book["可选值"].sheet_state == "hidden"
    sheet = book["活动记录"]
    assert [cell.value for cell in sheet[1]] == HEADER
    assert sheet.freeze_panes == "A2"
    mapped = STANDARD.map(HEADER)
    assert mapped.unmapped == [] and mapped.duplicates == []
    assert list(mapped.columns) == [
        "person_id",
        "person_name",
        "org_code",
        "activity_date",
        "start_time",
        "end_time",
        "hours",
        "activity_type",
        "activity_title",
        "location",
        "community",
        "status",
    ]
    assert STANDARD.detect_kind(set(mapped.columns)) == "activity"
    formats = {letter: sheet.column_dimensions[letter].number_format for letter in "ADEG"}
    assert formats == {"A": "@", "D": "yyyy-mm-dd", "E": "hh:mm", "G": "0.00"}


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_drop_down_and_bound(first_slice: Warehouse, templates: Path, code: str) -> None:
    book = openpyxl.load_workbook(templates / f"{code}_2025-04.xlsx")
    found = _validations(book["活动记录"])
    assert sorted(found) == ["C", "D", "E", "F", "G", "H", "L"]
    published = first_slice.query(
        "select name_zh from dim_activity_types "
        "where activity_type_code not in ('other', 'unknown')"
    )
    assert sorted(_listed(book, found["H"].formula1)) == sorted(name for (name,) in published)
    assert _listed(book, found["H"].formula1) == TYPES
    assert _listed(book, found["C"].formula1) == CODES[code]
    date = found["D"]
    assert (date.type, date.operator) == ("date", "between")
    bounds = [from_excel(float(date.formula1)), from_excel(float(date.formula2))]
    assert bounds == [dt.datetime(2025, 4, 1), dt.datetime(2025, 4, 30)]
    hours = found["G"]
    assert (hours.type, hours.operator, hours.formula1, hours.formula2) == (
        "decimal",
        "between",
        "0.01",
        "24",
    )
    assert (found["L"].type, found["L"].formula1) == ("list", '"已认定,待审核"')
    assert [found[c].type for c in "EF"] == ["time", "time"]
    for validation in found.values():
        assert validation.showErrorMessage and validation.showInputMessage
        assert validation.error and validation.prompt and validation.errorTitle
    guide = book["填表说明"]
    texts = [cell.value for row in guide.iter_rows() for cell in row if cell.value]
    assert "本单位可填的组织编码：" in texts
    assert any("以同一文件名重新报送" in text for text in texts)
    assert any("2025-04-01 至 2025-04-30" in text for text in texts)


def _fill(path: Path) -> None:
    """Two rows of values the template's own drop-downs offer."""
    book = openpyxl.load_workbook(path)
    sheet = book["活动记录"]
    found = _validations(sheet)
    codes = _listed(book, found["C"].formula1)
    types = _listed(book, found["H"].formula1)
    statuses = found["L"].formula1.strip('"').split(",")
    sheet.append(["T001", "张三", codes[1], dt.date(2025, 4, 15), None, None, 2.5, types[0]])
    sheet.append(
        [
            "T002",
            None,
            codes[-1],
            dt.date(2025, 4, 30),
            dt.time(8, 30),
            dt.time(11, 0),
            2.5,
            types[-1],
            "四月培训",
            "会议室",
            None,
            statuses[1],
        ]
    )
    book.save(path)


def test_only_the_data_sheet_is_a_table_for_ingest(templates: Path, tmp_path: Path) -> None:
    filled = tmp_path / "S01_2025-04.xlsx"
    shutil.copy(templates / "S01_2025-04.xlsx", filled)
    _fill(filled)
    (table,) = read_workbook(filled)
    assert (table.detected["sheet"], table.kind, table.headers) == ("活动记录", "activity", HEADER)
    assert table.detected["skipped_sheets"] == [
        {"sheet": "填表说明", "reason": "no recognisable header"},
        {"sheet": "可选值", "reason": "no recognisable header"},
    ]
    assert "warnings" not in table.detected


def test_a_filled_template_loads_with_no_rejects_and_an_untouched_one_loads_nothing(
    first_slice: Warehouse, templates: Path, tmp_path: Path
) -> None:
    # the first slice's lake, copied: its organizations, people and types are known
    warehouse = empty_warehouse(tmp_path)
    shutil.copytree(first_slice.root / "lake", warehouse.root / "lake")
    inbox = warehouse.inbox / "templates"
    inbox.mkdir(parents=True)
    shutil.copy(templates / "S01_2025-04.xlsx", inbox)
    _fill(inbox / "S01_2025-04.xlsx")
    shutil.copy(templates / "S02_2025-04.xlsx", inbox)  # as sent back untouched

    run = warehouse.run("ingest", "--inbox", str(warehouse.inbox), "--json", check=False)

    results = {r["file"]: r for r in json.loads(run.stdout)}
    filled = results["templates/S01_2025-04.xlsx"]
    assert (filled["outcome"], filled["kind"]) == ("loaded", "activity")
    assert (filled["rows_read"], filled["rows_loaded"], filled["rows_rejected"]) == (2, 2, 0)
    assert filled["warnings"] == []
    landed = duckdb.connect().execute(
        "select source_line, org_code, activity_date, start_time, session_minutes, "
        "activity_type, activity_title, location, status, is_status_known "
        "from read_parquet(?) order by source_line",
        [str(warehouse.root / "lake" / "activity" / f"{filled['batch_id']}.parquet")],
    )
    assert landed.fetchall() == [
        (2, "B011", dt.date(2025, 4, 15), None, 150, "党员活动日", None, None, "approved", True),
        (
            3,
            "B012",
            dt.date(2025, 4, 30),
            dt.time(8, 30),
            150,
            "集中培训",
            "四月培训",
            "会议室",
            "pending",
            True,
        ),
    ]
    untouched = results["templates/S02_2025-04.xlsx"]
    assert (untouched["outcome"], untouched["rows_read"], untouched["rows_loaded"]) == (
        "failed",
        0,
        0,
    )
    assert (
        untouched["message"]
        == "templates/S02_2025-04.xlsx：文件只有表头，没有数据行；未加载任何数据"
    )
    assert sorted(results) == ["templates/S01_2025-04.xlsx", "templates/S02_2025-04.xlsx"]


def test_each_units_copy_equals_the_workbook_drawn_for_it() -> None:
    # the fast copy (placeholders replaced) against openpyxl's own drawing of the unit;
    # a name with the characters XML escapes
    name = "第七中学<分校>&"
    unit = Unit("S07", name, ("S07", "B071", "B072"), (name, "一支部", "二"))
    copied = openpyxl.load_workbook(io.BytesIO(template_bytes(unit, "2024-02", TYPES)))
    drawn = openpyxl.load_workbook(io.BytesIO(workbook_bytes(unit, "2024-02", TYPES)))
    assert copied.sheetnames == drawn.sheetnames
    for sheet in drawn.sheetnames:
        assert [[c.value for c in row] for row in copied[sheet].iter_rows()] == [
            [c.value for c in row] for row in drawn[sheet].iter_rows()
        ]
    assert copied.properties.title == f"{name}2024年2月活动记录报送模板"
    assert copied["填表说明"]["A1"].value == f"{name}（S07）2024年2月活动记录报送模板 填表说明"
    codes = [copied["可选值"].cell(row=r, column=2).value for r in (2, 3, 4)]
    assert codes == ["S07", "B071", "B072"]
    bounds = _validations(copied["活动记录"])["D"]
    assert (from_excel(float(bounds.formula1)), from_excel(float(bounds.formula2))) == (
        dt.datetime(2024, 2, 1),
        dt.datetime(2024, 2, 29),  # a leap year
    )


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("S01", "S01_2025-04.xlsx"),
        ("../S01", "_._S01_2025-04.xlsx"),  # never a file outside the folder
        ("a/b\\c:d", "a_b_c_d_2025-04.xlsx"),
        (".S01", "_S01_2025-04.xlsx"),  # nor a hidden one
    ],
)
def test_a_code_always_names_a_file_in_the_folder(code: str, name: str) -> None:
    assert file_name(Unit(code, "", (code,), ("",)), MONTH) == name
