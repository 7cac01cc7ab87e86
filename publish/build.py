"""``make build``: ``dbt build`` over the lake, then publish the marts as a snapshot.

Nothing is published unless every model and test passes, so the dashboard and the
exports keep the previous snapshot when a build fails. One build runs at a time per
warehouse (``publish.lock``); dbt runs as a child that holds the lock too and ends with
its parent (``publish.runner``). Which batches the build reads and its cut-off are
decided once, in ``publish.selection``, and handed to dbt.
"""

from __future__ import annotations

import argparse
import logging
import sys

import duckdb

from ingest import ensure_lake
from kernel.errors import UsageError
from kernel.manifest import checked_files, read_manifest, verify
from kernel.paths import WarehousePaths, warehouse_paths
from kernel.runlog import new_log
from kernel.snapshot import NoSnapshot, connect_current
from publish import refresh, spark
from publish.lock import BuildLock, build_lock
from publish.memory import limit_advice, memory_limit, ran_out_of_memory, write_memory_limit
from publish.migrate import migrate
from publish.progress import DbtOutput
from publish.report import announce, build_report, dbt_finished, report_warnings
from publish.runner import Stopped, build_command, run_dbt
from publish.selection import data_cutoff, select_batches, write_selection
from publish.snapshot import publish

log = logging.getLogger(__name__)


def run(args: argparse.Namespace) -> int:
    """``python -m publish build`` with its parsed options (``publish.cli``)."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    paths = warehouse_paths(args.warehouse)
    try:
        as_of = data_cutoff(paths, args.as_of)
    except ValueError as error:
        raise UsageError(str(error)) from None
    ensure_lake(paths)
    try:
        with build_lock(paths) as lock:
            return _build(paths, args, as_of, lock)
    except Stopped as stopped:
        print(
            f"error: stopped by {stopped}: dbt was stopped too, nothing was published and "
            "readers keep the previous snapshot",
            file=sys.stderr,
        )
        return 128 + stopped.signum


def _build(paths: WarehousePaths, args: argparse.Namespace, as_of: str, lock: BuildLock) -> int:
    """dbt build, then publish; the caller holds the build ``lock``."""
    migrate(paths)  # a warehouse an earlier release wrote: brought up to date first
    batches = read_manifest(paths)
    limit = memory_limit(batches)  # a BUILD_MEMORY_LIMIT that is no size stops here
    selected = select_batches(batches, as_of)
    damaged = verify(paths, selected, checked_files(paths))
    if damaged:
        listing = "\n  ".join(damaged)
        print(
            f"error: the lake has damaged batch files, so nothing was built or published "
            f"and readers keep the previous snapshot:\n  {listing}",
            file=sys.stderr,
        )
        return 1
    everything = refresh.build_inputs(paths, args.as_of, args.target)
    if not args.full_refresh and refresh.unchanged_since_last_build(
        paths, everything, _current_name(paths)
    ):
        return _kept(paths)
    refresh.forget_green_build(paths)
    write_selection(paths, selected, as_of)  # what every model reads of the batches
    write_memory_limit(paths, limit)
    output = DbtOutput(new_log(paths.root, "build"), args.verbose, sys.stdout, sys.stderr)
    if args.target != "duckdb":
        code = spark.build_and_publish(
            paths.root,
            as_of,
            args.as_of,
            args.full_refresh,
            target=args.target,
            lock=lock,
            output=output,
            memory_limit=limit,
        )
    else:
        code = _build_duckdb(paths, args, as_of, lock, output, limit)
    current = _current_name(paths)
    if code == 0 and current:
        refresh.record_green_build(paths, everything, current)
    return code


def _current_name(paths: WarehousePaths) -> str | None:
    """The snapshot CURRENT names, None before the first publish."""
    try:
        return paths.current_pointer.read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def _kept(paths: WarehousePaths) -> int:
    """A build with nothing new: no dbt run, the current snapshot stays (DESIGN.md)."""
    try:
        con, current = connect_current(paths)
    except (NoSnapshot, duckdb.Error, IndexError) as error:
        print(f"error: the current snapshot cannot be read ({error})", file=sys.stderr)
        return 1
    con.close()
    print(
        "nothing new since the last green build (the same lake batches, models, seeds and "
        f"AS_OF): kept {current.path.name}: as_of {current.as_of}, digest {current.digest}"
    )
    report_warnings(paths)
    return 0


def _build_duckdb(
    paths: WarehousePaths,
    args: argparse.Namespace,
    as_of: str,
    lock: BuildLock,
    output: DbtOutput,
    limit: int,
) -> int:
    """dbt build on DuckDB under DuckDB's memory ``limit`` (bytes), then publish."""
    inputs = refresh.fingerprint(paths, args.as_of)
    reason = "asked for" if args.full_refresh else refresh.full_refresh_reason(paths, inputs)
    if reason:
        log.info("full refresh of the session facts (%s)", reason)
    else:
        log.info("incremental refresh: only the sessions of changed activity batches")
    refresh.forget(paths)
    code = run_dbt(paths, build_command(bool(reason)), lock=lock, output=output)
    if not dbt_finished(paths, output, code):
        if ran_out_of_memory(paths):
            print(f"error: {limit_advice(limit)}", file=sys.stderr)
        print(
            "error: dbt build failed (see the lines above); nothing was published and "
            f"readers keep the previous snapshot; dbt's whole output: {output.log}",
            file=sys.stderr,
        )
        return code
    refresh.record(paths, inputs)
    build_report(paths, output)
    announce(publish(paths, as_of, limit))
    report_warnings(paths, output)
    return 0
