"""``make bench ROWS=N`` (``python -m bench.run --rows N``): the benchmark suite of issue 16.

In one run on one machine, on the demo inbox of ``N`` activity rows (written once by
``python -m demo`` and cached under ``bench/.cache/``, keyed by a digest of the demo's
code), each measurement three times below 10 million rows and once at 10 million or
more (median and spread). Every warehouse starts empty (its dbt target inside it):

1. **ingest against its floor**: helper code of ``bench/ingest_bench.py`` writes the
   demo's activity logs as plain UTF-8 and as GB18030; the floor is DuckDB's bare
   ``read_csv(all_varchar = true)`` of the UTF-8 files to Parquet
   (``bench/floor.py``); ingest is ``python -m ingest`` of the UTF-8 files and of the
   GB18030 files, each against that floor; the GB18030 detection and transcoding is
   timed alone (``bench/transcode.py``);
2. **the whole pipeline** (``python -m ingest`` of the demo inbox as generated,
   ``python -m publish``: ``dbt build`` and the snapshot, ``python -m export``)
   into an empty warehouse, against **the pandas baseline**
   (``bench/baselines/pandas_pipeline.py``, not run above 20 million rows) on the
   same inbox. Their ``district_monthly.csv`` must be equal, figure by figure: the run
   fails otherwise (exit 1), after writing the results with the differences. Then
   ``python -m publish`` again with nothing new (**the no-op build**), and the rows
   of every table of the published snapshot, against the input rows;
3. **incremental refresh against a full rebuild**: one more day of logs (a new
   small file, rows copied from the last quarter's logs with the date moved to a
   day after the data) is ingested and ``python -m publish`` run; then
   ``python -m publish --full-refresh`` rebuilds the same data from every batch;
4. **the first-slice build**: ``python -m ingest`` and ``python -m publish`` of the
   first-slice fixture inbox (``tests/fixtures/valid/first_slice_inbox``, what the
   tests' ``first_slice`` fixture ingests) into an empty warehouse; once with dbt's
   parse of the project shared by an earlier build (what every refresh of a bureau
   finds, ``DBT_PARSE_CACHE``), once with none (the first build after installing or
   changing the code).

dbt's shared parse (``publish.runner.parse_cache()``) lives outside every warehouse and
dbt target: the run uses a folder of its own (``WORK/parse-cache``), emptied and then
filled by one untimed first-slice build before round 1, so every timed build starts
from the same parse, as a bureau's do; the cold first-slice build alone starts from
an empty one.
5. **every dashboard page**, under AppTest (``bench/pages.py``: cold cache) with its
   slowest ``dashboard.queries`` call, and in chromium (``bench/browser.py``: 20
   loads of each page, and the first page of a new browser session);
6. **peak memory** of every process and all its descendants together, sampled every
   50 ms (``bench/memory.py``); ``ru_maxrss`` from ``os.wait4``, the largest single
   process, is kept beside it.

Issue 16's targets (``bench/targets.py``) are judged on the medians and the tree
peaks. Results: ``bench/results/<date>-<rows>.md`` and ``.json``,
``bench/results/latest.json`` and the plot ``bench/results/scaling.png``
(``bench/plot.py``) of every size measured.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.memory import TreeSampler
from bench.targets import evaluate, size_targets

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
CACHE = REPO / "bench" / ".cache"
DEMO = REPO / "demo"
FIRST_SLICE = REPO / "tests" / "fixtures" / "valid" / "first_slice_inbox"
SEED = 20250305
HEADLINE_ROWS = 10_000_000
PANDAS_MAX_ROWS = 20_000_000  # above it the baseline is not run (issue 16)
DAY_SHARE = 730  # the demo spans 24 months: one day is about rows / 730


@dataclass
class Measure:
    """One thing timed, as often as the run repeats: seconds, the process tree's peak
    memory and the largest single process's (``ru_maxrss``) of each."""

    label: str
    seconds: list[float] = field(default_factory=list)
    tree_mb: list[float] = field(default_factory=list)
    maxrss_mb: list[float] = field(default_factory=list)

    def add(self, seconds: float, tree_mb: float, maxrss_mb: float) -> None:
        self.seconds.append(seconds)
        self.tree_mb.append(tree_mb)
        self.maxrss_mb.append(maxrss_mb)

    def add_steps(self, *runs: Run) -> float:
        """Runs one after the other as one measure: their seconds added, their peaks
        the largest step's (they never run at once); returns the seconds."""
        seconds = sum(run.seconds for run in runs)
        self.add(seconds, max(run.tree_mb for run in runs), max(run.maxrss_mb for run in runs))
        return seconds

    def summary(self) -> dict:
        return {
            "label": self.label,
            "median_s": round(statistics.median(self.seconds), 2),
            "min_s": round(min(self.seconds), 2),
            "max_s": round(max(self.seconds), 2),
            "tree_mb": round(max(self.tree_mb), 1),
            "maxrss_mb": round(max(self.maxrss_mb), 1),
            "seconds": [round(s, 3) for s in self.seconds],
        }


