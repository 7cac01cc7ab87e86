"""The pandas baseline of ``make bench`` gives the pipeline's ``district_monthly.csv``.

``bench/baselines/pandas_pipeline.py`` is written from DESIGN.md alone (nothing
imported from ingest, publish or export). Its output must equal the pipeline's
export byte for byte: on the first-slice fixture inbox (every reject reason, every
kept fault, hand-worked figures in ``tests/test_pipeline.py``) and on a 20,000-row
demo inbox (every encoding, template, date, time and hours format, duplicates within
and across files). ``bench.steps.compare_exports`` is the check that makes
``make bench`` fail when they differ; it is tested on a changed copy.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from pathlib import Path

import pytest

from bench import pages
from bench.baselines import pandas_pipeline
from bench.inputs import DAY_SHARE, one_more_day
from bench.steps import compare_exports
from tests.conftest import FIXTURES, SECRET, Warehouse
from tests.test_pipeline import EXPECTED_CSV

pytestmark = pytest.mark.integration

DEMO_ROWS = 20_000
SEED = 20250305


def baseline(inbox: Path, out: Path, *extra: str) -> str:
    assert pandas_pipeline.main(["--inbox", str(inbox), "--out", str(out), *extra]) == 0
    return (out / "district_monthly.csv").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """A 20,000-row demo inbox through the real pipeline, once for this module."""
    tmp = tmp_path_factory.mktemp("bench_demo")
    env = {**os.environ, "WAREHOUSE_DIR": str(tmp / "warehouse"), "WAREHOUSE_SECRET": SECRET}
    for name in ("FROM", "TO", "OUT", "AS_OF"):
        env.pop(name, None)
    warehouse = Warehouse(tmp / "warehouse", tmp / "inbox", tmp / "exports", env)
    warehouse.run("demo", "--out", str(warehouse.inbox), "--rows", str(DEMO_ROWS))
    warehouse.run("ingest", "--inbox", str(warehouse.inbox))
    warehouse.run("publish")
    warehouse.run("export", "--out", str(warehouse.exports), "--no-pdf")  # the CSV is enough
    return warehouse


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
