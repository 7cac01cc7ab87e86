"""The benchmark's steps, each measured in one round: ingest against its floor, the
pipeline and the no-op build, the pandas baseline and the equality check, the
incremental refresh and the full rebuild, the first-slice builds; then the dashboard's
pages once. ``bench/run.py`` runs them in that order."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.inputs import one_more_day
from bench.measure import REPO, Measure, Run, run_measured, say

FIRST_SLICE = REPO / "tests" / "fixtures" / "valid" / "first_slice_inbox"
PANDAS_MAX_ROWS = 20_000_000  # above it the baseline is not run


@dataclass(frozen=True)
class Setup:
    """What every round's steps share: the commands' Python and environment, the work
    folder and its logs, the demo inbox, the measures and the options as offered."""

    python: str
    env: dict[str, str]
    work: Path
    inbox: Path
    rows: int
    m: dict[str, Measure]
    full_refresh: list[str]
    export_options: list[str]

    @property
    def logs(self) -> Path:
        return self.work / "logs"

    @property
    def warehouse(self) -> Path:
        return self.work / "warehouse"

    @property
    def exports(self) -> Path:
        return self.work / "exports"

    def in_warehouse(self) -> dict[str, str]:
        """The environment of a command on the pipeline's warehouse."""
        return {**self.env, "WAREHOUSE_DIR": str(self.warehouse)}


def compare_exports(pipeline: Path, pandas: Path, limit: int = 20) -> list[str]:
    """Every figure that differs between the two ``district_monthly.csv`` (at most
    ``limit`` lines), or an empty list when they are equal."""

    def rows(path: Path) -> dict[tuple[str, str], dict[str, str]]:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            return {(r["district_code"], r["month"]): r for r in reader}

    ours, theirs = rows(pipeline), rows(pandas)
    differences = []
    for key in sorted(ours.keys() | theirs.keys()):
        if key not in theirs:
            differences.append(f"{key[0]} {key[1]}: only in the pipeline's export")
        elif key not in ours:
            differences.append(f"{key[0]} {key[1]}: only in the pandas baseline's")
        else:
            for column, value in ours[key].items():
                if theirs[key].get(column) != value:
                    differences.append(
                        f"{key[0]} {key[1]} {column}: pipeline {value!r}, "
                        f"pandas {theirs[key].get(column)!r}"
                    )
    if not differences and pipeline.read_bytes() != pandas.read_bytes():
        differences.append("same figures, different bytes (order, header or line ends)")
    return differences[:limit] + (
        [f"... and {len(differences) - limit} more"] if len(differences) > limit else []
    )


def slowest_dbt_nodes(warehouse: Path, count: int = 8) -> list[dict]:
    """dbt's own timing of the last build (``run_results.json``): the slowest nodes."""
    path = warehouse / "dbt" / "target" / "run_results.json"
    if not path.exists():
        return []
    nodes = json.loads(path.read_text(encoding="utf-8")).get("results", [])
    ordered = sorted(nodes, key=lambda n: -(n.get("execution_time") or 0))[:count]
    return [
        {"node": n["unique_id"], "seconds": round(n.get("execution_time") or 0, 2)} for n in ordered
    ]


def machine() -> dict:
    from bench.ingest_bench import _machine

    found = _machine()
    load = os.getloadavg()
    return {
        **found,
        "cores": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in load],
    }


def snapshot_tables(warehouse: Path) -> list[dict]:
    """Every table of the published snapshot with its row count, opened read-only as
    the dashboard does (``publish.snapshot.current_path``)."""
    import duckdb

    from kernel.paths import warehouse_paths
    from kernel.snapshot import current_path

    con = duckdb.connect(str(current_path(warehouse_paths(warehouse))), read_only=True)
    try:
        names = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' order by all"
        ).fetchall()
        return [
            {
                "table": name if schema == "main" else f"{schema}.{name}",
                "rows": con.execute(f'select count(*) from "{schema}"."{name}"').fetchall()[0][0],
            }
            for schema, name in names
        ]
    finally:
        con.close()


def first_slice_build(
    work: Path, env: dict[str, str], logs: Path, round_: int, cold: bool = False
) -> tuple[Run, Run]:
    """Ingest and publish of the first-slice fixture inbox into an empty warehouse;
    ``cold``: with an empty dbt parse cache, so dbt parses the whole project."""
    root = work / ("first_slice_cold" if cold else "first_slice")
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(FIRST_SLICE, root / "inbox")
    fenv = {**env, "WAREHOUSE_DIR": str(root / "warehouse")}
    name = f"first-slice{'-cold' if cold else ''}"
    if cold:
        fenv["DBT_PARSE_CACHE"] = str(root / "parse-cache")
    command = [sys.executable, "-m", "ingest", "--inbox", str(root / "inbox")]
    ingest = run_measured(command, logs / f"{name}-ingest-{round_}", fenv)
    publish = run_measured(
        [sys.executable, "-m", "publish"], logs / f"{name}-publish-{round_}", fenv
    )
    return ingest, publish


