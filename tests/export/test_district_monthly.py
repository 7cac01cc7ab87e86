"""district_monthly.csv formatting and the export command's answers to bad requests."""

from __future__ import annotations

import json

import pytest

from export.district_monthly import COLUMNS, Period, csv_bytes
from export.tables import build_tables
from tests.conftest import Warehouse
from tests.export.marts import marts


def _row(**overrides: object) -> dict:
    row = {
        "district_code": "D09",
        "district_name": "第九协作区",
        "month": "2025-07",
        "roster_size": 3,
        "active_members": 2,
        "volunteers": 2,
        "person_times": 4,
        "total_minutes": 243,
        "volunteer_service_minutes": 50,
        "branch_units": 8,
        "branch_units_with_activity_day": 1,
        # activities held: 3 in the logs, 2 summary rows with 40 people and 3691 minutes
        "events_logged": 3,
        "events_reported": 2,
        "events_held": 5,
        "reported_person_times": 40,
        "reported_minutes": 3691,
    }
    return {**row, **overrides}


def _csv_rows(row: dict) -> list[list[str]]:
    """district_monthly.csv's rows of a snapshot whose district mart is ``row``."""
    tables = build_tables(marts([row]), Period("2025-07", "2025-07"))
    return tables.district_csv_rows()


def test_rounding_is_half_up_from_exact_values() -> None:
    # 243 min = 4.05 h; 243 / 60 / 2 = 2.025 -> 2.03 (a float would give 2.02);
    # 50 min = 0.8333 h -> 0.83; 2/3 -> 0.6667; 1/8 = 0.125 -> 0.1250; the summaries'
    # 3691 min = 61.5166 h -> 61.52
    assert _csv_rows(_row()) == [[
        "D09", "第九协作区", "2025-07", "3", "2", "0.6667", "2", "4",
        "4.05", "0.83", "2.03", "0.1250", "3", "2", "5", "40", "61.52",
    ]]  # fmt: skip


def test_ratios_with_a_zero_denominator_are_empty() -> None:
    row = _row(
        roster_size=0,
        active_members=0,
        volunteers=0,
        person_times=0,
        total_minutes=0,
        volunteer_service_minutes=0,
        branch_units=0,
        branch_units_with_activity_day=0,
        events_logged=0,
        events_reported=0,
        events_held=0,
        reported_person_times=0,
        reported_minutes=0,
    )
    assert _csv_rows(row) == [[
        "D09", "第九协作区", "2025-07", "0", "0", "", "0", "0", "0.00", "0.00", "", "",
        "0", "0", "0", "0", "0.00",
    ]]  # fmt: skip


def test_csv_is_utf8_without_bom_with_lf_line_ends() -> None:
    data = csv_bytes(_csv_rows(_row()))
    assert data.startswith(b"district_code,district_name,month,")
    assert not data.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in data
    assert data.decode("utf-8").splitlines()[0].split(",") == list(COLUMNS)
    assert data.decode("utf-8").endswith("0.1250,3,2,5,40,61.52\n")


@pytest.mark.integration
@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--from", "2025-3"], 2, "error: FROM='2025-3' is not a month; write it as 2025-03\n"),
        (["--from", "2025-03", "--to", "2025-01"], 2, "error: FROM=2025-03 is after TO=2025-01\n"),
        (
            # months after the snapshot's cut-off have not happened yet
            ["--from", "2025-01", "--to", "2099-12"],
            1,
            "reaches outside it\n",
        ),
    ],
)
def test_bad_periods_are_refused_with_a_message(
    first_slice: Warehouse, args: list[str], code: int, message: str
) -> None:
    out = first_slice.exports.parent / "refused"
    result = first_slice.run("export", "--out", str(out), *args, check=False)
    assert result.returncode == code
    assert result.stderr.endswith(message)
    assert "Traceback" not in result.stderr
    assert not out.exists()


