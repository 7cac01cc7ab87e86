"""Exports whose period reaches past the snapshot's latest approved activity (they warn,
and every file says which months are zeros for that reason), and exports from a snapshot
with no approved activity at all (refused: there is no data).

In the first-slice inbox (tests/fixtures/valid/first_slice_inbox) the latest approved
session is s01_2025q1.csv line 24, 2025-03-15 (孙八's 植树活动 at O01); lines 25 and 26,
on 2025-03-16 and 2025-03-17, are rejected by the reviewer and pending, so they do not
count. The snapshot's months reach the data cut-off (the day the fixture is loaded), so
2025-04 and 2025-05 are in it, with nothing but roster figures.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import FIXTURES, Warehouse

QUIET_WARNING = (
    "warning: the snapshot holds no approved activity after 2025-03-15, so the figures "
    "of 2025-04, 2025-05 are zeros until activity of that time is loaded "
    "(manifest.json: months_without_activity)\n"
)
QUIET_NOTE_ZH = (
    "注意：2025年4月、2025年5月在本快照中还没有任何已认定的活动记录，"
    "这些月份的数字均为 0；导入这些月份的活动数据并重新构建后，数字会相应变化。"
)
QUIET_NOTE_PDF = (
    "注意：2025年4月、2025年5月在本快照中还没有任何已认定的活动记录"
    "（本报告所属的2025年5月也在其中），"
    "这些月份的数字均为 0；导入这些月份的活动数据并重新构建后，数字会相应变化。"
)
NO_DATA = (
    "error: no data to export: the published snapshot holds no approved activity (no "
    "session of an activity log, no row of an event summary); load activity files with "
    "`make ingest`, then run `make build`\n"
)
EARLIER_EXPORT = FIXTURES / "valid" / "export_c0ed69d" / "exports"


@pytest.mark.parametrize(
    ("first", "last", "latest", "months"),
    [
        ("2026-09", "2026-12", dt.date(2026, 10, 17), ("2026-11", "2026-12")),
        # the month that holds the latest date is not one of them, even on its 1st
        ("2026-10", "2026-11", dt.date(2026, 10, 1), ("2026-11",)),
        ("2026-10", "2026-10", dt.date(2026, 10, 31), ()),
        ("2025-11", "2026-02", dt.date(2025, 12, 1), ("2026-01", "2026-02")),
        ("2026-01", "2026-03", dt.date(2027, 1, 1), ()),
        ("2026-01", "2026-02", None, ()),
    ],
)
def test_months_without_activity_are_the_months_after_the_latest_ones(
    first: str, last: str, latest: dt.date | None, months: tuple[str, ...]
) -> None:
    from export.district_monthly import Period, months_after

    assert months_after(Period(first, last), latest) == months


def test_an_event_summary_after_the_last_session_is_activity() -> None:
    from export.district_monthly import Period, latest_activity, months_after
    from tests.export.marts import marts

    # the last approved session is on 2025-06-20; an approved summary row (活动汇总) of
    # 2025-07-03 is an activity held: July has activity, only August is without
    con = marts([], latest_activity=dt.date(2025, 6, 20))
    con.execute("insert into fct_event_summaries values (date '2025-07-03')")
    assert latest_activity(con) == dt.date(2025, 7, 3)
    assert months_after(Period("2025-06", "2025-08"), latest_activity(con)) == ("2025-08",)


def _pdftext(path: Path) -> str:
    """A PDF's text without white space (pdftotext breaks lines where the page does)."""
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return re.sub(r"\s+", "", text)


