"""Incremental session facts: loading more files, or a corrected one, and rebuilding
recomputes only what those batches touch, and gives the same marts as a full refresh.

The inbox is the demo's (5,000 rows): two files are held back (a late 补报 file, whose
rows repeat sessions already loaded, and one more district file) and arrive in a second
load; a third load re-sends an early file with its last record removed (a corrected
re-export, which supersedes the old batch). After each, ``python -m publish`` runs the
incremental build; at the end a full refresh must publish the very same marts (the
snapshot digest covers every mart, DESIGN.md "Exports").
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys

import duckdb
import pytest

from tests.conftest import REPO, Warehouse, make_warehouse

pytestmark = pytest.mark.integration

LATE = "logs/2026Q1/D05_第五协作区_补报.csv"
MORE = "logs/2026Q4/D03_第三协作区.csv"


def _manifest(warehouse: Warehouse) -> list[dict]:
    lines = (warehouse.root / "lake" / "manifest.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in lines.splitlines() if line.strip()]


def _changed_batches(warehouse: Warehouse) -> set[str]:
    con = duckdb.connect(str(warehouse.root / "build" / "dbt.duckdb"), read_only=True)
    try:
        rows = con.execute("select batch_id from intermediate.int_activity_batches_changed")
        return {batch_id for (batch_id,) in rows.fetchall()}
    finally:
        con.close()


def _digest(warehouse: Warehouse) -> str:
    return warehouse.query("select digest from _snapshot")[0][0]


def _as_of(warehouse: Warehouse) -> str:
    (as_of,) = warehouse.query("select strftime(as_of, '%Y-%m-%dT%H:%M:%S.%f') from _snapshot")[0]
    return as_of


def _snapshots(warehouse: Warehouse) -> tuple[list[str], str]:
    """The snapshot files, and the one CURRENT names."""
    folder = warehouse.root / "snapshots"
    files = sorted(path.name for path in folder.glob("*.duckdb"))
    return files, (folder / "CURRENT").read_text(encoding="utf-8").strip()


def _publish(warehouse: Warehouse, *args: str) -> str:
    """Build and publish; returns what the build said about its refresh (stderr)."""
    return warehouse.run("publish", *args).stderr


def _drop_last_record(path) -> None:
    """Rewrite a UTF-8 CSV file without its last record (a corrected re-export)."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows[:-1])
    path.write_text(out.getvalue(), encoding="utf-8")