@pytest.mark.integration
def test_months_before_the_first_month_with_data_are_rows_of_zeros(first_slice: Warehouse) -> None:
    # the first month with data is 2025-01 (the first session, 2025-01-08; the roster
    # has no effective date and takes effect on its load day): the monthly marts start
    # there, and an export still has one row for every district for every month asked
    # for (DESIGN.md, "Exports"): no roster and no sessions, so counts and hours 0,
    # participation and hours per volunteer empty (denominator 0), coverage 0 of D01's
    # 2 and D02's 1 branch units, empty for D03, which has none; no activity held
    out = first_slice.exports.parent / "2024"
    result = first_slice.run("export", "--out", str(out), "--from", "2024-11", "--to", "2024-12")
    lines = (out / "district_monthly.csv").read_text(encoding="utf-8").splitlines()
    assert lines == [
        ",".join(COLUMNS),
        "D01,城东协作区,2024-11,0,0,,0,0,0.00,0.00,,0.0000,0,0,0,0,0.00",
        "D01,城东协作区,2024-12,0,0,,0,0,0.00,0.00,,0.0000,0,0,0,0,0.00",
        "D02,城西协作区,2024-11,0,0,,0,0,0.00,0.00,,0.0000,0,0,0,0,0.00",
        "D02,城西协作区,2024-12,0,0,,0,0,0.00,0.00,,0.0000,0,0,0,0,0.00",
        "D03,高新协作区,2024-11,0,0,,0,0,0.00,0.00,,,0,0,0,0,0.00",
        "D03,高新协作区,2024-12,0,0,,0,0,0.00,0.00,,,0,0,0,0,0.00",
    ]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["period"] == {"from": "2024-11", "to": "2024-12"}
    assert result.returncode == 0


@pytest.mark.integration
def test_a_period_that_starts_before_the_data_gives_every_month(
    first_slice: Warehouse,
) -> None:
    out = first_slice.exports.parent / "from-2024-12"
    first_slice.run("export", "--out", str(out), "--from", "2024-12", "--to", "2025-01")
    lines = (out / "district_monthly.csv").read_text(encoding="utf-8").splitlines()
    # January 2025 (fixture README): D01's roster T001 T002 T003 (leaves 2025-01-31)
    # T008; sessions T001 2 h 党员活动日 at B011 (1 of D01's 2 branches), T002 2.5 h
    # 便民利民 (volunteer service), T003 1.5 h (its GB18030 repeat counts once); D02's
    # roster T005 T006 (T004 joins in February), T005 3 h of training at S02; each
    # session is an activity of its own (organization, date, type, title differ), so
    # events_logged is D01's 3 and D02's 1, and there are no event summaries
    assert lines[1:] == [
        "D01,城东协作区,2024-12,0,0,,0,0,0.00,0.00,,0.0000,0,0,0,0,0.00",
        "D01,城东协作区,2025-01,4,3,0.7500,3,3,6.00,2.50,2.00,0.5000,3,0,3,0,0.00",
        "D02,城西协作区,2024-12,0,0,,0,0,0.00,0.00,,0.0000,0,0,0,0,0.00",
        "D02,城西协作区,2025-01,2,1,0.5000,1,1,3.00,0.00,3.00,0.0000,1,0,1,0,0.00",
        "D03,高新协作区,2024-12,0,0,,0,0,0.00,0.00,,,0,0,0,0,0.00",
        "D03,高新协作区,2025-01,0,0,,0,0,0.00,0.00,,,0,0,0,0,0.00",
    ]
    # a report for every district with a row in the last month, D03 with its zeros
    assert sorted(p.name for p in (out / "reports").iterdir()) == ["D01.pdf", "D02.pdf", "D03.pdf"]
    # from 1999-12: 301 months to 2024-12 and January 2025, for each of the 3 districts
    far = first_slice.exports.parent / "from-1999"
    first_slice.run("export", "--out", str(far), "--from", "1999-12", "--to", "2025-01")
    rows = (far / "district_monthly.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert len(rows) == 3 * (25 * 12 + 2)
    assert rows[0] == "D01,城东协作区,1999-12,0,0,,0,0,0.00,0.00,,0.0000,0,0,0,0,0.00"


def test_export_without_a_snapshot_says_to_build(tmp_path, monkeypatch) -> None:
    from export.cli import main

    monkeypatch.setenv("WAREHOUSE_DIR", str(tmp_path / "empty"))
    assert main(["--out", str(tmp_path / "out")]) == 1
