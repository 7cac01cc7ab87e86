"""Bring a warehouse an earlier release wrote up to date: the lake, the dbt database and
the published snapshots. ``python -m publish.migrate`` (``make dashboard`` runs it); every
build and export runs it first.

- The lake: ``ingest.migrate`` (rejects without messages, format 2).
- The dbt database (``build/dbt.duckdb``) is derived from the lake: one of an older
  format is deleted, and the next build is a full one. Format 1: its
  ``dq_rejects_by_reason`` has ``example_messages``, which could quote an ID or phone
  number; format 2: it holds the marts, which today's builds write to a file of their
  own (``build/marts.duckdb``) so that a snapshot is a copy of that file.
- Each snapshot of an older format is rewritten whole (a new file renamed over it, so
  no old text survives in free blocks): its ``dq_rejects_by_reason`` gets the columns
  and masked values of its examples from the lake's rejects in place of the messages.
  Every other table, and the ``_snapshot`` row with its digest, is copied unchanged:
  the digest still names the build the figures came from (an export or certificate
  that quotes it still finds it), though it no longer hashes the rewritten table.

``build/FORMAT`` and ``snapshots/FORMAT`` record that both are of today's format, so
later runs cost two small file reads.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from ingest import migrate_lake
from kernel.errors import run_cli
from kernel.manifest import sync
from kernel.paths import WarehousePaths, warehouse_paths
from kernel.sqltext import quote
from publish.lock import BuildBusy, build_lock

log = logging.getLogger(__name__)

BUILD_FORMAT = 3
SNAPSHOT_FORMAT = 2
# The column that marks a dbt database or snapshot of format 1.
_OLD_COLUMN = ("dq_rejects_by_reason", "example_messages")


def _format(marker: Path) -> int:
    try:
        return int(marker.read_text(encoding="utf-8").strip())
    except FileNotFoundError:
        return 1


def _mark(marker: Path, version: int) -> None:
    marker.parent.mkdir(parents=True, exist_ok=True)
    temporary = marker.with_suffix(".tmp")
    temporary.write_text(f"{version}\n", encoding="utf-8")
    os.replace(temporary, marker)


def build_marker(paths: WarehousePaths) -> Path:
    return paths.dbt_database.parent / "FORMAT"


def snapshots_marker(paths: WarehousePaths) -> Path:
    return paths.snapshots / "FORMAT"


def _has_old_column(database: Path) -> bool:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return bool(
            con.execute(
                "select count(*) from duckdb_columns() where table_name = ? and column_name = ?",
                list(_OLD_COLUMN),
            ).fetchall()[0][0]
        )
    finally:
        con.close()


def migrate(paths: WarehousePaths) -> list[str]:
    """Migrate the lake, the dbt database and the snapshots; what was done, one line
    each. The caller holds the build lock (``publish.lock.build_lock``)."""
    lake = migrate_lake(paths)  # which says so itself
    done = []
    if _format(build_marker(paths)) < BUILD_FORMAT:
        database = paths.dbt_database
        # format 1: its dq_rejects_by_reason could quote personal numbers; format 2:
        # it held the marts, which now live in a file of their own (build/marts.duckdb)
        if database.exists():
            for path in (database, database.with_name(database.name + ".wal")):
                path.unlink(missing_ok=True)
            (database.parent / "incremental_state.json").unlink(missing_ok=True)
            done.append("deleted the dbt database of an older format; the next build is full")
        _mark(build_marker(paths), BUILD_FORMAT)
    if paths.snapshots.is_dir() and _format(snapshots_marker(paths)) < SNAPSHOT_FORMAT:
        for snapshot in sorted(paths.snapshots.glob("*.duckdb")):
            if _has_old_column(snapshot):
                _rewrite_snapshot(paths, snapshot)
                done.append(f"rewrote snapshot {snapshot.name} without reject messages")
        _mark(snapshots_marker(paths), SNAPSHOT_FORMAT)
    for line in done:
        log.warning("migrated: %s", line)
    return [f"the lake in {paths.lake} now stores rejects without messages"] * lake + done


def _rewrite_snapshot(paths: WarehousePaths, snapshot: Path) -> None:
    """A new file with every table of ``snapshot``, ``dq_rejects_by_reason`` in today's
    format, renamed over it."""
    temporary = snapshot.with_name(f".{snapshot.name}.tmp")
    temporary.unlink(missing_ok=True)
    con = duckdb.connect(str(temporary))
    try:
        con.execute(f"attach {quote(snapshot)} as old (read_only)").fetchall()
        tables = [
            row[0]
            for row in con.execute(
                "select table_name from duckdb_tables() where database_name = 'old' "
                "and schema_name = 'main' order by table_name"
            ).fetchall()
        ]
        for table in tables:
            if table == _OLD_COLUMN[0]:
                con.register("migrated", _rejects_by_reason(paths, con))
                con.execute(f'create table main."{table}" as select * from migrated').fetchall()
                con.unregister("migrated")
            else:
                con.execute(
                    f'create table main."{table}" as select * from old.main."{table}"'
                ).fetchall()
        con.execute("detach old").fetchall()
        con.execute("checkpoint").fetchall()
    finally:
        con.close()
    sync(temporary)
    os.replace(temporary, snapshot)


def _rejects_by_reason(paths: WarehousePaths, con: duckdb.DuckDBPyConnection) -> pa.Table:
    """The old snapshot's ``dq_rejects_by_reason`` with ``example_columns`` and
    ``example_values`` (from the lake's rejects of each example line; '' where the lake
    no longer has the batch) in place of ``example_messages``."""
    old = con.sql(
        'select * exclude (example_messages) from old.main."dq_rejects_by_reason"'
    ).to_arrow_table()
    found: dict[tuple[str, int], tuple[str, str]] = {}
    for batch_id in set(old.column("batch_id").to_pylist()):
        path = paths.kind_dir("rejects") / f"{batch_id}.parquet"
        if not path.exists():
            continue
        rejects = pq.read_table(path, columns=["source_line", "reason_column", "reason_value"])
        lines, named, shown = (rejects.column(i).to_pylist() for i in range(3))
        for line, column, value in zip(lines, named, shown, strict=True):
            found[(batch_id, line)] = (column or "", value or "")
    columns, values = [], []
    batches, examples_at = old.column("batch_id"), old.column("example_lines")
    for batch_id, lines in zip(batches.to_pylist(), examples_at.to_pylist(), strict=True):
        examples = [found.get((batch_id, line), ("", "")) for line in lines or []]
        columns.append([column for column, _ in examples])
        values.append([value for _, value in examples])
    at = old.column_names.index("example_lines") + 1
    old = old.add_column(at, "example_columns", pa.array(columns, pa.list_(pa.string())))
    return old.add_column(at + 1, "example_values", pa.array(values, pa.list_(pa.string())))


def migrate_unless_building(paths: WarehousePaths) -> None:
    """``migrate`` under the build lock, for the readers (exports, the dashboard's
    start); while a build runs it does nothing: the build migrates first."""
    if not paths.root.is_dir():
        return  # nothing written yet: nothing to migrate
    try:
        with build_lock(paths):
            migrate(paths)
    except BuildBusy:
        return


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    migrate_unless_building(warehouse_paths(argv[0] if argv else None))
    return 0


if __name__ == "__main__":
    run_cli(lambda: main(sys.argv[1:]))
