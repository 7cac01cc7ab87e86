"""The first slice end to end: fixture inbox -> ingest -> dbt build -> publish -> export.

Every expected figure below was worked out by hand from the fixture files
(tests/fixtures/valid/first_slice_inbox, described in its README.md), not taken
from the code's output. The reasoning for each district-month is in the comments.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pytest

from tests.conftest import Warehouse, file_texts

pytestmark = pytest.mark.integration

# Roster (roster.xlsx): D01 = T001, T002 (B011), T003 (B012, left 2025-01-31),
# T008 (B012); D02 = T004 (S02, joined 2025-02-10), T005 (S02), T006 (O01);
# unknown = T007 (org S99 is not in organizations.csv).
# Branch units: D01 = B011, B012 (S01 has branches); D02 = S02 (no branches; O01 is
# an office); D03 has none.
EXPECTED_CSV = """\
district_code,district_name,month,roster_size,active_members,participation_rate,\
volunteers,person_times,total_hours,volunteer_service_hours,avg_hours_per_volunteer,\
activity_day_coverage,events_logged,events_reported,events_held,reported_person_times,\
reported_hours
D01,城东协作区,2025-01,4,3,0.7500,3,3,6.00,2.50,2.00,0.5000,3,0,3,0,0.00
D01,城东协作区,2025-02,3,2,0.6667,2,2,4.05,3.00,2.03,0.0000,2,0,2,0,0.00
D01,城东协作区,2025-03,3,2,0.6667,0,0,0.00,0.00,,0.0000,0,0,0,0,0.00
D02,城西协作区,2025-01,2,1,0.5000,1,1,3.00,0.00,3.00,0.0000,1,0,1,0,0.00
D02,城西协作区,2025-02,3,1,0.3333,1,1,2.00,0.00,2.00,1.0000,1,0,1,0,0.00
D02,城西协作区,2025-03,3,3,1.0000,5,5,7.25,4.25,1.45,1.0000,5,0,5,0,0.00
D03,高新协作区,2025-01,0,0,,0,0,0.00,0.00,,,0,0,0,0,0.00
D03,高新协作区,2025-02,0,0,,0,0,0.00,0.00,,,0,0,0,0,0.00
D03,高新协作区,2025-03,0,0,,0,0,0.00,0.00,,,0,0,0,0,0.00
unknown,未归属区域,2025-03,1,0,0.0000,1,1,2.00,2.00,2.00,,1,0,1,0,0.00
"""
# Activities held (events_logged): approved sessions grouped by organization, date,
#   type and title. No two sessions of the fixture share all four (D01 2025-01: B011
#   01-10 党员活动日, B011 01-15 便民利民, B012 01-20 党课; 2025-02: B011 02-14 双报到,
#   B012 02-25 支委会; D02 2025-01: S02 01-08 集中培训; 2025-02: S02 02-26 党员活动日;
#   2025-03: S02 03-06 党员活动日, S02 03-10 交通安全, S02 03-12 环境保护, S02 03-12
#   文体娱乐, O01 03-15 植树活动; unknown: B099 03-05), so each district-month's count
#   is its person-times; the fixture has no event summaries: reported 0, held = logged.
# D01 2025-01: s01 lines 2 (T001 120 min activity day at B011), 3 (T002 8:30-11:00 =
#   150 min 便民利民), 4 (T003 90 min 党课); the GB18030 file's line 2 repeats line 4
#   exactly and is removed. 360 min = 6.00 h; volunteer service 150 = 2.50; 3 people;
#   roster T001 T002 T003 T008, active 3 -> 0.7500; B011 held an activity day -> 1/2.
# D01 2025-02: s01 line 5 (T001 180 min 双报到), GB18030 line 3 (T002 1.05 h = 63 min
#   支委会); s01 line 6 is pending. 243 min = 4.05 h; avg 243/120 = 2.025 -> 2.03 (half
#   up); roster T001 T002 T008 (T003 left), active 2 -> 0.6667; no activity day -> 0.
# D01 2025-03: no session at a D01 unit (T002's is at unknown B099, T001's at S02), but
#   T001 and T002 were active elsewhere: 2 of 3 -> 0.6667.
# D02 2025-01: GB18030 line 5 (T005 180 min 集中培训, study_training); roster T005
#   T006 -> 1/2; S02 held no activity day.
# D02 2025-02: GB18030 line 4 (T004 120 min activity day at S02); line 6 is its exact
#   duplicate. Roster T004 T005 T006 -> 1/3 = 0.3333; S02 covered -> 1.0000.
# D02 2025-03: s01 line 20 (T001, org named only as 第二小学 = S02, 60 min activity
#   day), 21 (phone +86 138-0013-8005 = roster T005, 120 min 交通安全), 22 (ID
#   ...43x = roster T004, 1.25 h = 75 min 环境保护), 23 (phone not on the roster, 60
#   min 文体娱乐), 24 (T006 120 min 植树活动 -> other); 25 is rejected by the
#   reviewer, 26 has an unknown status word (pending). 435 min = 7.25 h; volunteer
#   service 120 + 75 + 60 = 255 = 4.25 h; 5 people; avg 1.45; roster all 3 active.
# unknown 2025-03: s01 line 19 (T002 at unknown org B099, 120 min 交通安全); roster
#   T007, not active -> 0.0000; no branch units -> empty coverage.


def test_district_monthly_equals_hand_worked_figures(first_slice: Warehouse) -> None:
    written = (first_slice.exports / "district_monthly.csv").read_bytes()
    assert written == EXPECTED_CSV.encode("utf-8")  # UTF-8, no BOM, LF line ends


def test_manifest_names_period_as_of_and_digest(first_slice: Warehouse) -> None:
    manifest = json.loads((first_slice.exports / "manifest.json").read_text(encoding="utf-8"))
    loaded_at = [
        json.loads(line)["loaded_at"]
        for line in (first_slice.root / "lake" / "manifest.jsonl").read_text().splitlines()
    ]
    con = duckdb.connect(str(_current_snapshot(first_slice)), read_only=True)
    digest = con.execute("select digest from _snapshot").fetchall()[0][0]
    assert manifest["period"] == {"from": "2025-01", "to": "2025-03"}
    assert manifest["as_of"] == max(loaded_at)
    assert manifest["digest"] == digest
    assert manifest["files"]["district_monthly.csv"]["rows"] == 10


def test_every_file_conserves_its_rows(first_slice: Warehouse) -> None:
    results = {r["file"]: r for r in json.loads(first_slice.outputs["ingest"].stdout)}
    # (rows read, loaded, rejected), counted by hand from the fixture files
    expected = {
        "districts.csv": (3, 3, 0),
        "organizations.csv": (5, 5, 0),
        "roster.xlsx": (8, 8, 0),
        "logs/s01_2025q1.csv": (25, 13, 12),
        "logs/s02_2025q1_gb18030.csv": (5, 5, 0),
    }
    assert {
        f: (r["rows_read"], r["rows_loaded"], r["rows_rejected"]) for f, r in results.items()
    } == expected
    for result in results.values():
        assert result["rows_read"] == result["rows_loaded"] + result["rows_rejected"]


def test_the_build_prints_a_summary_and_keeps_every_dbt_line_in_its_log(
    first_slice: Warehouse,
) -> None:
    build = first_slice.outputs["build"]  # piped: no terminal
    lines = build.stdout.splitlines()
    assert len(lines) == 4
    summary = re.fullmatch(
        r"dbt build: \d+ models, \d+ seeds, (\d+) data tests "
        r"\((\d+) passed, 0 warned, 0 failed\) in (\d+\.\d|\d+ min \d\d) s",
        lines[0],
    )
    assert summary and summary.group(1) == summary.group(2)
    # s01 line 4 is repeated by s02 line 2, and s02 line 6 repeats its line 4 (README)
    assert lines[1] == (
        "duplicates: 2 rows dropped as exact copies of a row loaded before them "
        "(by file: python -m ingest status)"
    )
    log = Path(lines[2].removeprefix("every dbt node: "))
    assert log.parent == first_slice.root / "logs"
    assert re.fullmatch(r"build-\d{8}T\d{6}Z(-\d+)?\.log", log.name)
    assert lines[3].startswith("published ")
    # a few plain progress lines on stderr, no colour or carriage return anywhere
    said = build.stderr.splitlines()
    assert said[0] == "full refresh of the session facts (first build)"
    assert [re.sub(r"\d+", "N", line) for line in said[1:]] in (
        ["dbt build: N of N nodes done (N.N s)"] * 3,
        ["dbt build: N of N nodes done (N.N s)"] * 2 + ["dbt build: N of N nodes done (N min N s)"],
    )
    assert "\x1b" not in build.stdout + build.stderr and "\r" not in build.stderr
    # the log: every dbt line, plain, and the summary
    logged = log.read_text(encoding="utf-8")
    assert "OK created sql table model marts.main.agg_district_monthly" in logged
    assert "Completed successfully" in logged and "\x1b" not in logged
    assert logged.endswith("\n".join(lines[:3]) + "\n")


def test_each_reason_code_rejects_its_line(first_slice: Warehouse) -> None:
    rejects = first_slice.run("ingest", "rejects", "--json")
    got = [(r["file"], r["line"], r["reason"]) for r in json.loads(rejects.stdout)]
    reasons = [
        "missing_person",
        "missing_org",
        "missing_date",
        "bad_date",
        "date_out_of_range",
        "bad_time",
        "end_before_start",
        "missing_hours",
        "bad_hours",
        "hours_out_of_range",
        "missing_activity_type",
        "bad_id_number",
    ]
    assert got == [("logs/s01_2025q1.csv", 7 + i, r) for i, r in enumerate(reasons)]


def test_sessions_resolve_people_orgs_and_types(first_slice: Warehouse) -> None:
    con = duckdb.connect(str(_current_snapshot(first_slice)), read_only=True)
    rows = con.execute(
        "select source_line, identified_by, org_code, district_code, activity_type_code, "
        "status, duplicates_removed from fct_volunteer_sessions "
        "where source_file = 'logs/s01_2025q1.csv' and source_line >= 19 order by source_line"
    ).fetchall()
    assert rows == [
        (19, "person_id", "unknown", "unknown", "traffic_safety", "approved", 0),
        (20, "person_id", "S02", "D02", "activity_day", "approved", 0),
        (21, "phone", "S02", "D02", "traffic_safety", "approved", 0),
        (22, "id_number", "S02", "D02", "environmental_protection", "approved", 0),
        (23, "unmatched", "S02", "D02", "culture_sports", "approved", 0),
        (24, "person_id", "O01", "D02", "other", "approved", 0),
        (25, "person_id", "O01", "D02", "home_visit", "rejected", 0),
        (26, "person_id", "O01", "D02", "home_visit", "pending", 0),
    ]
    # 18 landed rows, 2 exact duplicates removed
    assert con.execute("select count(*) from fct_volunteer_sessions").fetchall() == [(16,)]
    assert con.execute(
        "select source_file, source_line, duplicates_removed from fct_volunteer_sessions "
        "where duplicates_removed > 0 order by all"
    ).fetchall() == [
        ("logs/s01_2025q1.csv", 4, 1),
        ("logs/s02_2025q1_gb18030.csv", 4, 1),
    ]


def test_loading_again_changes_nothing(first_slice: Warehouse) -> None:
    manifest = first_slice.root / "lake" / "manifest.jsonl"
    before = manifest.read_bytes()
    again = first_slice.run("ingest", "--inbox", str(first_slice.inbox), "--json")
    assert {r["outcome"] for r in json.loads(again.stdout)} == {"unchanged"}
    assert manifest.read_bytes() == before
    first_slice.run("publish")
    out = first_slice.exports.parent / "exports_again"
    first_slice.run("export", "--out", str(out))
    assert (out / "district_monthly.csv").read_bytes() == EXPECTED_CSV.encode("utf-8")
    first = json.loads((first_slice.exports / "manifest.json").read_text())
    second = json.loads((out / "manifest.json").read_text())
    assert second == first  # same as_of, same digest: the same data


CLEAR_NUMBERS = [
    "110105198001010016",
    "410102198503150029",
    "410104199007200047",
    "41010320080612043X",
    "41010320080612043x",
    "410105197511110056",
    "13800138001",
    "13800138002",
    "13800138005",
    "13900139000",
]


def test_no_personal_number_in_clear_anywhere(first_slice: Warehouse) -> None:
    files = sorted(first_slice.root.rglob("*")) + sorted(first_slice.exports.rglob("*"))
    texts = [text for path in files if path.is_file() for text in file_texts(path)]
    texts += [out.stdout + out.stderr for out in first_slice.outputs.values()]
    everything = "\n".join(texts)
    assert "幸福社区" in everything  # the scan does read the data
    for number in CLEAR_NUMBERS:
        assert number not in everything, number


def _current_snapshot(warehouse: Warehouse) -> Path:
    name = (warehouse.root / "snapshots" / "CURRENT").read_text().strip()
    return warehouse.root / "snapshots" / name
