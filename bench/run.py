"""``make bench ROWS=N`` (``python -m bench.run --rows N``): the benchmark suite of issue 9.

In one run on one machine, on the demo inbox of ``N`` activity rows (written once by
``python -m demo`` and cached under ``bench/.cache/``), each measurement three times
below 10 million rows and once at 10 million or more (median and spread):

1. **ingest against its floor**: helper code of ``bench/ingest_bench.py`` writes the
   demo's activity logs as plain UTF-8 (and GB18030); the floor is DuckDB's bare
   ``read_csv(all_varchar = true)`` of the UTF-8 files to Parquet
   (``bench/floor.py``), ingest is ``python -m ingest`` of the same files; the
   GB18030 detection and transcoding is timed alone (``bench/transcode.py``);
2. **the whole pipeline** (``python -m ingest`` of the demo inbox as generated,
   ``python -m publish``: ``dbt build`` and the snapshot, ``python -m export``)
   into an empty warehouse, against **the pandas baseline**
   (``bench/baselines/pandas_pipeline.py``) on the same inbox. Their
   ``district_monthly.csv`` must be equal, figure by figure: the run fails
   otherwise (exit 1), after writing the results with the differences;
3. **incremental refresh against a full rebuild**: one more day of logs (a new
   small file, rows copied from the last quarter's logs with the date moved to a
   day after the data) is ingested and ``python -m publish`` run; then
   ``python -m publish --full-refresh`` rebuilds the same data from every batch;
4. **every dashboard page** (``bench/pages.py``: AppTest, cold cache) and its
   slowest ``dashboard.queries`` call;
5. **peak memory** of every process, from ``os.wait4`` (its ``ru_maxrss``, which
   includes the children it waited for, e.g. dbt under ``publish``).

Results: ``bench/results/<date>-<rows>.md`` and ``.json``, ``bench/results/latest.json``
and the plot ``bench/results/scaling.png`` (``bench/plot.py``) of every size measured.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
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

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
CACHE = REPO / "bench" / ".cache"
SEED = 20250305
HEADLINE_ROWS = 10_000_000
# issue 9's targets, at 10 million rows on the 2-core machine
TARGETS = {
    "ingest_vs_floor": 1.5,  # ingest <= 1.5 x floor
    "pandas_vs_pipeline": 3.0,  # pipeline >= 3 x faster than pandas
    "pandas_memory_vs_pipeline": 3.0,  # pipeline <= 1/3 of pandas' peak memory
    "full_vs_incremental": 4.0,  # incremental <= 1/4 of the full rebuild
    "page_s": 1.0,  # every page <= 1 s
}
DAY_SHARE = 730  # the demo spans 24 months: one day is about rows / 730


@dataclass
class Measure:
    """One thing timed, as often as the run repeats; seconds and peak memory of each."""

    label: str
    seconds: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)

    def add(self, seconds: float, peak_mb: float) -> None:
        self.seconds.append(seconds)
        self.peak_mb.append(peak_mb)

    def summary(self) -> dict:
        return {
            "label": self.label,
            "median_s": round(statistics.median(self.seconds), 2),
            "min_s": round(min(self.seconds), 2),
            "max_s": round(max(self.seconds), 2),
            "peak_mb": round(max(self.peak_mb), 1),
            "seconds": [round(s, 3) for s in self.seconds],
        }


class BenchFailure(Exception):
    """A step failed or the outputs differ; the message says which and where."""


def run_measured(
    command: list[str], log: Path, env: dict[str, str], cwd: Path = REPO
) -> tuple[float, float, str]:
    """Run ``command``; (wall seconds, peak RSS in MB of it and its children, stdout)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    out_path, err_path = log.with_suffix(".out"), log.with_suffix(".err")
    with out_path.open("wb") as out, err_path.open("wb") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    stdout = out_path.read_text(encoding="utf-8", errors="replace")
    if code != 0:
        stderr = err_path.read_text(encoding="utf-8", errors="replace")
        raise BenchFailure(
            f"{' '.join(command)} exited {code} (log {err_path}):\n{(stdout + stderr)[-3000:]}"
        )
    return seconds, usage.ru_maxrss / 1024, stdout  # ru_maxrss is in KiB on Linux


def say(text: str) -> None:
    print(text, flush=True)


# --- inputs ----------------------------------------------------------------------------


def demo_inbox(rows: int, seed: int, cache: Path, env: dict[str, str]) -> Path:
    """The demo inbox of ``rows`` rows, written once and reused (``bench/.cache/``)."""
    inbox = cache / f"inbox-{rows}-{seed}"
    manifest = inbox / ".demo_manifest.json"
    if manifest.exists():
        written = json.loads(manifest.read_text(encoding="utf-8"))
        if written.get("rows") == rows and written.get("seed") == seed:
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