@dataclass(frozen=True)
class Run:
    """One process measured: wall seconds, its tree's peak, its ``ru_maxrss``, stdout."""

    seconds: float
    tree_mb: float
    maxrss_mb: float
    stdout: str


class BenchFailure(Exception):
    """A step failed or the outputs differ; the message says which and where."""


def run_measured(command: list[str], log: Path, env: dict[str, str], cwd: Path = REPO) -> Run:
    """Run ``command``, its process tree's memory sampled until it has ended."""
    log.parent.mkdir(parents=True, exist_ok=True)
    out_path, err_path = log.with_suffix(".out"), log.with_suffix(".err")
    with out_path.open("wb") as out, err_path.open("wb") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err)
        with TreeSampler(process.pid) as sampler:
            _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    stdout = out_path.read_text(encoding="utf-8", errors="replace")
    if code != 0:
        stderr = err_path.read_text(encoding="utf-8", errors="replace")
        raise BenchFailure(
            f"{' '.join(command)} exited {code} (log {err_path}):\n{(stdout + stderr)[-3000:]}"
        )
    largest = usage.ru_maxrss / 1024  # KiB on Linux
    # the tree held at least its largest process's exact peak, which sampling can miss
    return Run(seconds, max(sampler.peak_mb, largest), largest, stdout)


def say(text: str) -> None:
    print(text, flush=True)


# --- inputs ----------------------------------------------------------------------------


