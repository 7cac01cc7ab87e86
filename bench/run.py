"""``make bench ROWS=N`` (``python -m bench.run --rows N``): the benchmark suite.

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

The targets (``bench/targets.py``) are judged on the medians and the tree
peaks. Results: ``bench/results/<date>-<rows>.md`` and ``.json``,
``bench/results/latest.json`` and the plot ``bench/results/scaling.png``
(``bench/plot.py``) of every size measured.

The modules: ``bench/measure.py`` runs and measures one process, ``bench/inputs.py``
writes and caches the inputs, ``bench/steps.py`` holds the measured steps,
``bench/report.py`` writes the results; this one runs the rounds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import time
from pathlib import Path

from bench import steps
from bench.inputs import check_disk, demo_digest, demo_inbox, encoded_copies
from bench.measure import REPO, BenchFailure, say
from bench.report import figures, write_results
from bench.targets import evaluate, size_targets

RESULTS = REPO / "bench" / "results"
CACHE = REPO / "bench" / ".cache"
SEED = 20250305
HEADLINE_ROWS = 10_000_000


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
    result["machine"] = steps.machine()
    check_disk(rows, cache, seed)

    # dbt's shared parse: the run's own, filled once before the timed runs (docstring)
    parse_cache = work / "parse-cache"
    shutil.rmtree(parse_cache, ignore_errors=True)
    env["DBT_PARSE_CACHE"] = str(parse_cache)
    steps.first_slice_build(work, env, logs, 0)
    inbox = demo_inbox(rows, seed, cache, env)
    utf8, gb18030, inputs = encoded_copies(inbox, cache)
    result["inputs"] = {
        "inbox_files": sum(1 for p in inbox.rglob("*") if p.is_file() and p.name[0] != "."),
        "inbox_bytes": sum(p.stat().st_size for p in inbox.rglob("*") if p.is_file()),
        "demo_digest": demo_digest(),
        **inputs,
    }
    with_pandas = rows <= steps.PANDAS_MAX_ROWS
    m = steps.measures(with_pandas)
    full_refresh, export_options = steps.options(python, env)
    m["pipeline_export"].label += f" --out DIR {' '.join(export_options)}".rstrip()
    m["full_build"].label = f"full rebuild: python -m publish {' '.join(full_refresh)}".strip()
    setup = steps.Setup(python, env, work, inbox, rows, m, full_refresh, export_options)
    differences: list[str] = []
    tables: list[dict] = []
    for round_ in range(1, runs + 1):
        say(f"round {round_} of {runs}")
        steps.ingest_against_floor(setup, utf8, gb18030, round_)
        tables = steps.pipeline(setup, round_)
        if with_pandas:
            # a round that differs is reported even when a later round is equal
            differences = steps.pandas_baseline(setup, round_) or differences
        steps.incremental(setup, round_)
        steps.first_slices(setup, round_)

    dbt_slowest = steps.slowest_dbt_nodes(setup.warehouse)
    pages, browser = steps.dashboard_pages(setup, page_runs, browser_loads, browser_sessions)

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run",
        description="The benchmark suite: ingest vs floor (UTF-8, GB18030), "
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
    report = write_results(result, args.results)
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
