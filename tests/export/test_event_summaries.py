"""Event summaries (活动汇总) through the real pipeline: a hand-written summary CSV and a
log of one activity attended by three people, added to the first-slice inbox, ingested,
built with dbt and exported. Every figure below is worked out by hand from the files.

tests/fixtures/valid/event_summaries/活动汇总_2025q1.csv (one row per activity held):

- line 2: B011 2025-03-05 党员活动日 三月主题党日, 12 people, 24 h in all, approved
- line 3: the same row again: an exact duplicate, counted once
- line 4: 第一中学 (name only: S01, D01) 2025-03-08 便民利民 社区义诊, 30 people,
  1.5 h each: 30 x 1.5 h = 45 h = 2700 min; no status: approved
- line 5: S02 2025-03-10 交通安全, 8 people, 10 h, 待审核: pending, not counted
- line 6: B099 (no such organization: district unknown) 2025-03-12, 5 people, 7.5 h
- line 7: S02 (D02) 2025-01-20 家访, 3 people, 4.25 h in all

tests/fixtures/valid/event_summaries/s03_2025q1_one_activity.csv: T001, T003 and T002
at B012 (D01) on 2025-03-20, 党课 三月党课: three approved sessions of one activity.

The first-slice logs hold, per district and month, activities that are each a single
session (tests/fixtures/valid/first_slice_inbox): events_logged equals person_times
there. So:

- D01 2025-03: logged 1 (the three sessions of 三月党课), reported 2 (lines 2-3 once,
  line 4), held 3, reported person-times 12 + 30 = 42, minutes 24 x 60 + 2700 = 4140
  = 69.00 h; person_times 3 (the log only: the summaries' 42 never enter it); activity-
  day coverage 1 of D01's 2 branch units (B011 by line 2; B012 held none) = 0.5000.
- D02 2025-01: logged 1 (T005 集中培训 on 01-08), reported 1 (line 7), held 2, 3
  person-times, 4.25 h; person_times stays 1, volunteers 1.
- unknown 2025-03: logged 1 (T002 at B099 on 03-05), reported 1 (line 6), held 2, 5
  person-times, 7.50 h.
- D02 2025-03: logged 5, reported 0 (line 5 is pending), held 5.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, Warehouse, make_warehouse

pytestmark = pytest.mark.integration

SUMMARIES = FIXTURES / "valid" / "event_summaries"
EVENT_COLUMNS = [
    "events_logged",
    "events_reported",
    "events_held",
    "reported_person_times",
    "reported_hours",
]


@pytest.fixture(scope="module")
def with_summaries(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    warehouse = make_warehouse(tmp_path_factory.mktemp("event_summaries"), "first_slice_inbox")
    shutil.copy(SUMMARIES / "活动汇总_2025q1.csv", warehouse.inbox / "活动汇总_2025q1.csv")
    shutil.copy(
        SUMMARIES / "s03_2025q1_one_activity.csv",
        warehouse.inbox / "logs" / "s03_2025q1_one_activity.csv",
    )
    warehouse.outputs["ingest"] = warehouse.run("ingest", "--inbox", str(warehouse.inbox), "--json")
    warehouse.outputs["build"] = warehouse.run("publish")
    warehouse.outputs["export"] = warehouse.run("export", "--out", str(warehouse.exports))
    return warehouse


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_district_monthly_gains_the_five_columns_after_coverage(
    with_summaries: Warehouse,
) -> None:
    rows = _csv(with_summaries.exports / "district_monthly.csv")
    header = list(rows[0])
    at = header.index("activity_day_coverage")
    assert header[at + 1 :] == EVENT_COLUMNS
    figures = {(r["district_code"], r["month"]): [r[c] for c in EVENT_COLUMNS] for r in rows}
    assert figures == {
        ("D01", "2025-01"): ["3", "0", "3", "0", "0.00"],
        ("D01", "2025-02"): ["2", "0", "2", "0", "0.00"],
        ("D01", "2025-03"): ["1", "2", "3", "42", "69.00"],
        ("D02", "2025-01"): ["1", "1", "2", "3", "4.25"],
        ("D02", "2025-02"): ["1", "0", "1", "0", "0.00"],
        ("D02", "2025-03"): ["5", "0", "5", "0", "0.00"],
        ("D03", "2025-01"): ["0", "0", "0", "0", "0.00"],
        ("D03", "2025-02"): ["0", "0", "0", "0", "0.00"],
        ("D03", "2025-03"): ["0", "0", "0", "0", "0.00"],
        ("unknown", "2025-03"): ["1", "1", "2", "5", "7.50"],
    }


def test_summary_rows_never_enter_person_level_columns(with_summaries: Warehouse) -> None:
    rows = {
        (r["district_code"], r["month"]): r
        for r in _csv(with_summaries.exports / "district_monthly.csv")
    }
    # D01 2025-03: the three sessions of s03 only (2 + 2 + 1.5 h); the 42 summary
    # person-times and 69 h stay in their own columns; the activity day of B011 (line 2)
    # covers 1 of 2 branch units
    d01 = rows[("D01", "2025-03")]
    assert (d01["person_times"], d01["volunteers"], d01["total_hours"]) == ("3", "3", "5.50")
    assert d01["activity_day_coverage"] == "0.5000"
    # D02 2025-01: T005's 3 h session only
    d02 = rows[("D02", "2025-01")]
    assert (d02["person_times"], d02["volunteers"], d02["total_hours"]) == ("1", "1", "3.00")


def test_organization_monthly_counts_a_schools_branches(with_summaries: Warehouse) -> None:
    rows = {
        (r["org_code"], r["month"]): r
        for r in _csv(with_summaries.exports / "organization_monthly.csv")
    }
    # B011 holds line 2; S01 holds line 4 itself and line 2 through B011, and B012's
    # 三月党课 (logged)
    assert [rows[("B011", "2025-03")][c] for c in EVENT_COLUMNS] == ["0", "1", "1", "12", "24.00"]
    assert [rows[("S01", "2025-03")][c] for c in EVENT_COLUMNS] == ["1", "2", "3", "42", "69.00"]
    assert [rows[("B012", "2025-03")][c] for c in EVENT_COLUMNS] == ["1", "0", "1", "0", "0.00"]


def test_the_activity_day_summary_holds_a_meeting(with_summaries: Warehouse) -> None:
    # B011's 2025-03 activity day: line 2 only (once), 12 attended
    assert with_summaries.query(
        "select meetings_held, attendance, compliance_status from agg_branch_compliance "
        "where org_code = 'B011' and activity_type_code = 'activity_day' "
        "and period = '2025-03'"
    ) == [(1, 12, "met")]


def test_duplicates_and_unknown_organizations_are_reported(with_summaries: Warehouse) -> None:
    # 6 rows landed, 5 kept (line 3 is a copy of line 2, all statuses kept)
    assert with_summaries.query(
        "select rows_landed, sessions_kept, duplicates_removed from dq_duplicates_by_file "
        "where source_file = '活动汇总_2025q1.csv'"
    ) == [(6, 5, 1)]
    # B099: T002's session of the log (120 min) and line 6 (450 min)
    assert with_summaries.query(
        "select sessions, approved_sessions, approved_minutes from dq_unknown_organizations "
        "where org_code_label = 'B099'"
    ) == [(2, 2, 570)]


def test_the_dashboard_mart_adds_up_to_the_monthly_figures(with_summaries: Warehouse) -> None:
    # D01 2025-03: logs 1 activity of 3 sessions (330 min); summaries 2 rows, 42, 4140 min
    assert with_summaries.query(
        "select source, sum(events), sum(person_times), sum(minutes) "
        "from agg_dashboard_events where district_code = 'D01' and month = '2025-03' "
        "group by source order by source"
    ) == [("logs", 1, 3, 330), ("summaries", 2, 42, 4140)]


def test_the_district_report_states_the_summaries_apart(with_summaries: Warehouse) -> None:
    text = subprocess.run(
        ["pdftotext", str(with_summaries.exports / "reports" / "D01.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.replace("\n", "")
    assert "另据活动汇总表：开展活动2场次，参与42人次，服务时长69.00小时" in text
