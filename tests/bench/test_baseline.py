"""The pandas baseline of ``make bench`` gives the pipeline's ``district_monthly.csv``.

``bench/baselines/pandas_pipeline.py`` is written from DESIGN.md alone (nothing
imported from ingest, publish or export). Its output must equal the pipeline's
export byte for byte: on the first-slice fixture inbox (every reject reason, every
kept fault, hand-worked figures in ``tests/test_pipeline.py``) and on a 20,000-row
demo inbox (every encoding, template, date, time and hours format, duplicates within
and across files, event summaries); and its event-summary rules give hand-worked
figures on a summary file beside the first slice. ``bench.steps.compare_exports`` is
the check that makes ``make bench`` fail when they differ; it is tested on a changed
copy.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path

import pytest

from bench import pages
from bench.baselines import pandas_pipeline
from bench.inputs import DAY_SHARE, one_more_day
from bench.steps import compare_exports
from tests.conftest import FIXTURES, Warehouse
from tests.test_pipeline import EXPECTED_CSV

pytestmark = pytest.mark.integration

SEED = 20250305


def baseline(inbox: Path, out: Path, *extra: str) -> str:
    assert pandas_pipeline.main(["--inbox", str(inbox), "--out", str(out), *extra]) == 0
    return (out / "district_monthly.csv").read_text(encoding="utf-8")


def test_first_slice_baseline_gives_the_hand_worked_figures(
    first_slice: Warehouse, tmp_path: Path
) -> None:
    got = baseline(FIXTURES / "valid" / "first_slice_inbox", tmp_path)
    assert got == EXPECTED_CSV
    assert got == (first_slice.exports / "district_monthly.csv").read_text(encoding="utf-8")


def test_demo_baseline_equals_the_pipeline_export(demo: Warehouse, tmp_path: Path) -> None:
    pipeline = demo.exports / "district_monthly.csv"
    got = baseline(demo.inbox, tmp_path)
    assert compare_exports(pipeline, tmp_path / "district_monthly.csv") == []
    assert got == pipeline.read_text(encoding="utf-8")
    # 9 districts for each of the 24 months the demo spans (2024-11 to 2026-10), and
    # `unknown` in the months where it has sessions
    rows = list(csv.DictReader(io.StringIO(got)))
    known = [r for r in rows if r["district_code"] != "unknown"]
    assert len(known) == 9 * 24
    months = []
    year, month = 2024, 11
    while (year, month) <= (2026, 10):
        months.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    assert sorted({r["month"] for r in known}) == months


def test_a_changed_figure_is_reported_by_district_month_and_column(
    first_slice: Warehouse, tmp_path: Path
) -> None:
    pipeline = first_slice.exports / "district_monthly.csv"
    changed = tmp_path / "district_monthly.csv"
    text = pipeline.read_text(encoding="utf-8")
    changed.write_text(
        text.replace(
            "D02,城西协作区,2025-03,3,3,1.0000,5,5,7.25,",
            "D02,城西协作区,2025-03,3,3,1.0000,5,5,7.50,",
        ),
        encoding="utf-8",
    )
    assert compare_exports(pipeline, changed) == [
        "D02 2025-03 total_hours: pipeline '7.25', pandas '7.50'"
    ]
    missing = tmp_path / "missing.csv"
    missing.write_text("\n".join(text.splitlines()[:-1]) + "\n", encoding="utf-8")
    assert compare_exports(pipeline, missing) == ["unknown 2025-03: only in the pipeline's export"]


def test_a_period_outside_the_data_gives_zero_rows_for_every_district(tmp_path: Path) -> None:
    got = baseline(
        FIXTURES / "valid" / "first_slice_inbox", tmp_path, "--from", "2024-12", "--to", "2024-12"
    )
    assert got.splitlines()[1:] == [
        "D01,城东协作区,2024-12,4,0,0.0000,0,0,0.00,0.00,,0.0000,0,0,0,0,0.00",
        "D02,城西协作区,2024-12,2,0,0.0000,0,0,0.00,0.00,,0.0000,0,0,0,0,0.00",
        "D03,高新协作区,2024-12,0,0,,0,0,0.00,0.00,,,0,0,0,0,0.00",
    ]


# An event summary beside the first-slice inbox: one row per case of DESIGN.md's
# "event summary" rules (组织编码 or 组织名称, 活动日期 or 年份 + 月份, 总时长 or 人均时长).
EVENT_SUMMARY = """\
组织编码,组织名称,活动日期,年份,月份,活动类型,活动名称,参与人数,总时长,人均时长,状态
B012,,2025-02-10,,,党员活动日,二月主题党日,10,20,,
S01,,2025-02-11,,,党员活动日,全校主题党日,30,,2,
B012,,2025-02-10,,,党员活动日,二月主题党日,10,20,,
,第二小学,,2025,4,志愿服务,四月志愿,5,12.5,,
X99,,2025-03-05,,,环境保护,未知单位活动,4,,1.25,
X99,,2024-12-20,,,环境保护,十二月,3,3,,
S02,,2025-03-01,,,环境保护,坏人数,0,5,,
S02,,2025-03-01,,,环境保护,小数人数,2.5,5,,
S02,,2025-03-02,,,环境保护,超时,2,49,,
S02,,2025-03-03,,,环境保护,刚好,2,48,,
S02,,2025-03-04,,,环境保护,待审,3,3,,待审核
S02,,2025-03-07,,,环境保护,取整,3,,0.3333,
S02,,2025-03-08,,,环境保护,取整,3,,0.0125,
S02,,2025-02-30,2025,3,环境保护,坏日期,2,2,,
S02,,2025-01-20,,,党员活动日,一月,6,6,,
"""


def test_event_summaries_give_the_hand_worked_figures(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(FIXTURES / "valid" / "first_slice_inbox", inbox)
    (inbox / "events").mkdir()
    (inbox / "events" / "summary.csv").write_text(EVENT_SUMMARY, encoding="utf-8")
    rows = baseline(inbox, tmp_path / "out").splitlines()[1:]
    # Worked by hand from EVENT_SUMMARY and the first slice (EXPECTED_CSV):
    # - kept: the B012 row once (its exact duplicate counts once); S01 (30 x 2 h); the
    #   第二小学 row by its unique name, 年份 + 月份 -> 2025-04-01; both X99 rows under
    #   `unknown`; S02's 刚好 (2 people, 48 h: 24 h each, in range), both 取整 rows and
    #   the 一月 row. Dropped: headcounts 0 and 2.5 (bad_participants), 49 h for 2
    #   (hours_out_of_range: 24.5 h each), 待审核 (pending), 2025-02-30 (bad_date, the
    #   year and month beside it notwithstanding).
    # - the period runs from 2024-12 (X99's row: `unknown` has a row that month) to
    #   2025-04 (第二小学's), past the sessions' 2025-01 to 2025-03.
    # - D01 2025-02: B012 (a branch) covers 1 of D01's 2 branch units (B011, B012;
    #   S01 has branches, so its 党员活动日 covers nothing); 2 activities logged +
    #   2 reported = 4; 10 + 30 = 40 people; 20 + 60 = 80 h.
    # - D02 2025-01: S02 (a school without branches) is covered by its summary row.
    # - D02 2025-03: 刚好 2 people, 2,880 min; 取整 3 x 0.3333 h = 0.9999 h = 59.994
    #   min -> 60; 取整 3 x 0.0125 h = 2.25 min -> 2 (rounded once per row, not 1 per
    #   person); 2,942 min = 49.0333 h -> 49.03.
    # - roster of the new months: 2024-12 D01 T001 T002 T003 T008, D02 T005 T006;
    #   2025-04 D01 T001 T002 T008 (T003 left in January), D02 T004 T005 T006;
    #   `unknown` T007 (S99) in both of its months. Nobody is active in them.
    assert rows == [
        "D01,城东协作区,2024-12,4,0,0.0000,0,0,0.00,0.00,,0.0000,0,0,0,0,0.00",
        "D01,城东协作区,2025-01,4,3,0.7500,3,3,6.00,2.50,2.00,0.5000,3,0,3,0,0.00",
        "D01,城东协作区,2025-02,3,2,0.6667,2,2,4.05,3.00,2.03,0.5000,2,2,4,40,80.00",
        "D01,城东协作区,2025-03,3,2,0.6667,0,0,0.00,0.00,,0.0000,0,0,0,0,0.00",
        "D01,城东协作区,2025-04,3,0,0.0000,0,0,0.00,0.00,,0.0000,0,0,0,0,0.00",
        "D02,城西协作区,2024-12,2,0,0.0000,0,0,0.00,0.00,,0.0000,0,0,0,0,0.00",
        "D02,城西协作区,2025-01,2,1,0.5000,1,1,3.00,0.00,3.00,1.0000,1,1,2,6,6.00",
        "D02,城西协作区,2025-02,3,1,0.3333,1,1,2.00,0.00,2.00,1.0000,1,0,1,0,0.00",
        "D02,城西协作区,2025-03,3,3,1.0000,5,5,7.25,4.25,1.45,1.0000,5,3,8,8,49.03",
        "D02,城西协作区,2025-04,3,0,0.0000,0,0,0.00,0.00,,0.0000,0,1,1,5,12.50",
        "D03,高新协作区,2024-12,0,0,,0,0,0.00,0.00,,,0,0,0,0,0.00",
        "D03,高新协作区,2025-01,0,0,,0,0,0.00,0.00,,,0,0,0,0,0.00",
        "D03,高新协作区,2025-02,0,0,,0,0,0.00,0.00,,,0,0,0,0,0.00",
        "D03,高新协作区,2025-03,0,0,,0,0,0.00,0.00,,,0,0,0,0,0.00",
        "D03,高新协作区,2025-04,0,0,,0,0,0.00,0.00,,,0,0,0,0,0.00",
        "unknown,未归属区域,2024-12,1,0,0.0000,0,0,0.00,0.00,,,0,1,1,3,3.00",
        "unknown,未归属区域,2025-03,1,0,0.0000,1,1,2.00,2.00,2.00,,1,1,2,4,5.00",
    ]


def test_one_more_day_copies_rows_with_the_new_date(demo: Warehouse, tmp_path: Path) -> None:
    target = tmp_path / "extra" / "day.csv"
    written = one_more_day(demo.inbox, target, dt.date(2026, 11, 1), 100_000)
    rows = list(csv.reader(target.open(encoding="utf-8", newline="")))
    assert written == 100_000 // DAY_SHARE == len(rows) - 1
    assert rows[0][:7] == [
        "person_id",
        "name",
        "id_number",
        "mobile",
        "org_code",
        "org_name",
        "date",
    ]
    assert {r[6] for r in rows[1:]} == {"2026-11-01"}


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(20, 0, -1)]
    assert pages.percentile(values, 0.95) == 19.0
    assert pages.percentile(values, 0.5) == 10.0
    assert pages.percentile([3.0], 0.95) == 3.0