def _first_utf8_file(inbox, folder: str):
    for path in sorted((inbox / folder).iterdir()):
        try:
            rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        except UnicodeDecodeError:
            continue
        if path.suffix == ".csv" and len(rows) > 3:
            return path
    raise AssertionError(f"no UTF-8 CSV with records in {folder}")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Warehouse, object]:
    tmp = tmp_path_factory.mktemp("incremental")
    full = tmp / "demo"
    subprocess.run(
        [sys.executable, "-m", "demo", "--out", str(full), "--rows", "5000", "--seed", "7"],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    warehouse = make_warehouse(tmp, "first_slice_inbox")
    shutil.rmtree(warehouse.inbox)
    shutil.copytree(full, warehouse.inbox)
    held = tmp / "held"
    for name in (LATE, MORE, _summary_file(warehouse.inbox)):
        (held / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(warehouse.inbox / name, held / name)
    return warehouse, held


def _summary_file(inbox) -> str:
    """The demo's last event-summary CSV (a school's month of 活动汇总), as an inbox name."""
    return sorted(path.relative_to(inbox).as_posix() for path in inbox.glob("events/*/*.csv"))[-1]


def test_incremental_builds_equal_a_full_refresh(demo: tuple[Warehouse, object]) -> None:
    warehouse, held = demo
    warehouse.run("ingest", "--inbox", str(warehouse.inbox))
    said = _publish(warehouse)
    assert "full refresh of the session facts (first build)" in said

    # 1. two more logs and a school's event summary: only the logs' batches changed in
    # the session facts; the summary file does not force a full refresh (no session
    # depends on it), yet its rows reach the marts (step 3 proves them equal)
    summary = next(held.glob("events/*/*.csv")).relative_to(held).as_posix()
    for name in (LATE, MORE, summary):
        (warehouse.inbox / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(held / name, warehouse.inbox / name)
    warehouse.run("ingest", "--inbox", str(warehouse.inbox))
    assert "incremental refresh" in _publish(warehouse)
    new = {b["batch_id"] for b in _manifest(warehouse) if b["file"] in (LATE, MORE)}
    assert len(new) == 2
    assert _changed_batches(warehouse) == new
    (summary_batch,) = [b for b in _manifest(warehouse) if b["file"] == summary]
    assert summary_batch["kind"] == "events"
    reported = warehouse.query(
        "select count(*) from fct_event_summaries where batch_id = ?",
        [summary_batch["batch_id"]],
    )
    assert reported == [(summary_batch["rows_loaded"],)]  # the demo's summaries are distinct

    # 2. a corrected re-export of an early file: its old batch leaves, the new one enters
    corrected = _first_utf8_file(warehouse.inbox, "logs/2025Q1")
    name = corrected.relative_to(warehouse.inbox).as_posix()
    (old,) = [b["batch_id"] for b in _manifest(warehouse) if b["file"] == name]
    _drop_last_record(corrected)
    warehouse.run("ingest", "--inbox", str(warehouse.inbox))
    assert "incremental refresh" in _publish(warehouse)
    (current,) = [
        b["batch_id"]
        for b in _manifest(warehouse)
        if b["file"] == name and b["superseded_at"] is None
    ]
    assert _changed_batches(warehouse) == {old, current}
    incremental = _digest(warehouse)

    # 3. the same lake rebuilt from nothing gives the same marts, figure by figure; at
    # the same cut-off that is the current snapshot, kept rather than published twice
    before = _snapshots(warehouse)
    rebuilt = warehouse.run("publish", "--full-refresh")
    assert "full refresh of the session facts (asked for)" in rebuilt.stderr
    assert _digest(warehouse) == incremental
    assert _snapshots(warehouse) == before
    assert rebuilt.stdout.splitlines()[-1] == (
        "the build's marts equal the current snapshot's (the same as_of and digest): "
        f"kept {before[1]}: as_of {_as_of(warehouse)}, digest {incremental}"
    )


def test_a_build_with_nothing_new_keeps_the_snapshot_without_running_dbt(
    demo: tuple[Warehouse, object],
) -> None:
    warehouse, _ = demo
    results = warehouse.root / "dbt" / "target" / "run_results.json"
    ran = results.stat().st_mtime_ns
    before = _snapshots(warehouse)
    again = warehouse.run("publish")
    assert again.stdout == (
        "nothing new since the last green build (the same lake batches, models, seeds and "
        f"AS_OF): kept {before[1]}: as_of {_as_of(warehouse)}, digest {_digest(warehouse)}\n"
    )
    assert "dbt" not in again.stderr
    assert results.stat().st_mtime_ns == ran  # dbt did not run
    assert _snapshots(warehouse) == before
    # the same inbox ingested again adds no batch, so the build still has nothing to do
    warehouse.run("ingest", "--inbox", str(warehouse.inbox))
    assert warehouse.run("publish").stdout.startswith("nothing new since the last green build")
    # asked for, a full refresh runs whatever the inputs
    assert "full refresh of the session facts (asked for)" in _publish(warehouse, "--full-refresh")
    assert results.stat().st_mtime_ns != ran


def test_a_roster_change_makes_the_next_build_a_full_refresh(
    demo: tuple[Warehouse, object],
) -> None:
    warehouse, _ = demo
    (warehouse.inbox / "roster" / "extra_roster.csv").write_text(
        "人员编号,姓名,组织编码,人员类别\nX900001,王五,S001,党员\n", encoding="utf-8"
    )
    warehouse.run("ingest", "--inbox", str(warehouse.inbox))
    said = _publish(warehouse)
    assert "full refresh of the session facts (rosters, organizations, seeds" in said
