"""What a green build says: the snapshot it left current, and the data-quality tests
that warned (they describe the data an analyst should look at; docs/data-tests.md)."""

from __future__ import annotations

import json
import sys

import duckdb

from kernel.paths import WarehousePaths
from kernel.snapshot import SnapshotInfo
from publish.progress import DbtOutput, build_summary


def announce(snapshot: SnapshotInfo, origin: str = "") -> None:
    """Say what a green build left current: a new snapshot, or the current one kept
    because the build's figures and cut-off equal it (``origin``: e.g. " from the
    Spark build")."""
    if snapshot.kept:
        print(
            f"the build's marts equal the current snapshot's (the same as_of and digest): "
            f"kept {snapshot.path.name}: as_of {snapshot.as_of}, digest {snapshot.digest}"
        )
    else:
        print(
            f"published {snapshot.path.name}{origin}: as_of {snapshot.as_of}, "
            f"digest {snapshot.digest}"
        )


def data_warnings(paths: WarehousePaths) -> list[tuple[str, int]]:
    """The data tests of the last dbt run that warned (tests that describe data quality,
    docs/data-tests.md): each test's name and how many rows it found."""
    results = paths.root / "dbt" / "target" / "run_results.json"
    if not results.exists():
        return []
    warned = [
        result
        for result in json.loads(results.read_text(encoding="utf-8")).get("results", [])
        if result.get("status") == "warn"
    ]
    return sorted(
        (result["unique_id"].split(".")[2], int(result.get("failures") or 0)) for result in warned
    )


def report_warnings(paths: WarehousePaths, output: DbtOutput | None = None) -> None:
    """Say on stderr which data-quality tests warned: the figures were published, and
    these describe the data an analyst should look at. With the build's ``output``, the
    models, rules and columns that found rows follow, one line each (a group of rules,
    ``rules_of_data_quality``, holds the rules of many models)."""
    warned = data_warnings(paths)
    if not warned:
        return
    lines = "\n".join(f"  {name}: {rows} row{'s' if rows != 1 else ''}" for name, rows in warned)
    rules = output.rule_lines() if output is not None else []
    found = "".join(f"\n    {line}" for line in rules)
    print(
        f"warning: {len(warned)} data-quality test{'s' if len(warned) != 1 else ''} found "
        f"rows to look at (the figures were published; see docs/data-tests.md):\n{lines}"
        f"{found}",
        file=sys.stderr,
    )


def dbt_finished(paths: WarehousePaths, output: DbtOutput | None, code: int) -> bool:
    """Close dbt's ``output``; whether dbt succeeded. When it failed, print on stderr
    the lines that say why (each failed node, dbt's account of the errors with their
    files): never only in the log."""
    if output is None:
        return code == 0
    output.close()
    if code != 0:
        for line in output.failure():
            print(line, file=sys.stderr)
    return code == 0


def build_report(paths: WarehousePaths, output: DbtOutput | None) -> None:
    """What a green build ran (models, seeds, data tests, time), the exact duplicates it
    dropped, and the log with every dbt line; written to that log too."""
    results = paths.root / "dbt" / "target" / "run_results.json"
    lines = [build_summary(results), duplicates_line(paths)]
    if output is not None:
        lines.append(f"every dbt node: {output.log}")
        with output.log.open("a", encoding="utf-8") as log:
            log.write("\n" + "\n".join(lines) + "\n")
    print("\n".join(lines))


def duplicates_line(paths: WarehousePaths) -> str:
    """The exact duplicates the build dropped (``dq_duplicates_by_file``), in all."""
    try:
        con = duckdb.connect(str(paths.marts_database), read_only=True)
    except duckdb.Error:
        return "duplicates: not counted (the built marts cannot be read)"
    try:
        (removed,) = con.execute(
            "select coalesce(sum(duplicates_removed), 0) from dq_duplicates_by_file"
        ).fetchone() or (0,)
    except duckdb.Error:
        return "duplicates: not counted (no dq_duplicates_by_file)"
    finally:
        con.close()
    return (
        f"duplicates: {int(removed):,} rows dropped as exact copies of a row loaded before "
        "them (by file: python -m ingest status)"
    )