def options(python: str, env: dict[str, str]) -> tuple[list[str], list[str]]:
    """The publish option of a full rebuild, and the export options the pandas script is
    compared with (the CSV and workbook, figures as computed, no PDF), as offered."""
    usage = subprocess.run(
        [python, "-m", "publish", "--help"], cwd=REPO, env=env, capture_output=True, text=True
    ).stdout
    # a publish without incremental models rebuilds everything anyway
    full_refresh = ["--full-refresh"] if "--full-refresh" in usage else []
    usage = subprocess.run(
        [python, "-m", "export", "--help"], cwd=REPO, env=env, capture_output=True, text=True
    ).stdout
    export_options = [o for o in ("--no-pdf", "--suppress") if o in usage]
    if "--suppress" in export_options:
        export_options.append("0")
    return full_refresh, export_options


def measures(pandas: bool) -> dict[str, Measure]:
    m = {
        "floor": Measure("floor: DuckDB read_csv(all_varchar) → Parquet, UTF-8 logs"),
        "ingest": Measure("ingest of the same UTF-8 logs"),
        "ingest_gb18030": Measure("ingest of the same logs as GB18030"),
        "transcode": Measure("GB18030 detection + transcoding alone (the same logs)"),
        "pipeline": Measure("pipeline: ingest + dbt build + publish + export"),
        "pipeline_ingest": Measure("  of which ingest (demo inbox as generated)"),
        "pipeline_build": Measure("  of which python -m publish (dbt build, snapshot)"),
        "pipeline_export": Measure("  of which python -m export"),
        "noop": Measure("build with nothing new: python -m publish again"),
        "pandas": Measure("pandas baseline (bench/baselines/pandas_pipeline.py)"),
        "incremental": Measure("incremental: ingest one more day + python -m publish"),
        "incremental_ingest": Measure("  of which ingest of the day's file"),
        "incremental_build": Measure("  of which python -m publish"),
        "full_build": Measure("full rebuild: python -m publish --full-refresh"),
        "first_slice": Measure(
            "first-slice fixture: ingest + publish, empty warehouse, dbt's parse shared"
        ),
        "first_slice_build": Measure("  of which python -m publish"),
        "first_slice_cold": Measure("the same with no dbt parse to start from (cold)"),
        "first_slice_cold_build": Measure("  of which python -m publish"),
    }
    if not pandas:
        del m["pandas"]
    return m


def ingest_against_floor(s: Setup, utf8: Path, gb18030: Path, round_: int) -> None:
    """1. The floor, ingest of the UTF-8 logs and of the GB18030 logs, and transcoding
    alone, on the same logs, each into an empty folder."""
    python, out = s.python, s.work / "out"
    for key, command in (
        ("floor", [python, "-m", "bench.floor", str(utf8), str(out)]),
        ("ingest", [python, "-m", "ingest", "--inbox", str(utf8), "--warehouse", str(out)]),
        (
            "ingest_gb18030",
            [python, "-m", "ingest", "--inbox", str(gb18030), "--warehouse", str(out)],
        ),
        ("transcode", [python, "-m", "bench.transcode", str(gb18030), str(out)]),
    ):
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        run = run_measured(command, s.logs / f"{key}-{round_}", s.env)
        s.m[key].add_steps(run)
        say(f"  {s.m[key].label}: {run.seconds:.2f} s, {run.tree_mb:,.0f} MB")
    shutil.rmtree(out, ignore_errors=True)


def pipeline(s: Setup, round_: int) -> list[dict]:
    """2. The pipeline into an empty warehouse (its dbt target inside it), then a build
    with nothing new; returns the snapshot's tables with their rows."""
    python, m = s.python, s.m
    shutil.rmtree(s.warehouse, ignore_errors=True)
    wenv = s.in_warehouse()
    shutil.rmtree(s.exports, ignore_errors=True)
    steps = []
    for key, command in (
        ("pipeline_ingest", [python, "-m", "ingest", "--inbox", str(s.inbox)]),
        ("pipeline_build", [python, "-m", "publish"]),
        ("pipeline_export", [python, "-m", "export", "--out", str(s.exports), *s.export_options]),
    ):
        run = run_measured(command, s.logs / f"{key}-{round_}", wenv)
        m[key].add_steps(run)
        steps.append(run)
        say(f"  {m[key].label.strip()}: {run.seconds:.2f} s, {run.tree_mb:,.0f} MB")
    seconds = m["pipeline"].add_steps(*steps)
    say(f"  {m['pipeline'].label}: {seconds:.2f} s")
    tables = snapshot_tables(s.warehouse)
    run = run_measured([python, "-m", "publish"], s.logs / f"noop-{round_}", wenv)
    m["noop"].add_steps(run)
    say(f"  {m['noop'].label}: {run.seconds:.2f} s, {run.tree_mb:,.0f} MB")
    return tables