@pytest.mark.integration
def test_a_period_past_the_latest_activity_warns_and_every_file_says_so(
    first_slice: Warehouse,
) -> None:
    out = first_slice.exports.parent / "past_latest"
    result = first_slice.run("export", "--out", str(out), "--from", "2025-03", "--to", "2025-05")
    # the figures are right (nothing happened yet): written, exit 0, with a warning
    assert result.returncode == 0
    assert result.stderr == QUIET_WARNING
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["period"] == {"from": "2025-03", "to": "2025-05"}
    assert manifest["months_without_activity"] == ["2025-04", "2025-05"]
    lines = (out / "district_monthly.csv").read_text(encoding="utf-8").splitlines()
    # D02's roster: T004 (joined 2025-02-10), T005, T006: 3 people, nobody active, no
    # activity held
    assert "D02,城西协作区,2025-05,3,0,0.0000,0,0,0.00,0.00,,0.0000,0,0,0,0,0.00" in lines
    # the workbook: a note one row below the table of the summary and of every district
    book = openpyxl.load_workbook(out / "district_stats.xlsx")
    units = (out / "organization_monthly.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert book.sheetnames[0] == "汇总"
    body_rows = {"汇总": len(lines) - 1}
    for title in book.sheetnames[1:]:
        code = title.split(" ")[0]
        body_rows[title] = len([line for line in units if line.startswith(f"{code},")])
    assert body_rows == {
        "汇总": 10,  # 3 districts x 3 months, and unknown in March
        "D01 城东协作区": 9,  # S01, B011, B012 x 3 months
        "D02 城西协作区": 6,  # O01, S02 x 3 months
        "D03 高新协作区": 0,
        "unknown 未归属区域": 1,
    }
    for title, rows in body_rows.items():
        note = book[title].cell(row=2 + rows + 2, column=1).value
        assert note == (
            f"{QUIET_NOTE_ZH} Note: the snapshot holds no approved activity for 2025-04, "
            "2025-05 yet; their figures are zeros until activity for them is loaded."
        ), title
        assert book[title].cell(row=2 + rows + 1, column=1).value is None, title
    # every PDF reports on May, one of those months, and says so near its top
    reports = sorted((out / "reports").iterdir())
    assert [p.name for p in reports] == ["D01.pdf", "D02.pdf", "D03.pdf"]
    for report in reports:
        text, note = _pdftext(report), re.sub(r"\s+", "", QUIET_NOTE_PDF)
        assert note in text, report.name
        assert text.index(note) < text.index("一、主要指标"), report.name


@pytest.mark.integration
def test_a_period_within_the_activity_has_no_such_note(first_slice: Warehouse) -> None:
    # the session's export: January to March, the last month holds 2025-03-15
    assert first_slice.outputs["export"].stderr == ""
    manifest = json.loads((first_slice.exports / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["months_without_activity"] == []
    assert "本快照中还没有任何已认定的活动记录" not in _pdftext(
        first_slice.exports / "reports" / "D02.pdf"
    )


@pytest.fixture(params=["reference_only", "empty_lake"])
def no_activity(request: pytest.FixtureRequest) -> Warehouse:
    """A snapshot without approved activity: built over rosters and organizations only,
    or over an empty lake."""
    return request.getfixturevalue(request.param)


@pytest.mark.integration
@pytest.mark.parametrize(
    "period",
    [
        [],  # the default period
        ["--from", "2025-01", "--to", "2025-03"],  # months the roster covers
        ["--from", "2026-11", "--to", "2026-12"],
    ],
)
def test_an_export_from_a_snapshot_without_activity_says_there_is_no_data(
    no_activity: Warehouse, period: list[str]
) -> None:
    out = no_activity.exports.parent / "previous"
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(EARLIER_EXPORT, out)  # what an earlier export left there
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    result = no_activity.run("export", "--out", str(out), *period, check=False)
    assert (result.returncode, result.stderr, result.stdout) == (1, NO_DATA, "")
    assert not out.is_symlink()
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    # nothing written beside it either
    assert sorted(p.name for p in out.parent.iterdir() if p.name.startswith(".previous")) == []
    fresh = no_activity.exports.parent / "fresh"
    result = no_activity.run("export", "--out", str(fresh), *period, check=False)
    assert (result.returncode, result.stderr) == (1, NO_DATA)
    assert not fresh.exists()


def test_a_month_with_only_event_summaries_is_active_for_the_default_period() -> None:
    """A bureau whose schools send only 活动汇总 has activities to export: the default
    period runs from the first to the last month with an approved session or an approved
    event-summary row; a snapshot with neither is refused. Months by hand: sessions in
    2025-03 only, summaries in 2025-02 and 2025-05, nothing in 2025-04 and 2025-06."""
    import duckdb

    from export.district_monthly import NO_ACTIVITY, NoActivity, Period, resolve_period

    con = duckdb.connect()
    con.execute(
        "create table agg_district_monthly as select * from (values "
        "('2025-02', 0, 2), ('2025-03', 14, 0), ('2025-04', 0, 0), ('2025-05', 0, 1), "
        "('2025-06', 0, 0)) t(month, person_times, events_reported)"
    )
    assert resolve_period(con, None, None) == Period("2025-02", "2025-05")
    con.execute("update agg_district_monthly set events_reported = 0")
    assert resolve_period(con, None, None) == Period("2025-03", "2025-03")
    con.execute("update agg_district_monthly set person_times = 0")
    with pytest.raises(NoActivity) as refused:
        resolve_period(con, None, None)
    assert str(refused.value) == NO_ACTIVITY
