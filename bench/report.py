"""The benchmark's results as files: ``bench/results/<date>-<rows>.json`` and ``.md``,
``latest.json`` (its flat figures feed the plot and the targets) and the plot."""

from __future__ import annotations

import json
from pathlib import Path

from bench.steps import PANDAS_MAX_ROWS


def figures(rows: int, s: dict, pages: dict, browser: dict | None) -> dict:
    """The flat figures of ``latest.json``, the plot and the targets: medians of
    seconds, tree peaks (``*_tree_mb``) and, as results before the tree peaks had, ``ru_maxrss``
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
    """How busy the machine was as the run began, from its load averages (1, 5 and 15
    minutes). Only the 1-minute figure tells of work as the run began: the longer ones
    still count work that had ended, a previous run's or measure's."""
    shown = ", ".join(str(x) for x in load)
    if load[0] < 1:
        before = ""
        if max(load) >= 1:
            before = " (the 5- and 15-minute figures count work that had ended)"
        return f". A quiet machine at the start: load average {shown}{before}."
    return (
        f". **A busy machine**: load average {shown} at the start, 1 or more over the "
        "last minute, so times may carry other work's noise; the spread column shows how much."
    )


MEMORY_NOTE = (
    "Memory is the peak of the whole process tree: the resident sets (`VmRSS`) of the "
    "process and every descendant (`/proc/<pid>/task/*/children`, recursively), summed "
    "every 50 ms, the largest sum kept (`bench/memory.py`), and never less than the "
    "largest process's exact peak. Beside it, `ru_maxrss` from `os.wait4`: the largest "
    "single process among it and the children it waited for, the figure of the results "
    "before the tree peaks. A step of several processes in turn "
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
        f"Targets (the {result['target_set']}, as this run has {result['rows']:,} rows):",
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


def write_results(result: dict, results: Path) -> str:
    """Write the run's JSON (dated and ``latest.json``), its report and the plot of every
    size measured; returns the report."""
    results.mkdir(parents=True, exist_ok=True)
    stem = results / f"{result['date']}-{result['rows']}"
    text = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    stem.with_suffix(".json").write_text(text, encoding="utf-8")
    (results / "latest.json").write_text(text, encoding="utf-8")
    report = markdown(result)
    stem.with_suffix(".md").write_text(report, encoding="utf-8")
    from bench.plot import plot

    plot(results)
    return report