def pandas_baseline(s: Setup, round_: int) -> list[str]:
    """2. The pandas baseline on the same inbox; the figures of its
    ``district_monthly.csv`` that differ from the pipeline's (none: equal)."""
    baseline = s.work / "pandas"
    shutil.rmtree(baseline, ignore_errors=True)
    command = [s.python, "-m", "bench.baselines.pandas_pipeline"]
    command += ["--inbox", str(s.inbox), "--out", str(baseline)]
    run = run_measured(command, s.logs / f"pandas-{round_}", s.env)
    s.m["pandas"].add_steps(run)
    say(f"  {s.m['pandas'].label}: {run.seconds:.2f} s, {run.tree_mb:,.0f} MB")
    found = compare_exports(s.exports / "district_monthly.csv", baseline / "district_monthly.csv")
    if found:
        say("  district_monthly.csv DIFFERS:\n    " + "\n    ".join(found))
    else:
        say("  district_monthly.csv: equal, figure by figure")
    return found


def incremental(s: Setup, round_: int) -> None:
    """3. One more day, incremental; then the full rebuild of the same data."""
    python, m, wenv = s.python, s.m, s.in_warehouse()
    day = dt.date(2026, 10, 31) + dt.timedelta(days=round_)
    extra = s.work / f"extra-{round_}"
    shutil.rmtree(extra, ignore_errors=True)
    added = one_more_day(s.inbox, extra / "logs" / f"追加_{day.isoformat()}.csv", day, s.rows)
    command = [python, "-m", "ingest", "--inbox", str(extra)]
    ingest = run_measured(command, s.logs / f"extra-{round_}", wenv)
    build = run_measured([python, "-m", "publish"], s.logs / f"incremental-{round_}", wenv)
    m["incremental_ingest"].add_steps(ingest)
    m["incremental_build"].add_steps(build)
    seconds = m["incremental"].add_steps(ingest, build)
    say(f"  {m['incremental'].label} ({added:,} rows): {seconds:.2f} s")
    command = [python, "-m", "publish", *s.full_refresh]
    run = run_measured(command, s.logs / f"full-{round_}", wenv)
    m["full_build"].add_steps(run)
    say(f"  {m['full_build'].label}: {run.seconds:.2f} s, {run.tree_mb:,.0f} MB")


def first_slices(s: Setup, round_: int) -> None:
    """4. The first-slice fixture from an empty warehouse, dbt's parse shared, then cold."""
    m = s.m
    ingest, build = first_slice_build(s.work, s.env, s.logs, round_)
    m["first_slice_build"].add_steps(build)
    seconds = m["first_slice"].add_steps(ingest, build)
    say(f"  {m['first_slice'].label}: {seconds:.2f} s")
    ingest, build = first_slice_build(s.work, s.env, s.logs, round_, cold=True)
    m["first_slice_cold_build"].add_steps(build)
    seconds = m["first_slice_cold"].add_steps(ingest, build)
    say(f"  {m['first_slice_cold'].label}: {seconds:.2f} s")


def dashboard_pages(
    s: Setup, page_runs: int, browser_loads: int, browser_sessions: int
) -> tuple[dict, dict | None]:
    """5. The dashboard's pages on the last warehouse (the demo plus the added days):
    under AppTest, then in chromium unless ``browser_loads`` is 0."""
    penv = s.in_warehouse()
    command = [s.python, "-m", "bench.pages", "--runs", str(page_runs)]
    run = run_measured(command, s.logs / "pages", penv)
    pages = json.loads(run.stdout.strip().splitlines()[-1])
    pages["process_tree_mb"] = round(run.tree_mb, 1)
    say(f"  pages (AppTest): p95 {pages['page_p95_s']} s, slowest query {pages['query_max_s']} s")
    browser = None
    if browser_loads > 0:
        command = [s.python, "-m", "bench.browser", "--loads", str(browser_loads)]
        command += ["--sessions", str(browser_sessions), "--log", str(s.logs / "streamlit.log")]
        run = run_measured(command, s.logs / "browser", penv)
        browser = json.loads(run.stdout.strip().splitlines()[-1])
        say(
            f"  pages (chromium): worst p95 {browser['page_p95_s']} s, first page of a new "
            f"session {browser['first_page']['max_s']} s at most"
        )
    return pages, browser