# --- the run ---------------------------------------------------------------------------


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


def bench(rows: int, runs: int, seed: int, cache: Path, work: Path, page_runs: int) -> dict:
    python = sys.executable
    env = {**os.environ, "PYTHONPATH": str(REPO), "WAREHOUSE_SECRET": "bench-secret"}
    for name in ("WAREHOUSE_DIR", "FROM", "TO", "OUT", "AS_OF", "FULL_REFRESH"):
        env.pop(name, None)
    logs = work / "logs"
    started = time.perf_counter()
    result: dict = {"date": dt.date.today().isoformat(), "rows": rows, "seed": seed}
    result["runs"] = runs
    result["machine"] = machine()

    inbox = demo_inbox(rows, seed, cache, env)
    utf8, gb18030, inputs = encoded_copies(inbox, cache)
    result["inputs"] = {
        "inbox_files": sum(1 for p in inbox.rglob("*") if p.is_file() and p.name[0] != "."),
        "inbox_bytes": sum(p.stat().st_size for p in inbox.rglob("*") if p.is_file()),
        **inputs,
    }

    m = {
        "floor": Measure("floor: DuckDB read_csv(all_varchar) → Parquet, UTF-8 logs"),
        "ingest": Measure("ingest of the same UTF-8 logs"),
        "transcode": Measure("GB18030 detection + transcoding alone (the same logs)"),
        "pipeline": Measure("pipeline: ingest + dbt build + publish + export"),
        "pipeline_ingest": Measure("  of which ingest (demo inbox as generated)"),
        "pipeline_build": Measure("  of which python -m publish (dbt build, snapshot)"),
        "pipeline_export": Measure("  of which python -m export"),
        "pandas": Measure("pandas baseline (bench/baselines/pandas_pipeline.py)"),
        "incremental": Measure("incremental: ingest one more day + python -m publish"),
        "incremental_ingest": Measure("  of which ingest of the day's file"),
        "full_build": Measure("full rebuild: python -m publish --full-refresh"),
    }
    # a publish without incremental models rebuilds everything anyway
    usage = subprocess.run(
        [python, "-m", "publish", "--help"], cwd=REPO, env=env, capture_output=True, text=True
    ).stdout
    full_refresh = ["--full-refresh"] if "--full-refresh" in usage else []
    # the export the pandas script is compared with: the CSV and workbook, figures as
    # computed (no small-count suppression), no PDF reports
    usage = subprocess.run(
        [python, "-m", "export", "--help"], cwd=REPO, env=env, capture_output=True, text=True
    ).stdout
    export_options = [o for o in ("--no-pdf", "--suppress") if o in usage]
    export_options = [*export_options, "0"] if "--suppress" in export_options else export_options
    m["pipeline_export"].label += f" --out DIR {' '.join(export_options)}".rstrip()
    m["full_build"].label = f"full rebuild: python -m publish {' '.join(full_refresh)}".strip()
    out = work / "out"
    differences: list[str] = []
    warehouse = work / "warehouse"
    for round_ in range(1, runs + 1):
        say(f"round {round_} of {runs}")
        # 1. ingest against the floor, on the same UTF-8 logs
        for key, command in (
            ("floor", [python, "-m", "bench.floor", str(utf8), str(out)]),
            ("ingest", [python, "-m", "ingest", "--inbox", str(utf8), "--warehouse", str(out)]),
            ("transcode", [python, "-m", "bench.transcode", str(gb18030), str(out)]),
        ):
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir(parents=True)
            seconds, peak, _ = run_measured(command, logs / f"{key}-{round_}", env)
            m[key].add(seconds, peak)
            say(f"  {m[key].label}: {seconds:.2f} s, {peak:,.0f} MB")
        shutil.rmtree(out, ignore_errors=True)

        # 2. the pipeline into an empty warehouse, then the pandas baseline
        shutil.rmtree(warehouse, ignore_errors=True)
        wenv = {**env, "WAREHOUSE_DIR": str(warehouse)}
        exports = work / "exports"
        total, peak_all = 0.0, 0.0
        for key, command in (
            ("pipeline_ingest", [python, "-m", "ingest", "--inbox", str(inbox)]),
            ("pipeline_build", [python, "-m", "publish"]),
            ("pipeline_export", [python, "-m", "export", "--out", str(exports), *export_options]),
        ):
            seconds, peak, _ = run_measured(command, logs / f"{key}-{round_}", wenv)
            m[key].add(seconds, peak)
            total += seconds
            peak_all = max(peak_all, peak)
            say(f"  {m[key].label.strip()}: {seconds:.2f} s, {peak:,.0f} MB")
        m["pipeline"].add(total, peak_all)
        say(f"  {m['pipeline'].label}: {total:.2f} s, {peak_all:,.0f} MB")
        baseline = work / "pandas"
        shutil.rmtree(baseline, ignore_errors=True)
        command = [python, "-m", "bench.baselines.pandas_pipeline"]
        command += ["--inbox", str(inbox), "--out", str(baseline)]
        seconds, peak, _ = run_measured(command, logs / f"pandas-{round_}", env)
        m["pandas"].add(seconds, peak)
        say(f"  {m['pandas'].label}: {seconds:.2f} s, {peak:,.0f} MB")
        found = compare_exports(exports / "district_monthly.csv", baseline / "district_monthly.csv")
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
        ingest_s, ingest_mb, _ = run_measured(command, logs / f"extra-{round_}", wenv)
        build_s, build_mb, _ = run_measured(
            [python, "-m", "publish"], logs / f"incremental-{round_}", wenv
        )
        m["incremental_ingest"].add(ingest_s, ingest_mb)
        m["incremental"].add(ingest_s + build_s, max(ingest_mb, build_mb))
        say(f"  {m['incremental'].label} ({added:,} rows): {ingest_s + build_s:.2f} s")
        command = [python, "-m", "publish", *full_refresh]
        seconds, peak, _ = run_measured(command, logs / f"full-{round_}", wenv)
        m["full_build"].add(seconds, peak)
        say(f"  {m['full_build'].label}: {seconds:.2f} s, {peak:,.0f} MB")

    dbt_slowest = slowest_dbt_nodes(warehouse)

    # 4. the dashboard's pages, on the last warehouse (the demo plus the added days)
    command = [python, "-m", "bench.pages", "--runs", str(page_runs)]
    seconds, peak, stdout = run_measured(
        command, logs / "pages", {**env, "WAREHOUSE_DIR": str(warehouse)}
    )
    pages = json.loads(stdout.strip().splitlines()[-1])
    pages["process_peak_mb"] = round(peak, 1)
    say(f"  pages: p95 {pages['page_p95_s']} s, slowest query {pages['query_max_s']} s")

    s = {key: value.summary() for key, value in m.items()}
    result["measures"] = s
    result["pages"] = pages
    result["dbt_slowest_nodes"] = dbt_slowest
    result["equal"] = not differences
    result["differences"] = differences
    result.update(
        {
            "ingest_s": s["ingest"]["median_s"],
            "floor_s": s["floor"]["median_s"],
            "transcode_s": s["transcode"]["median_s"],
            "pipeline_s": s["pipeline"]["median_s"],
            "pandas_s": s["pandas"]["median_s"],
            "incremental_s": s["incremental"]["median_s"],
            "full_build_s": s["full_build"]["median_s"],
            "page_p95_s": pages["page_p95_s"],
            "query_max_s": pages["query_max_s"],
            "pipeline_peak_rss_mb": s["pipeline"]["peak_mb"],
            "pandas_peak_rss_mb": s["pandas"]["peak_mb"],
            "ingest_peak_rss_mb": s["ingest"]["peak_mb"],
        }
    )
    result["ratios"] = {
        "ingest_vs_floor": round(result["ingest_s"] / result["floor_s"], 2),
        "pandas_vs_pipeline": round(result["pandas_s"] / result["pipeline_s"], 2),
        "pandas_memory_vs_pipeline": round(
            result["pandas_peak_rss_mb"] / result["pipeline_peak_rss_mb"], 2
        ),
        "full_vs_incremental": round(result["full_build_s"] / result["incremental_s"], 2),
    }
    result["bench_s"] = round(time.perf_counter() - started, 1)
    return result


