"""The files of `make export` on the first-slice warehouse: organization_monthly.csv,
district_stats.xlsx, reports/<district>.pdf, suppression and the atomic folder.

Figures are worked out by hand from tests/fixtures/valid/first_slice_inbox (see
tests/test_pipeline.py for the district level); the unit-level reasoning is below.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from PIL import Image

from tests.conftest import Warehouse

pytestmark = pytest.mark.integration

HEADER = (
    "district_code,district_name,org_code,org_name,org_type,parent_org_code,month,"
    "roster_size,active_members,participation_rate,volunteers,person_times,total_hours,"
    "volunteer_service_hours,avg_hours_per_volunteer,activity_day_coverage,"
    "events_logged,events_reported,events_held,reported_person_times,reported_hours"
)
# Unsuppressed (SUPPRESS=0). Roster: B011 T001 T002; B012 T003 (left 2025-01-31) T008;
# S02 T004 (joined 2025-02-10) T005; O01 T006; unknown T007. S01 includes B011 + B012.
# Activities held: every session of the fixture is an activity of its own (no two share
# organization, date, type and title), so events_logged is the row's person-times, and
# there are no event summaries (events_reported, reported person-times and hours 0).
ORGANIZATIONS_COMPLETE = [
    # Jan: T001 120 min activity day + T002 150 min 便民利民 at B011 -> 270 = 4.50 h,
    # service 2.50, avg 270/120 = 2.25; both active; B011 held its activity day.
    "D01,城东协作区,B011,第一中学语文组党支部,branch,S01,2025-01,2,2,1.0000,2,2,4.50,2.50,2.25,1.0000,2,0,2,0,0.00",
    # Feb: T001 180 min 双报到 at B011; T002 is active (支委会 at B012)
    "D01,城东协作区,B011,第一中学语文组党支部,branch,S01,2025-02,2,2,1.0000,1,1,3.00,3.00,3.00,0.0000,1,0,1,0,0.00",
    # Mar: nobody reports at B011; T001 (at S02) and T002 (at B099) are active elsewhere
    "D01,城东协作区,B011,第一中学语文组党支部,branch,S01,2025-03,2,2,1.0000,0,0,0.00,0.00,,0.0000,0,0,0,0,0.00",
    # Jan: T003 90 min 党课 (its GB18030 copy removed); roster T003 T008, 1 active
    "D01,城东协作区,B012,第一中学数学组党支部,branch,S01,2025-01,2,1,0.5000,1,1,1.50,0.00,1.50,0.0000,1,0,1,0,0.00",
    # Feb: T002 63 min 支委会 (1.05 h); roster T008 only (T003 left), not active
    "D01,城东协作区,B012,第一中学数学组党支部,branch,S01,2025-02,1,0,0.0000,1,1,1.05,0.00,1.05,0.0000,1,0,1,0,0.00",
    "D01,城东协作区,B012,第一中学数学组党支部,branch,S01,2025-03,1,0,0.0000,0,0,0.00,0.00,,0.0000,0,0,0,0,0.00",
    # S01 = its branches: the D01 rows of tests/test_pipeline.py
    "D01,城东协作区,S01,第一中学,school,,2025-01,4,3,0.7500,3,3,6.00,2.50,2.00,0.5000,3,0,3,0,0.00",
    "D01,城东协作区,S01,第一中学,school,,2025-02,3,2,0.6667,2,2,4.05,3.00,2.03,0.0000,2,0,2,0,0.00",
    "D01,城东协作区,S01,第一中学,school,,2025-03,3,2,0.6667,0,0,0.00,0.00,,0.0000,0,0,0,0,0.00",
    # O01 (an office: no branch unit, coverage empty): T006 on its roster; in March
    # 120 min 植树活动 (category other)
    "D02,城西协作区,O01,教育局机关,office,,2025-01,1,0,0.0000,0,0,0.00,0.00,,,0,0,0,0,0.00",
    "D02,城西协作区,O01,教育局机关,office,,2025-02,1,0,0.0000,0,0,0.00,0.00,,,0,0,0,0,0.00",
    "D02,城西协作区,O01,教育局机关,office,,2025-03,1,1,1.0000,1,1,2.00,0.00,2.00,,1,0,1,0,0.00",
    # S02: Jan T005 180 min 集中培训; Feb T004 (joined) 120 min activity day; Mar T001
    # 60 activity day, T005 120 交通安全, T004 75 环境保护, 路人甲 60 文体娱乐 = 315 min
    # = 5.25 h, service 255 = 4.25, 4 volunteers, avg 315/240 = 1.3125 -> 1.31
    "D02,城西协作区,S02,第二小学,school,,2025-01,1,1,1.0000,1,1,3.00,0.00,3.00,0.0000,1,0,1,0,0.00",
    "D02,城西协作区,S02,第二小学,school,,2025-02,2,1,0.5000,1,1,2.00,0.00,2.00,1.0000,1,0,1,0,0.00",
    "D02,城西协作区,S02,第二小学,school,,2025-03,2,2,1.0000,4,4,5.25,4.25,1.31,1.0000,4,0,4,0,0.00",
    # unknown (March only): T002 120 min 交通安全 at B099; T007 on the roster, inactive
    "unknown,未归属区域,unknown,未知单位,unknown,,2025-03,1,0,0.0000,1,1,2.00,2.00,2.00,,1,0,1,0,0.00",
]


# Complementary cells at k=5, worked out by hand. Groups: D01 = S01; S01 = its own
# people + B011 + B012; D02 = O01 + S02; unknown = the unknown org. District totals
# stay published (district_monthly.csv is complete by default), so a group with one
# hidden unit hides another unit, the smallest (a zero one when no other is left).
# In January and February S02 has 1 active member and 1 volunteer (hidden) while O01
# has 0 of each: alone, S02's would equal D02's published figure, so O01's zeros are
# hidden too. Every other group already holds 0 or at least 2 hidden cells, except
# D01 = S01 and unknown = unknown, whose only unit cannot be protected.
COMPLEMENTARY = {
    ("O01", "2025-01"): {"active", "volunteers"},
    ("O01", "2025-02"): {"active", "volunteers"},
}


def _suppressed(line: str, k: int) -> str:
    """The same row with every people count in (0, k) hidden, the complementary cells
    above, and what derives from them: participation_rate from roster_size and
    active_members, the average from volunteers."""
    cells = line.split(",")
    extra = COMPLEMENTARY.get((cells[2], cells[6]), set())
    hidden = {
        name: 0 < int(cells[index]) < k or name in extra
        for name, index in (("roster", 7), ("active", 8), ("volunteers", 10))
    }
    if hidden["roster"]:
        cells[7] = "*"
    if hidden["active"]:
        cells[8] = "*"
    if hidden["roster"] or hidden["active"]:
        cells[9] = "*"
    if hidden["volunteers"]:
        cells[10] = "*"
        cells[14] = "*"
    return ",".join(cells)


@pytest.fixture(scope="module")
def complete(first_slice: Warehouse) -> Path:
    out = first_slice.exports.parent / "complete"
    first_slice.run("export", "--out", str(out), "--suppress", "0", "--no-pdf")
    return out


def _csv_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_organization_monthly_complete_equals_hand_worked_figures(complete: Path) -> None:
    lines = _csv_lines(complete / "organization_monthly.csv")
    assert lines[0] == HEADER
    order = ["B011", "B012", "S01", "O01", "S02", "unknown"]  # the CSV: S01 then branches
    expected = sorted(
        ORGANIZATIONS_COMPLETE,
        key=lambda line: (line.split(",")[0], _path(line.split(",")), line.split(",")[6]),
    )
    assert lines[1:] == expected
    assert {line.split(",")[2] for line in lines[1:]} == set(order)


def _path(cells: list[str]) -> str:
    return f"{cells[5]} / {cells[2]}" if cells[5] else cells[2]


def test_organization_monthly_hides_counts_under_5_by_default(first_slice: Warehouse) -> None:
    lines = _csv_lines(first_slice.exports / "organization_monthly.csv")
    complete_rows = {tuple(line.split(",")[:7]): line for line in ORGANIZATIONS_COMPLETE}
    got = {tuple(line.split(",")[:7]): line for line in lines[1:]}
    assert got.keys() == complete_rows.keys()
    for key, line in complete_rows.items():
        assert got[key] == _suppressed(line, 5), key
    # a spot check written out: B012 in February has 1 on its roster and 0 active
    assert got[
        ("D01", "城东协作区", "B012", "第一中学数学组党支部", "branch", "S01", "2025-02")
    ] == (
        "D01,城东协作区,B012,第一中学数学组党支部,branch,S01,2025-02,*,0,*,*,1,1.05,0.00,*,0.0000,"
        "1,0,1,0,0.00"
    )


def test_district_monthly_stays_complete_by_default(first_slice: Warehouse) -> None:
    from tests.test_pipeline import EXPECTED_CSV

    assert (first_slice.exports / "district_monthly.csv").read_text("utf-8") == EXPECTED_CSV


def _published_counts(path: Path, columns: tuple[str, ...]) -> list[int]:
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    return [int(row[c]) for row in rows for c in columns if row[c] != "*"]


@pytest.mark.parametrize("k", [2, 3, 5])
def test_with_suppress_k_no_published_count_lies_in_0_k(first_slice: Warehouse, k: int) -> None:
    out = first_slice.exports.parent / f"suppress_{k}"
    first_slice.run("export", "--out", str(out), "--suppress", str(k), "--no-pdf")
    people = ("roster_size", "active_members", "volunteers")
    for name in ("district_monthly.csv", "organization_monthly.csv"):
        counts = _published_counts(out / name, people)
        assert counts, name  # something is published to check
        assert [c for c in counts if 0 < c < k] == [], name
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["suppression"] == {"k_districts": k, "k_units": k, "marker": "*"}
    district = _csv_lines(out / "district_monthly.csv")
    if k == 5:  # every district count of the fixture is below 5 or 0
        # activities are never suppressed (they count activities, not people)
        assert district[1] == "D01,城东协作区,2025-01,*,*,*,*,3,6.00,2.50,*,0.5000,3,0,3,0,0.00"


# --- the workbook -------------------------------------------------------------------

ZH_DISTRICT = [
    "区域编码",
    "区域名称",
    "月份",
    "在册人数",
    "参与人数",
    "参与率",
    "志愿者人数",
    "人次",
    "总时长(小时)",
    "志愿服务时长(小时)",
    "人均时长(小时)",
    "党员活动日覆盖率",
    "记录活动场次",
    "汇总表活动场次",
    "活动场次",
    "汇总表参与人次",
    "汇总表服务时长(小时)",
]
ZH_UNITS = [*ZH_DISTRICT[:2], "组织编码", "组织名称", "组织类型", "上级组织编码", *ZH_DISTRICT[2:]]
FORMATS = {
    "roster_size": "#,##0",
    "active_members": "#,##0",
    "volunteers": "#,##0",
    "person_times": "#,##0",
    "participation_rate": "0.00%",
    "total_hours": "#,##0.00",
    "volunteer_service_hours": "#,##0.00",
    "avg_hours_per_volunteer": "#,##0.00",
    "activity_day_coverage": "0.00%",
    "events_logged": "#,##0",
    "events_reported": "#,##0",
    "events_held": "#,##0",
    "reported_person_times": "#,##0",
    "reported_hours": "#,##0.00",
}


def _same_figure(text: str, cell: object) -> bool:
    if text == "":
        return cell is None
    if text == "*":
        return cell == "*"
    if re.fullmatch(r"-?\d+", text):
        return isinstance(cell, int) and cell == int(text)
    if re.fullmatch(r"-?\d+\.\d+", text):
        # a whole number of hours (6.00) is stored as 6.0, which openpyxl reads back as 6
        return isinstance(cell, int | float) and cell == float(text)
    return cell == text


# the first slice's organization types, as the workbook names them (seeds)
ORG_TYPE_NAMES = {"school": "学校", "branch": "党支部", "office": "机关", "unknown": "未知"}


def _check_sheet(sheet: Worksheet, csv_rows: list[list[str]], header_zh: list[str]) -> None:
    header_en = csv_rows[0]
    width = len(header_en)
    assert [c.value for c in sheet[1][:width]] == header_zh
    assert [c.value for c in sheet[2][:width]] == header_en
    assert sheet.freeze_panes == "A3"
    body = csv_rows[1:]
    for r, row in enumerate(body, start=3):
        cells = sheet[r][:width]
        for text, cell, column in zip(row, cells, header_en, strict=True):
            if column == "org_type":  # the CSV's code, by its name in the workbook
                text = ORG_TYPE_NAMES[text]
            assert _same_figure(text, cell.value), (sheet.title, r, column, text, cell.value)
            if column in FORMATS:
                assert cell.number_format == FORMATS[column], (sheet.title, column)
    # nothing below the table in its columns
    assert all(c.value is None for c in sheet[3 + len(body)][:width])
    assert len(sheet._charts) == 1
    for index in range(1, width + 1):
        letter = openpyxl.utils.get_column_letter(index)
        assert sheet.column_dimensions[letter].width >= 8


def test_workbook_equals_the_csv_files_figure_by_figure(first_slice: Warehouse) -> None:
    book = openpyxl.load_workbook(first_slice.exports / "district_stats.xlsx")
    assert book.sheetnames == [
        "汇总",
        "D01 城东协作区",
        "D02 城西协作区",
        "D03 高新协作区",
        "unknown 未归属区域",
    ]
    districts = list(
        csv.reader(
            io.StringIO((first_slice.exports / "district_monthly.csv").read_text(encoding="utf-8"))
        )
    )
    units = list(
        csv.reader(
            io.StringIO(
                (first_slice.exports / "organization_monthly.csv").read_text(encoding="utf-8")
            )
        )
    )
    _check_sheet(book["汇总"], districts, ZH_DISTRICT)
    for title in book.sheetnames[1:]:
        code = title.split(" ")[0]
        rows = [units[0]] + [row for row in units[1:] if row[0] == code]
        _check_sheet(book[title], rows, ZH_UNITS)
    # a district without units: its two header rows, and beside them the chart's block,
    # a title row then one row per month the district has in district_monthly.csv
    d03_months = len([row for row in districts[1:] if row[0] == "D03"])
    assert d03_months == 3  # January to March, as every district
    assert book["D03 高新协作区"].max_row == 1 + d03_months
    # a figure read by hand: D02's March hours on the summary sheet (435 min = 7.25 h)
    summary = book["汇总"]
    march = [
        r
        for r in summary.iter_rows(min_row=3, values_only=True)
        if r[:3] == ("D02", "城西协作区", "2025-03")
    ]
    assert march[0][8] == 7.25


# --- the PDF reports ------------------------------------------------------------------


def _pdftotext(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_every_district_has_a_report(first_slice: Warehouse) -> None:
    reports = sorted(p.name for p in (first_slice.exports / "reports").iterdir())
    assert reports == ["D01.pdf", "D02.pdf", "D03.pdf", "unknown.pdf"]
    manifest = json.loads((first_slice.exports / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["files"]) == sorted(
        ["district_monthly.csv", "organization_monthly.csv", "district_stats.xlsx"]
        + ["submissions.csv"]
        + [f"reports/{name}" for name in reports]
        + ["bureau_monthly.csv"]
        + [f"briefings/{code}.docx" for code in ("D01", "D02", "D03", "bureau")]
        # the period ends 2025-03: the templates collect 2025-04 (export/templates.py)
        + [f"templates/{code}_2025-04.xlsx" for code in ("O01", "S01", "S02")]
        # s01 has rejects, an unknown org, an unmapped label, an unknown status word;
        # s02 two copies not kept (tests/export/test_returns.py checks the returns)
        + ["returns/index.csv", "returns/logs__s01_2025q1.csv.xlsx"]
        + ["returns/logs__s02_2025q1_gb18030.csv.xlsx"]
    )


def test_report_text_holds_the_district_headline_figures(first_slice: Warehouse) -> None:
    text = _pdftotext(first_slice.exports / "reports" / "D02.pdf")
    flat = re.sub(r"\s+", " ", text)
    assert "城西协作区 志愿服务与组织生活月报（2025年3月）" in flat
    # March against February, from the hand-worked D02 rows of tests/test_pipeline.py:
    # hours 435 vs 120 min; service 255 vs 0; person-times 5 vs 1; volunteers 5 vs 1;
    # roster 3 vs 3; active 3 vs 1; participation 3/3 vs 1/3; avg 435/300 vs 120/60 min.
    hours_now, hours_before = 435 / 60, 120 / 60
    expected_rows = [
        f"总时长(小时) {hours_now:.2f} {hours_before:.2f} +{hours_now - hours_before:.2f}",
        "志愿服务时长(小时) 4.25 0.00 +4.25",
        "人次 5 1 +4",
        "志愿者人数 5 1 +4",
        "在册人数 3 3 0",
        "参与人数 3 1 +2",
        # 100% - 33.333...% = 66.666... -> +66.67 points (half up)
        "参与率 100.00% 33.33% +66.67 个百分点",
        "人均时长(小时) 1.45 2.00 -0.55",
        "党员活动日覆盖率 100.00% 100.00% 0.00 个百分点",
    ]
    for row in expected_rows:
        assert row in flat, row
    # ranking by March hours: S02 315 min, O01 120 min; their counts are under 5 people
    assert "1 第二小学 学校 5.25 4 * *" in flat
    assert "2 教育局机关 机关 2.00 1 * *" in flat
    # S02's compliance: activity day held (1 of 1), the rest missed in March / 2025-Q1
    assert "第二小学 达标 1/1 未达标 0/1 未达标 0/1 未达标 0/1 未达标 0/1" in flat
    # data quality: O01's 审核中 session (60 min) and 路人甲 (not on the roster)
    assert "待审核或状态不明的活动 1 条（1.00 小时）" in flat
    assert "不在花名册上的人员参加活动 1 人次" in flat
    manifest = json.loads((first_slice.exports / "manifest.json").read_text(encoding="utf-8"))
    # the footer, in the report's words: cut-off and digest in full, no field names
    assert f"数据截至 {manifest['as_of']} 快照摘要 {manifest['digest']}" in flat
    assert not re.search(r"as_of|digest", flat)


def test_reports_embed_their_cjk_fonts(first_slice: Warehouse) -> None:
    for report in sorted((first_slice.exports / "reports").iterdir()):
        lines = subprocess.run(
            ["pdffonts", str(report)], capture_output=True, text=True, check=True
        ).stdout.splitlines()[2:]
        assert lines, report
        for line in lines:
            # name type encoding emb sub uni object: every font embedded
            fields = line.split()
            assert fields[-5] == "yes", line
        assert any("WenQuanYiMicroHei" in line for line in lines), report


def test_report_pages_render(first_slice: Warehouse, tmp_path: Path) -> None:
    report = first_slice.exports / "reports" / "D01.pdf"
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", str(report), str(tmp_path / "page")], check=True
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert pages
    with Image.open(pages[0]) as image:
        assert image.size == (414, 585)  # A4 (595 x 842 pt) at 50 dpi
        dark = sum(image.convert("L").histogram()[:128])  # pixels darker than mid-grey
    assert dark > 2000  # text, tables and the chart, not a blank page


# --- atomic replacement and refusals ----------------------------------------------------


def test_a_failing_export_leaves_the_previous_one_intact(first_slice: Warehouse) -> None:
    from export.district_monthly import ExportError
    from export.package import export
    from kernel.paths import warehouse_paths
    from kernel.snapshot import connect_current

    out = first_slice.exports.parent / "cron"
    first_slice.run("export", "--out", str(out), "--no-pdf")
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def fail(folder: Path) -> None:
        assert (folder / "district_monthly.csv").is_file()  # half written, not yet in place
        raise OSError(28, "No space left on device")

    con, snapshot = connect_current(warehouse_paths(first_slice.root))
    try:
        with pytest.raises(OSError):
            export(con, snapshot, out, "2025-02", "2025-02", write_hook=fail)
        with pytest.raises(ExportError, match="is after"):
            export(con, snapshot, out, "2025-03", "2025-02")
    finally:
        con.close()
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    # nothing of the failed export is left: beside OUT its store, holding the lock and
    # the export OUT points to (export/folder.py)
    assert sorted(p.name for p in out.parent.iterdir() if p.name.startswith(".cron")) == [".cron.d"]
    store = out.with_name(".cron.d")
    assert sorted(p.name for p in store.iterdir()) == sorted([".lock", out.readlink().name])


def test_an_export_replaces_the_previous_one_whole(first_slice: Warehouse) -> None:
    out = first_slice.exports.parent / "replace"
    first_slice.run("export", "--out", str(out))
    first_slice.run("export", "--out", str(out), "--from", "2025-02", "--to", "2025-02", "--no-pdf")
    assert not (out / "reports").exists()  # nothing of the old export is left
    lines = _csv_lines(out / "district_monthly.csv")
    assert [line.split(",")[2] for line in lines[1:]] == ["2025-02"] * 3


def test_a_folder_an_export_did_not_write_is_refused(first_slice: Warehouse) -> None:
    out = first_slice.exports.parent / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    result = first_slice.run("export", "--out", str(out), check=False)
    assert result.returncode == 1
    assert result.stderr == (
        f"error: OUT={out} holds files but no manifest.json, so an export did not write it "
        "and it would be replaced whole; choose a new or empty folder\n"
    )
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("five", "error: SUPPRESS='five' is not a whole number; give 0 (off) or e.g. 5\n"),
        ("-1", "error: SUPPRESS='-1' is not a whole number; give 0 (off) or e.g. 5\n"),
    ],
)
def test_a_bad_suppress_value_is_refused(first_slice: Warehouse, value: str, message: str) -> None:
    out = first_slice.exports.parent / "bad_suppress"
    result = first_slice.run("export", "--out", str(out), "--suppress", value, check=False)
    assert (result.returncode, result.stderr) == (2, message)
    assert not out.exists()
