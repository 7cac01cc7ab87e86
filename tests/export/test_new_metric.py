"""A metric is its SQL column and its yml entry, nothing else: with the catalog of a
yml that adds one (``service_hours_per_volunteer``, volunteer-service minutes over
volunteers, after ``avg_hours_per_volunteer``), the workbook and the reports' headline
table show it at its place in the catalog, named and formatted as its entry says,
while district_monthly.csv and organization_monthly.csv keep the columns DESIGN.md
fixes. No dbt build: the marts are a few rows in an in-memory DuckDB."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import duckdb
import openpyxl
import pytest
from pypdf import PdfReader

from export.district_monthly import COLUMNS, Period, csv_bytes
from export.report_pdf import headline_metrics, headline_table, write_reports
from export.tables import ORG_COLUMNS, Tables, build_tables
from export.workbook import workbook_bytes
from kernel import catalog
from kernel.snapshot import SnapshotInfo
from tests.export.marts import marts

YML = (
    Path(__file__).resolve().parent.parent
    / "fixtures"
    / "valid"
    / "catalog_project"
    / "models"
    / "marts"
    / "_marts__models.yml"
)
NEW = "service_hours_per_volunteer"


def _district(month: str, **figures: int) -> dict:
    row = {"district_code": "D09", "district_name": "第九协作区", "month": month, **figures}
    # the new metric's SQL column, as the mart computes it (a double): the exports
    # make the published value from the exact minutes and volunteers instead
    row[NEW] = row["volunteer_service_minutes"] / 60 / row["volunteers"]
    return row


def _unit(month: str, **figures: int) -> dict:
    labels = {"org_code": "S91", "org_name": "第九中学", "org_type": "school"}
    return {**labels, "parent_org_code": None, "district_code": "D09", "month": month, **figures}


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    return marts(
        [
            _district(
                "2025-06",
                roster_size=10,
                active_members=6,
                volunteers=8,
                person_times=20,
                total_minutes=1500,
                volunteer_service_minutes=540,
                branch_units=2,
                branch_units_with_activity_day=1,
            ),
            _district(
                "2025-07",
                roster_size=10,
                active_members=7,
                volunteers=6,
                person_times=25,
                total_minutes=1830,
                volunteer_service_minutes=1020,
                branch_units=2,
                branch_units_with_activity_day=2,
            ),
        ],
        [
            _unit(
                "2025-06",
                roster_size=6,
                active_members=5,
                volunteers=5,
                person_times=12,
                total_minutes=900,
                volunteer_service_minutes=450,
                branch_units=1,
                branch_units_with_activity_day=1,
            ),
            _unit(
                "2025-07",
                roster_size=6,
                active_members=4,
                volunteers=3,
                person_times=10,
                total_minutes=600,
                volunteer_service_minutes=300,
                branch_units=1,
                branch_units_with_activity_day=1,
            ),
        ],
        latest_activity=dt.date(2025, 7, 20),
    )


@pytest.fixture(scope="module")
def tables(con: duckdb.DuckDBPyConnection) -> Tables:
    # SUPPRESS unset: districts complete, units at k = 5
    return build_tables(con, Period("2025-06", "2025-07"), metrics=catalog.load(YML))


def test_the_fixture_catalog_holds_the_new_metric_after_hours_per_volunteer(
    tables: Tables,
) -> None:
    keys = [m.key for m in tables.metrics]
    assert keys[7:10] == ["avg_hours_per_volunteer", NEW, "activity_day_coverage"]
    new = catalog.metric(NEW, tables.metrics)
    assert (new.name_zh, new.name_en, new.kind, new.unit, new.decimals) == (
        "人均志愿服务时长(小时)",
        "Service hours per volunteer",
        "ratio",
        "hours",
        2,
    )
    # agg_organization_monthly carries its inputs, so the units' table has it too
    assert tables.unit_metrics == tables.metrics


def test_the_summary_sheet_shows_the_new_metric_in_its_place(tables: Tables) -> None:
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(tables)))
    sheet = book["汇总"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=1, max_row=4, max_col=13)]
    assert rows[1] == [
        "district_code", "district_name", "month", "roster_size", "active_members",
        "participation_rate", "volunteers", "person_times", "total_hours",
        "volunteer_service_hours", "avg_hours_per_volunteer", NEW, "activity_day_coverage",
    ]  # fmt: skip
    # column L: its Chinese name from the yml, between its neighbours'
    assert rows[0][10:13] == ["人均时长(小时)", "人均志愿服务时长(小时)", "党员活动日覆盖率"]
    # June: 540 min / 8 volunteers = 1.125 h -> 1.13 (half up; a float rounds it to
    # 1.12); July: 1020 min / 6 = 2.8333 h -> 2.83. Beside them 1500 / 480 = 3.125 ->
    # 3.13 and 1830 / 360 = 5.0833 -> 5.08 hours per volunteer
    assert rows[2] == [
        "D09",
        "第九协作区",
        "2025-06",
        10,
        6,
        0.6,
        8,
        20,
        25.0,
        9.0,
        3.13,
        1.13,
        0.5,
    ]
    assert rows[3] == [
        "D09",
        "第九协作区",
        "2025-07",
        10,
        7,
        0.7,
        6,
        25,
        30.5,
        17.0,
        5.08,
        2.83,
        1.0,
    ]
    formats = [sheet.cell(row=3, column=c).number_format for c in range(4, 14)]
    assert formats == [
        "#,##0", "#,##0", "0.00%", "#,##0", "#,##0",
        "#,##0.00", "#,##0.00", "#,##0.00", "#,##0.00", "0.00%",
    ]  # fmt: skip
    # the pivot moved one column right with it, and one more with the fixture's other
    # the activity columns (N to R), then the other new metric, hours_per_person_time,
    # last in the catalog (column S)
    assert sheet["N2"].value == "events_logged"
    assert sheet["R2"].value == "reported_hours"
    assert sheet["S2"].value == "hours_per_person_time"
    assert sheet["U1"].value == "月份 month"


def test_a_unit_sheet_shows_it_and_hides_it_with_its_volunteers(tables: Tables) -> None:
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(tables)))
    sheet = book["D09 第九协作区"]
    assert [c.value for c in sheet[2]][14:17] == [
        "avg_hours_per_volunteer",
        NEW,
        "activity_day_coverage",
    ]
    assert sheet["P1"].value == "人均志愿服务时长(小时)"
    # June: 450 min / 5 volunteers = 1.5 h; July: 3 volunteers (< 5) are hidden, and
    # with them the hours per volunteer and the new metric, both made from them
    assert (sheet["P3"].value, sheet["P3"].number_format) == (1.5, "#,##0.00")
    assert [sheet[f"{c}4"].value for c in "KOP"] == ["*", "*", "*"]


def test_the_csv_files_keep_the_columns_design_fixes(tables: Tables) -> None:
    lines = csv_bytes(tables.district_csv_rows()).decode("utf-8").splitlines()
    assert lines == [
        "district_code,district_name,month,roster_size,active_members,participation_rate,"
        "volunteers,person_times,total_hours,volunteer_service_hours,"
        "avg_hours_per_volunteer,activity_day_coverage,events_logged,events_reported,"
        "events_held,reported_person_times,reported_hours",
        # the marts of this test hold no activity (tests/export/marts.py: NO_ACTIVITIES)
        "D09,第九协作区,2025-06,10,6,0.6000,8,20,25.00,9.00,3.13,0.5000,0,0,0,0,0.00",
        "D09,第九协作区,2025-07,10,7,0.7000,6,25,30.50,17.00,5.08,1.0000,0,0,0,0,0.00",
    ]
    assert lines[0].split(",") == list(COLUMNS)
    header = csv_bytes(tables.organization_csv_rows(), ORG_COLUMNS).decode().splitlines()[0]
    assert header.split(",") == list(ORG_COLUMNS)
    assert NEW not in header


def test_the_reports_headlines_list_it_after_hours_per_volunteer(tables: Tables) -> None:
    assert [m.key for m in headline_metrics(tables.metrics)] == [
        "total_hours", "volunteer_service_hours", "person_times", "volunteers",
        "roster_size", "active_members", "participation_rate",
        "avg_hours_per_volunteer", NEW, "activity_day_coverage",
        # the event summaries' own figures are stated apart (另据活动汇总表)
        "events_logged", "events_held", "hours_per_person_time",
    ]  # fmt: skip
    june, july = tables.districts
    table = headline_table(tables.metrics, "2025-07", july, june)
    assert table[0] == ["指标", "2025年7月", "上月", "变化"]
    # the change is rounded once from the exact values: 1020/360 - 540/480 = 17/6 - 9/8
    # = 41/24 = 1.7083 -> +1.71 (the rounded figures differ by 1.70); hours per
    # volunteer 1830/360 - 1500/480 = 1.9583 -> +1.96; coverage 2/2 - 1/2 = 50 points
    assert table[8:11] == [
        ["人均时长(小时)", "5.08", "3.13", "+1.96"],
        ["人均志愿服务时长(小时)", "2.83", "1.13", "+1.71"],
        ["党员活动日覆盖率", "100.00%", "50.00%", "+50.00 个百分点"],
    ]
    # every metric but the three event-summary figures, which are stated apart
    assert len(table) == 1 + len(tables.metrics) - 3


def test_the_pdf_report_prints_it_in_its_headline_table(
    con: duckdb.DuckDBPyConnection, tables: Tables, tmp_path: Path
) -> None:
    snapshot = SnapshotInfo(tmp_path / "s.duckdb", "2025-07-31T00:00:00", "", "0" * 64)
    (path,) = write_reports(con, snapshot, tables, tmp_path / "reports")
    assert path.name == "D09.pdf"
    lines = PdfReader(path).pages[0].extract_text().splitlines()  # a line per table cell
    at = lines.index("人均时长(小时)")
    assert lines[at : at + 12] == [
        "人均时长(小时)", "5.08", "3.13", "+1.96",
        "人均志愿服务时长(小时)", "2.83", "1.13", "+1.71",
        "党员活动日覆盖率", "100.00%", "50.00%", "+50.00 个百分点",
    ]  # fmt: skip
    # the ranking: S91's July, its type named by the seed, 600 min = 10.00 h, 10
    # person-times, its 3 volunteers hidden and its participation with its 4 members
    at = lines.index("第九中学")
    assert lines[at - 1 : at + 6] == ["1", "第九中学", "学校", "10.00", "10", "*", "*"]