def demo_digest(demo: Path = DEMO) -> str:
    """SHA-256 over the generator's code (every ``.py`` of ``demo``, path and bytes, in
    path order): a changed demo writes another inbox, so the cache never serves an old one."""
    digest = hashlib.sha256()
    for path in sorted(demo.rglob("*.py")):
        digest.update(path.relative_to(demo).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def demo_inbox(rows: int, seed: int, cache: Path, env: dict[str, str]) -> Path:
    """The demo inbox of ``rows`` rows, written once per version of the demo's code and
    reused (``bench/.cache/inbox-ROWS-SEED-DIGEST``); older versions' inboxes of the same
    rows and seed are removed (a 10M inbox is 1.3 GB)."""
    inbox = cache / f"inbox-{rows}-{seed}-{demo_digest()[:12]}"
    for stale in cache.glob(f"inbox-{rows}-{seed}*"):
        if stale.name not in (inbox.name, f"{inbox.name}-encoded"):
            shutil.rmtree(stale, ignore_errors=True)
    manifest = inbox / ".demo_manifest.json"
    if manifest.exists():
        written = json.loads(manifest.read_text(encoding="utf-8"))
        complete = written.get("complete") is not False  # a run cut short says False
        if written.get("rows") == rows and written.get("seed") == seed and complete:
            say(f"demo inbox: {inbox} (cached)")
            return inbox
    say(f"demo inbox: writing {rows:,} rows to {inbox}")
    command = [sys.executable, "-m", "demo", "--out", str(inbox), "--rows", str(rows)]
    run_measured([*command, "--seed", str(seed)], cache / "logs" / f"demo-{rows}", env)
    return inbox


def encoded_copies(inbox: Path, cache: Path) -> tuple[Path, Path, dict]:
    """The demo's activity logs as plain UTF-8 and as GB18030 (cached beside the inbox)."""
    from bench.ingest_bench import write_inputs

    root = cache / f"{inbox.name}-encoded"
    utf8, gb18030, done = root / "utf8", root / "gb18030", root / "inputs.json"
    if done.exists():
        return utf8, gb18030, json.loads(done.read_text(encoding="utf-8"))
    shutil.rmtree(root, ignore_errors=True)
    inputs = write_inputs(inbox, utf8, gb18030)
    done.write_text(json.dumps(inputs), encoding="utf-8")
    return utf8, gb18030, inputs


def one_more_day(inbox: Path, target: Path, day: dt.date, rows: int) -> int:
    """A new log of about one day of sessions: rows of the newest UTF-8 English-header
    log (template D: ISO dates) with their date moved to ``day``."""
    manifest = json.loads((inbox / ".demo_manifest.json").read_text(encoding="utf-8"))
    logs = [f for f in manifest["files"] if f["kind"] == "activity" and f["encoding"] == "utf-8"]
    english = [f for f in logs if f.get("template") == "D"] or logs
    source = inbox / max(english, key=lambda f: f["path"])["path"]
    with source.open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    header, body = table[0], table[1:]
    date_column = header.index("date") if "date" in header else 6
    wanted = max(50, rows // DAY_SHARE)
    picked = [body[i % len(body)] for i in range(0, wanted * 7, 7)][:wanted]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in picked:
        row = list(row)
        row[date_column] = day.isoformat()
        writer.writerow(row)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(buffer.getvalue(), encoding="utf-8")
    return len(picked)


# --- comparison ------------------------------------------------------------------------


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


# --- helpers ---------------------------------------------------------------------------


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
        "shared": True,  # other agents worked on the machine during the runs
    }


# --- the run ---------------------------------------------------------------------------


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
                "rows": con.execute(f'select count(*) from "{schema}"."{name}"').fetchone()[0],
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


def bench(
    rows: int,
    runs: int,
    seed: int,
    cache: Path,
    work: Path,
    page_runs: int,
    browser_loads: int,
    browser_sessions: int,
) -> dict:
    python = sys.executable
    env = {**os.environ, "PYTHONPATH": str(REPO), "WAREHOUSE_SECRET": "bench-secret"}
    for name in ("WAREHOUSE_DIR", "FROM", "TO", "OUT", "AS_OF", "FULL_REFRESH"):
        env.pop(name, None)
    logs = work / "logs"
    started = time.perf_counter()
    result: dict = {"date": dt.date.today().isoformat(), "rows": rows, "seed": seed}
    result["runs"] = runs
    result["machine"] = machine()

    # dbt's shared parse: the run's own, filled once before the timed runs (docstring)
    parse_cache = work / "parse-cache"
    shutil.rmtree(parse_cache, ignore_errors=True)
    env["DBT_PARSE_CACHE"] = str(parse_cache)
    first_slice_build(work, env, logs, 0)
    inbox = demo_inbox(rows, seed, cache, env)
    utf8, gb18030, inputs = encoded_copies(inbox, cache)
    result["inputs"] = {
        "inbox_files": sum(1 for p in inbox.rglob("*") if p.is_file() and p.name[0] != "."),
        "inbox_bytes": sum(p.stat().st_size for p in inbox.rglob("*") if p.is_file()),
        "demo_digest": demo_digest(),
        **inputs,
    }
    with_pandas = rows <= PANDAS_MAX_ROWS
    m = measures(with_pandas)
    full_refresh, export_options = options(python, env)
    m["pipeline_export"].label += f" --out DIR {' '.join(export_options)}".rstrip()
    m["full_build"].label = f"full rebuild: python -m publish {' '.join(full_refresh)}".strip()
    out = work / "out"
    differences: list[str] = []
    tables: list[dict] = []
    warehouse = work / "warehouse"
    for round_ in range(1, runs + 1):
        say(f"round {round_} of {runs}")
        # 1. ingest against the floor, on the same logs, each into an empty folder
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
            run = run_measured(command, logs / f"{key}-{round_}", env)
            m[key].add_steps(run)
            say(f"  {m[key].label}: {run.seconds:.2f} s, {run.tree_mb:,.0f} MB")
        shutil.rmtree(out, ignore_errors=True)

        # 2. the pipeline into an empty warehouse (its dbt target inside it), the
        # snapshot's tables, a build with nothing new, then the pandas baseline
        shutil.rmtree(warehouse, ignore_errors=True)
        wenv = {**env, "WAREHOUSE_DIR": str(warehouse)}
        exports = work / "exports"
        shutil.rmtree(exports, ignore_errors=True)
        steps = []
        for key, command in (
            ("pipeline_ingest", [python, "-m", "ingest", "--inbox", str(inbox)]),
            ("pipeline_build", [python, "-m", "publish"]),
            ("pipeline_export", [python, "-m", "export", "--out", str(exports), *export_options]),
        ):
            run = run_measured(command, logs / f"{key}-{round_}", wenv)
            m[key].add_steps(run)
            steps.append(run)
            say(f"  {m[key].label.strip()}: {run.seconds:.2f} s, {run.tree_mb:,.0f} MB")
        seconds = m["pipeline"].add_steps(*steps)
        say(f"  {m['pipeline'].label}: {seconds:.2f} s")
        tables = snapshot_tables(warehouse)
        run = run_measured([python, "-m", "publish"], logs / f"noop-{round_}", wenv)
        m["noop"].add_steps(run)
        say(f"  {m['noop'].label}: {run.seconds:.2f} s, {run.tree_mb:,.0f} MB")
        if with_pandas:
            baseline = work / "pandas"
            shutil.rmtree(baseline, ignore_errors=True)
            command = [python, "-m", "bench.baselines.pandas_pipeline"]
            command += ["--inbox", str(inbox), "--out", str(baseline)]
            run = run_measured(command, logs / f"pandas-{round_}", env)
            m["pandas"].add_steps(run)
            say(f"  {m['pandas'].label}: {run.seconds:.2f} s, {run.tree_mb:,.0f} MB")
            found = compare_exports(
                exports / "district_monthly.csv", baseline / "district_monthly.csv"
            )
            if found:
                differences = found
                say("  district_monthly.csv DIFFERS:\n    " + "\n    ".join(found))
            else:
                say("  district_monthly.csv: equal, figure by figure")

        # 3. one more day, incremental; then the full rebuild of the same data
        day = dt.date(2026, 10, 31) + dt.timedelta(days=round_)
        extra = work / f"extra-{round_}"
        shutil.rmtree(extra, ignore_errors=True)
        added = one_more_day(inbox, extra / "logs" / f"追加_{day.isoformat()}.csv", day, rows)
        command = [python, "-m", "ingest", "--inbox", str(extra)]
        ingest = run_measured(command, logs / f"extra-{round_}", wenv)
        build = run_measured([python, "-m", "publish"], logs / f"incremental-{round_}", wenv)
        m["incremental_ingest"].add_steps(ingest)
        m["incremental_build"].add_steps(build)
        seconds = m["incremental"].add_steps(ingest, build)
        say(f"  {m['incremental'].label} ({added:,} rows): {seconds:.2f} s")
        command = [python, "-m", "publish", *full_refresh]
        run = run_measured(command, logs / f"full-{round_}", wenv)
        m["full_build"].add_steps(run)
        say(f"  {m['full_build'].label}: {run.seconds:.2f} s, {run.tree_mb:,.0f} MB")

        # 4. the first-slice fixture from an empty warehouse
        ingest, build = first_slice_build(work, env, logs, round_)
        m["first_slice_build"].add_steps(build)
        seconds = m["first_slice"].add_steps(ingest, build)
        say(f"  {m['first_slice'].label}: {seconds:.2f} s")
        ingest, build = first_slice_build(work, env, logs, round_, cold=True)
        m["first_slice_cold_build"].add_steps(build)
        seconds = m["first_slice_cold"].add_steps(ingest, build)
        say(f"  {m['first_slice_cold'].label}: {seconds:.2f} s")

    dbt_slowest = slowest_dbt_nodes(warehouse)

    # 5. the dashboard's pages, on the last warehouse (the demo plus the added days)
    penv = {**env, "WAREHOUSE_DIR": str(warehouse)}
    command = [python, "-m", "bench.pages", "--runs", str(page_runs)]
    run = run_measured(command, logs / "pages", penv)
    pages = json.loads(run.stdout.strip().splitlines()[-1])
    pages["process_tree_mb"] = round(run.tree_mb, 1)
    say(f"  pages (AppTest): p95 {pages['page_p95_s']} s, slowest query {pages['query_max_s']} s")
    browser = None
    if browser_loads > 0:
        command = [python, "-m", "bench.browser", "--loads", str(browser_loads)]
        command += ["--sessions", str(browser_sessions), "--log", str(logs / "streamlit.log")]
        run = run_measured(command, logs / "browser", penv)
        browser = json.loads(run.stdout.strip().splitlines()[-1])
        say(
            f"  pages (chromium): worst p95 {browser['page_p95_s']} s, first page of a new "
            f"session {browser['first_page']['max_s']} s at most"
        )

    s = {key: value.summary() for key, value in m.items()}
    result["measures"] = s
    result["pages"] = pages
    result["browser"] = browser
    result["tables"] = tables
    result["dbt_slowest_nodes"] = dbt_slowest
    result["pandas_skipped"] = not with_pandas
    result["equal"] = not differences if with_pandas else None
    result["differences"] = differences
    result.update(figures(rows, s, pages, browser))
    result["targets"] = [vars(v) for v in evaluate(result)]
    result["target_set"] = size_targets(rows).name
    result["bench_s"] = round(time.perf_counter() - started, 1)
    return result


def figures(rows: int, s: dict, pages: dict, browser: dict | None) -> dict:
    """The flat figures of ``latest.json``, the plot and the targets: medians of
    seconds, tree peaks (``*_tree_mb``) and, as before issue 16, ``ru_maxrss``
    (``*_peak_rss_mb``)."""

    def median(key: str) -> float | None:
        return s[key]["median_s"] if key in s else None

    pandas = s.get("pandas")
    return {
        "ingest_s": median("ingest"),
        "ingest_gb18030_s": median("ingest_gb18030"),
        "floor_s": median("floor"),
        "transcode_s": median("transcode"),
        "pipeline_s": median("pipeline"),
        "pandas_s": median("pandas"),
        "build_s": median("pipeline_build"),
        "noop_s": median("noop"),
        "incremental_s": median("incremental"),
        "incremental_build_s": median("incremental_build"),
        "full_build_s": median("full_build"),
        "full_rebuild_s": median("full_build"),
        "first_slice_s": median("first_slice"),
        "first_slice_build_s": median("first_slice_build"),
        "first_slice_cold_s": median("first_slice_cold"),
        "page_p95_s": pages["page_p95_s"],
        "query_max_s": pages["query_max_s"],
        "browser_page_p95_s": browser["page_p95_s"] if browser else None,
        "browser_page_p95_page": browser["page_p95_page"] if browser else None,
        "browser_first_page_s": browser["first_page"]["max_s"] if browser else None,
        "pipeline_tree_mb": s["pipeline"]["tree_mb"],
        "pandas_tree_mb": pandas["tree_mb"] if pandas else None,
        "ingest_tree_mb": max(
            s[k]["tree_mb"] for k in ("ingest", "ingest_gb18030", "pipeline_ingest")
        ),
        "pipeline_peak_rss_mb": s["pipeline"]["maxrss_mb"],
        "pandas_peak_rss_mb": pandas["maxrss_mb"] if pandas else None,
        "ingest_peak_rss_mb": s["ingest"]["maxrss_mb"],
        "activity_rows": rows,
    }


def _load_note(load: list[float]) -> str:
    """How busy the machine was as the run began (its load averages)."""
    shown = ", ".join(str(x) for x in load)
    if max(load) < 1:
        return f". A quiet machine: load average {shown} at the start."
    return (
        f". **A shared machine**: other work ran during the run (load average {shown} at "
        "the start), so times carry its noise; the spread column shows how much."
    )


MEMORY_NOTE = (
    "Memory is the peak of the whole process tree: the resident sets (`VmRSS`) of the "
    "process and every descendant (`/proc/<pid>/task/*/children`, recursively), summed "
    "every 50 ms, the largest sum kept (`bench/memory.py`), and never less than the "
    "largest process's exact peak. Beside it, `ru_maxrss` from `os.wait4`: the largest "
    "single process among it and the children it waited for, the figure of the results "
    "before issue 16. A step of several processes in turn "
    "(the pipeline: ingest, publish, export) peaks at its largest step."
)


def _measures_table(s: dict) -> list[str]:
    lines = [
        "| measure | median s | min – max s | tree peak MB | largest process MB |",
        "|---|---:|---:|---:|---:|",
    ]
    for entry in s.values():
        lines.append(
            f"| {entry['label']} | {entry['median_s']:,.2f} | {entry['min_s']:,.2f} – "
            f"{entry['max_s']:,.2f} | {entry['tree_mb']:,.0f} | {entry['maxrss_mb']:,.0f} |"
        )
    return lines


def _tables_table(result: dict) -> list[str]:
    rows = result["rows"]
    lines = [
        f"Rows of every table of the published snapshot after the pipeline, against the "
        f"{rows:,} activity rows of the input (rows read from the logs, rejects and "
        "duplicates included):",
        "",
        "| table | rows | per 1,000 input rows |",
        "|---|---:|---:|",
        f"| (input: activity rows in the logs) | {rows:,} | 1,000 |",
    ]
    for table in result["tables"]:
        lines.append(
            f"| `{table['table']}` | {table['rows']:,} | {1000 * table['rows'] / rows:,.2f} |"
        )
    return lines


def _pages_tables(pages: dict, browser: dict | None) -> list[str]:
    lines = [
        "| page (AppTest, cold cache) | median s | max s | slowest query | errors |",
        "|---|---:|---:|---|---|",
    ]
    for name, page in pages["pages"].items():
        query = next(iter(page["queries"].items()), ("", 0.0))
        lines.append(
            f"| {name} | {page['median_s']:.3f} | {page['max_s']:.3f} | "
            f"`{query[0]}` {query[1]:.3f} s | {'; '.join(page['errors'])[:200] or 'none'} |"
        )
    if browser is None:
        return [*lines, "", "Pages in a browser: not measured (`--browser-loads 0`)."]
    first = browser["first_page"]
    lines += [
        "",
        f"| page in chromium ({browser['loads']} loads each) | route | median s | p95 s | "
        "max s | errors |",
        "|---|---|---:|---:|---:|---|",
        f"| first page of a new browser session ({browser['sessions']} sessions) | / | "
        f"{first['median_s']:.3f} | {first['p95_s']:.3f} | {first['max_s']:.3f} | |",
    ]
    for name, page in browser["pages"].items():
        lines.append(
            f"| {name} | `{page['route']}` | {page['median_s']:.3f} | {page['p95_s']:.3f} | "
            f"{page['max_s']:.3f} | {'; '.join(page['errors'])[:200] or 'none'} |"
        )
    return lines


def markdown(result: dict) -> str:
    mc, s, pages = result["machine"], result["measures"], result["pages"]
    runs = result["runs"]
    changes = ", ".join(mc.get("ingest_changes") or [])
    if result["pandas_skipped"]:
        equality = (
            f"Equality check: **not made**; the pandas baseline is not run above "
            f"{PANDAS_MAX_ROWS:,} rows, so the targets against it are not measured."
        )
    else:
        equality = (
            "Equality check, `district_monthly.csv` of the pipeline against the pandas "
            f"baseline: **{'equal, figure by figure' if result['equal'] else 'DIFFERENT'}**."
        )
    lines = [
        f"# Benchmark: {result['rows']:,} rows ({result['date']})",
        "",
        f"Machine: {mc.get('cpu') or 'unknown CPU'}, {mc['cpus']} cores, {mc['memory']}; "
        f"Python {mc['python']}, DuckDB {mc['duckdb']}; "
        + (
            f"code: {mc['source']}"
            if mc.get("source")
            else f"commit {mc['commit']}{' with local changes in ' + changes if changes else ''}"
        )
        + _load_note(mc["load_average_at_start"]),
        "",
        f"Input: `python -m demo --rows {result['rows']} --seed {result['seed']}` "
        f"({result['inputs']['inbox_files']} files, "
        f"{result['inputs']['inbox_bytes'] / 1e6:,.0f} MB; demo code "
        f"{result['inputs']['demo_digest'][:12]}). {runs} run{'s' if runs > 1 else ''} of "
        "each, one after the other, every warehouse and dbt target empty at the start; each "
        "process timed wall-clock (start-up included). The whole run took "
        f"{result['bench_s']:,.0f} s.",
        "",
        MEMORY_NOTE,
        "",
        *_measures_table(s),
        "",
        *_tables_table(result),
        "",
        *_pages_tables(pages, result["browser"]),
        "",
        equality,
        *[f"    {d}" for d in result["differences"]],
        "",
        f"Targets (issue 16; the {result['target_set']}, as this run has {result['rows']:,} rows):",
        "",
        *[f"- {v['target']}: **{v['status']}** ({v['figures']})." for v in result["targets"]],
        "",
        f"The no-op build is compared with the pipeline's `python -m publish` into the empty "
        f"warehouse (the full build); the incremental publish (after the day's file is "
        f"ingested: {s['incremental_ingest']['median_s']:.2f} s more) with "
        "`python -m publish --full-refresh` of the same data. GB18030 detection and "
        f"transcoding alone took {s['transcode']['median_s']:.2f} s.",
        "",
        "Where the full rebuild's time goes (dbt's `run_results.json`, slowest nodes): "
        + ", ".join(
            f"`{n['node'].split('.')[-1]}` {n['seconds']:.2f} s"
            for n in result.get("dbt_slowest_nodes", [])
        )
        + ".",
        "",
        f"Raw figures: `{result['date']}-{result['rows']}.json` beside this file.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run",
        description="The benchmark suite of issue 16: ingest vs floor (UTF-8, GB18030), "
        "pipeline vs pandas, no-op build, incremental vs full, first-slice build, rows "
        "per table, dashboard pages (AppTest and chromium), process-tree memory.",
    )
    parser.add_argument("--rows", type=int, default=1_000_000, help="demo rows (1,000,000)")
    parser.add_argument(
        "--runs", type=int, default=None, help="runs of each (3; 1 at 10 million rows or more)"
    )
    parser.add_argument("--seed", type=int, default=SEED, help=f"demo seed ({SEED})")
    parser.add_argument("--page-runs", type=int, default=5, help="AppTest renders per page (5)")
    parser.add_argument(
        "--browser-loads", type=int, default=20, help="chromium loads per page (20; 0: none)"
    )
    parser.add_argument(
        "--browser-sessions", type=int, default=5, help="new browser sessions timed (5)"
    )
    parser.add_argument("--cache", type=Path, default=CACHE, help="where inboxes are cached")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where results go")
    parser.add_argument("--keep", action="store_true", help="keep the warehouses and logs")
    parser.add_argument(
        "--source",
        default="",
        help="what code is measured, when not this checkout's commit (e.g. a frozen copy)",
    )
    args = parser.parse_args(argv)
    runs = args.runs or (1 if args.rows >= HEADLINE_ROWS else 3)
    work = args.cache / f"work-{args.rows}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    try:
        result = bench(
            args.rows,
            runs,
            args.seed,
            args.cache,
            work,
            args.page_runs,
            args.browser_loads,
            args.browser_sessions,
        )
        if args.source:
            result["machine"]["source"] = args.source
    except BenchFailure as failure:
        print(f"make bench: {failure}", file=sys.stderr)
        return 1
    args.results.mkdir(parents=True, exist_ok=True)
    stem = args.results / f"{result['date']}-{args.rows}"
    text = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    stem.with_suffix(".json").write_text(text, encoding="utf-8")
    (args.results / "latest.json").write_text(text, encoding="utf-8")
    report = markdown(result)
    stem.with_suffix(".md").write_text(report, encoding="utf-8")
    from bench.plot import plot

    plot(args.results)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    print(report)
    browser = result["browser"] or {"pages": {}}
    errors = [
        name
        for name, page in [*result["pages"]["pages"].items(), *browser["pages"].items()]
        if page["errors"]
    ]
    if result["equal"] is False:
        print("make bench: district_monthly.csv differs from the pandas baseline", file=sys.stderr)
        return 1
    if errors:
        print(f"make bench: pages with errors: {', '.join(sorted(set(errors)))}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
