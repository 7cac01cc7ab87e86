"""``python -m bench.profile_ingest INBOX``: where a load's time goes, stage by stage.

Loads ``INBOX`` into a temporary warehouse in this process, with the loader's steps
wrapped by timers (nothing in ``ingest/`` is changed), and prints a table of the time
spent in each stage, summed over the files. Stages are the functions ``ingest``
calls; a stage's own time excludes the stages it calls. What DuckDB does inside a
query is one stage: the queries are named by the function that runs them.

``--explain FILE`` also runs the validation query of one file under DuckDB's
``EXPLAIN ANALYZE`` and prints the operators' timings, and times the same query next
to a bare copy of the normalized rows, to show what validation costs per row.
"""

from __future__ import annotations

import argparse
import functools
import os
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

# (module, function, label): the wrapped steps, outermost first. Functions that the
# loader imported by name are wrapped where the loader looks them up.
STAGES = [
    ("ingest.loader", "load_inbox", "load_inbox (the rest: leftovers, secret, listing, pool)"),
    ("ingest.loader", "ensure_lake", "ensure_lake (schema files, empty manifest)"),
    ("ingest.loader", "remove_leftovers", "remove_leftovers"),
    ("ingest.loader", "_prepare_file", "_prepare_file: unchanged check, retries, results"),
    ("ingest.loader", "_land_table", "_land_table: cursor, register, close"),
    ("ingest.loader", "build_query", "build_query (the validation SQL text)"),
    ("ingest.loader", "file_sha256", "sha256 of the file"),
    ("ingest.loader", "read_tables", "read_csv: cursor, the stream's start"),
    ("ingest.reading", "detect_and_transcode", "detect_and_transcode (GB18030: one decode)"),
    ("ingest.reading", "detect_encoding", "detect_encoding (first MB; whole file if not UTF-8)"),
    ("ingest.reading", "transcode_to_utf8", "transcode_to_utf8 (scratch UTF-8 copy)"),
    ("ingest.reading", "_sniff_delimiter", "sniff_csv (the delimiter)"),
    ("ingest.reading", "scan_records", "scan_records (numpy: line numbers, widest row)"),
    ("ingest.reading", "_locate", "header search (20-row head per delimiter tried)"),
    ("ingest.loader", "land", "land: validation query → judged.parquet, reasons, replace"),
    ("ingest.reading", "normalize_batch", "normalize_batch (Arrow NFKC + trim, per column)"),
    ("ingest.reading", "data_rows", "data_rows (Arrow: blank and total rows dropped)"),
    ("ingest.landing", "_copy", "_copy ×2: judged → loaded / rejects Parquet"),
    ("ingest.landing", "write_manifest", "write_manifest (whole file, fsync)"),
]
# Stages that run while another one waits: the generator that normalizes batches runs
# when DuckDB pulls them during the query in ``land``. On the query's own thread its
# time is already taken out of ``land``; on one of DuckDB's threads it is taken out here.
PULLED_INTO = {"normalize_batch": "land", "data_rows": "land"}


class Timers:
    """Own time per stage, per thread call stack."""

    def __init__(self) -> None:
        self.own: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.threads: dict[str, set[int]] = defaultdict(set)
        self.local = threading.local()

    def wrap(self, name: str, function: Any) -> Any:
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            stack = self.local.__dict__.setdefault("stack", [])
            frame = [0.0]  # time spent in stages called from this one
            stack.append(frame)
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - started
                stack.pop()
                self.own[name] += elapsed - frame[0]
                self.calls[name] += 1
                self.threads[name].add(threading.get_ident())
                if stack:
                    stack[-1][0] += elapsed

        return timed


def install(timers: Timers) -> None:
    import importlib

    for module_name, function_name, _ in STAGES:
        module = importlib.import_module(module_name)
        if hasattr(module, function_name):
            setattr(
                module, function_name, timers.wrap(function_name, getattr(module, function_name))
            )


def profile(inbox: Path, workers: int = 1) -> tuple[dict[str, float], dict[str, int], float, int]:
    os.environ.setdefault("WAREHOUSE_SECRET", "profile-secret")
    timers = Timers()
    install(timers)
    from ingest.loader import load_inbox
    from kernel.paths import warehouse_paths

    with tempfile.TemporaryDirectory(prefix="profile-ingest-") as root:
        started = time.perf_counter()
        results = load_inbox(warehouse_paths(Path(root) / "warehouse"), inbox, workers=workers)
        total = time.perf_counter() - started
    own = dict(timers.own)
    main_thread = threading.get_ident()
    for pulled, into in PULLED_INTO.items():
        if pulled in own and main_thread not in timers.threads[pulled]:
            own[into] -= own[pulled]
    rows = sum(r.rows_read for r in results)
    return own, dict(timers.calls), total, rows


def explain(path: Path) -> str:
    """EXPLAIN ANALYZE of one file's validation query, and the query against a bare copy."""
    import duckdb

    from ingest.headers import map_headers
    from ingest.landing import query_params, used_params
    from ingest.reading import read_file
    from ingest.validating import build_query

    with tempfile.TemporaryDirectory(prefix="explain-ingest-") as scratch:
        raw = read_file(path, Path(scratch))
        header_map = map_headers(raw.headers)
        positions = {c: raw.headers.index(h) for c, h in header_map.columns.items()}
        query = build_query(
            raw.kind,
            header_map.columns,
            positions,
            raw.headers,
            header_width=raw.header_width,
        )
        started = time.perf_counter()
        table = raw.batches.read_all()  # normalized rows, in memory
        normalize = time.perf_counter() - started
        con = duckdb.connect()
        con.register("raw", table)
        params = used_params(query, query_params(b"secret"))
        target = str(Path(scratch) / "x.parquet")
        timings = {}
        for label, sql in (
            ("bare copy of the normalized rows", "select * from raw"),
            ("validation query", query),
        ):
            started = time.perf_counter()
            con.execute(f"copy ({sql}) to '{target}' (format parquet)", used_params(sql, params))
            timings[label] = time.perf_counter() - started
        plan = con.execute(f"explain analyze {query}", params).fetchall()
        con.close()
    lines = [
        f"{path.name}: {table.num_rows:,} rows",
        f"  read + normalize in Arrow: {normalize:.3f} s",
        *(f"  {label} → Parquet: {seconds:.3f} s" for label, seconds in timings.items()),
        "",
        plan[0][1],
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_ingest")
    parser.add_argument("inbox", type=Path, help="an inbox folder to load")
    parser.add_argument("--explain", type=Path, help="one CSV to EXPLAIN ANALYZE")
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="files loaded at a time (1: own times add up to the wall time; ingest uses one "
        "per CPU)",
    )
    args = parser.parse_args(argv)
    own, calls, total, rows = profile(args.inbox, args.workers)
    labels = {name: label for _, name, label in STAGES}
    print(f"{rows:,} rows in {total:.2f} s ({rows / total:,.0f} rows/s), own time per stage:")
    print(f"{'stage':72} {'calls':>6} {'s':>8} {'%':>6}")
    for name, seconds in sorted(own.items(), key=lambda item: -item[1]):
        print(
            f"{labels.get(name, name):72} {calls.get(name, 0):>6} {seconds:>8.2f} "
            f"{100 * seconds / total:>6.1f}"
        )
    if args.explain:
        print()
        print(explain(args.explain))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