def met(result: dict) -> dict[str, bool]:
    r = result["ratios"]
    return {
        "ingest_vs_floor": r["ingest_vs_floor"] <= TARGETS["ingest_vs_floor"],
        "pandas_vs_pipeline": r["pandas_vs_pipeline"] >= TARGETS["pandas_vs_pipeline"],
        "pandas_memory_vs_pipeline": r["pandas_memory_vs_pipeline"]
        >= TARGETS["pandas_memory_vs_pipeline"],
        "full_vs_incremental": r["full_vs_incremental"] >= TARGETS["full_vs_incremental"],
        "page_s": max(p["max_s"] for p in result["pages"]["pages"].values()) <= TARGETS["page_s"]
        if result["pages"]["pages"]
        else False,
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


def markdown(result: dict) -> str:
    mc, s, r, pages = result["machine"], result["measures"], result["ratios"], result["pages"]
    runs = result["runs"]
    ok = met(result)
    word = lambda key: "met" if ok[key] else "missed"  # noqa: E731
    changes = ", ".join(mc.get("ingest_changes") or [])
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
        f"{result['inputs']['inbox_bytes'] / 1e6:,.0f} MB). "
        f"{runs} run{'s' if runs > 1 else ''} of each, one after the other; each process "
        "timed wall-clock (start-up included), memory its peak resident set with its "
        f"children (`ru_maxrss` from `os.wait4`). The whole run took {result['bench_s']:,.0f} s.",
        "",
        "| measure | median s | min – max s | peak MB |",
        "|---|---:|---:|---:|",
    ]
    for entry in s.values():
        lines.append(
            f"| {entry['label']} | {entry['median_s']:,.2f} | {entry['min_s']:,.2f} – "
            f"{entry['max_s']:,.2f} | {entry['peak_mb']:,.0f} |"
        )
    lines += [
        "",
        "| page (AppTest, cold cache) | median s | max s | slowest query | errors |",
        "|---|---:|---:|---|---|",
    ]
    for name, page in pages["pages"].items():
        query = next(iter(page["queries"].items()), ("", 0.0))
        lines.append(
            f"| {name} | {page['median_s']:.3f} | {page['max_s']:.3f} | "
            f"`{query[0]}` {query[1]:.3f} s | {'; '.join(page['errors'])[:200] or 'none'} |"
        )
    lines += [
        "",
        f"Equality check, `district_monthly.csv` of the pipeline against the pandas baseline: "
        f"**{'equal, figure by figure' if result['equal'] else 'DIFFERENT'}**.",
        *[f"    {d}" for d in result["differences"]],
        "",
        "Targets (issue 9; they are set at 10 million rows):",
        "",
        f"- ingest ≤ {TARGETS['ingest_vs_floor']}× the floor: **{word('ingest_vs_floor')}** "
        f"({r['ingest_vs_floor']}×: {result['ingest_s']:.2f} s against "
        f"{result['floor_s']:.2f} s; GB18030 transcoding alone {result['transcode_s']:.2f} s).",
        f"- pipeline ≥ {TARGETS['pandas_vs_pipeline']:.0f}× faster than pandas: "
        f"**{word('pandas_vs_pipeline')}** ({r['pandas_vs_pipeline']}×: "
        f"{result['pipeline_s']:.2f} s against {result['pandas_s']:.2f} s).",
        f"- pipeline ≤ 1/{TARGETS['pandas_memory_vs_pipeline']:.0f} of pandas' peak memory: "
        f"**{word('pandas_memory_vs_pipeline')}** ({result['pipeline_peak_rss_mb']:,.0f} MB "
        f"against {result['pandas_peak_rss_mb']:,.0f} MB, ×{r['pandas_memory_vs_pipeline']}).",
        f"- incremental ≤ 1/{TARGETS['full_vs_incremental']:.0f} of the full rebuild: "
        f"**{word('full_vs_incremental')}** ({result['incremental_s']:.2f} s against "
        f"{result['full_build_s']:.2f} s, ×{r['full_vs_incremental']}).",
        f"- every page ≤ {TARGETS['page_s']:.0f} s: **{word('page_s')}** (p95 "
        f"{result['page_p95_s']} s, slowest {pages['page_max_s']} s; slowest query "
        f"{result['query_max_s']} s, {pages['query_max']}).",
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
        description="The benchmark suite: ingest vs floor, pipeline vs pandas, incremental "
        "vs full, dashboard pages, peak memory.",
    )
    parser.add_argument("--rows", type=int, default=1_000_000, help="demo rows (1,000,000)")
    parser.add_argument(
        "--runs", type=int, default=None, help="runs of each (3; 1 at 10 million rows or more)"
    )
    parser.add_argument("--seed", type=int, default=SEED, help=f"demo seed ({SEED})")
    parser.add_argument("--page-runs", type=int, default=5, help="timed renders per page (5)")
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
        result = bench(args.rows, runs, args.seed, args.cache, work, args.page_runs)
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
    errors = [name for name, page in result["pages"]["pages"].items() if page["errors"]]
    if not result["equal"]:
        print("make bench: district_monthly.csv differs from the pandas baseline", file=sys.stderr)
        return 1
    if errors:
        print(f"make bench: pages with errors: {', '.join(errors)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
