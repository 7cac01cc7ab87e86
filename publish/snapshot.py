"""Read-only snapshots of the marts, and the pointer readers follow.

After a green ``dbt build`` the file dbt writes the marts into (``build/marts.duckdb``,
the Spark target's staged marts) is copied to a new DuckDB file under
``WAREHOUSE_DIR/snapshots``, which gets a ``_snapshot`` table
holding its ``as_of`` (the data cut-off), ``built_at`` and digest. The pointer
``snapshots/CURRENT`` names the newest one and is replaced atomically, so a reader
that opens the current snapshot per query sees one complete snapshot, old or new,
and never the file dbt is writing.

The digest is SHA-256 over each mart, in name order, written as CSV (header,
comma-separated, rows sorted by all columns) and preceded by its name and a
newline: the same data always gives the same digest.

Old snapshots are pruned after each publish: the newest ``KEEP_SNAPSHOTS`` (env, default
5) stay, and so does every snapshot that something still refers to, pinned with
``pin`` (an export names its snapshot's digest in its manifest, so a figure handed out
can be traced back to the data it came from). A publish killed half-way leaves only a
hidden temporary file, removed by the next one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import itertools
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import duckdb

from kernel.errors import UserError
from kernel.manifest import sync
from kernel.paths import WarehousePaths
from kernel.settings import settings
from kernel.snapshot import (
    NoSnapshot,
    SnapshotInfo,
    connect_current,
    current_path,
    pinned,
)
from kernel.sqltext import quote
from publish.memory import duckdb_size, limit_advice

MART_SCHEMA = "marts"


# A mart of more rows than this is written for its digest in ranges of its first
# column, each sorted on its own and written in turn: the same CSV, byte for byte, with
# the memory of one range's sort instead of the whole mart's (sorting the session facts
# whole took 1,307 MB at 1M rows, 8,919 MB at 10M). Each range costs a scan of the
# whole mart, though (0.46 s at 10M rows, beyond its sort). Under a memory limit (every
# build's: publish.memory, at least ``DIGEST_MIN_LIMIT``) a range has ``limit //
# DIGEST_BYTES_PER_ROW`` rows instead, so that its sort fits: at 1M rows the digest took
# 3.31 s with no limit, 3.54 s under 512 MiB in ranges of 383,479 rows, and 5.2-5.7 s
# under 256 MiB whatever the ranges (each range's sort spilled, and the mart's blocks
# were read again for each range); at 10M rows under 938 MiB, 30.1-30.7 s in ranges of
# 750,000 to 1,404,000 rows, 32.9 s in ranges of 480,000 (bench/README.md "Issue 16,
# ninth round").
DIGEST_RANGE_ROWS = 750_000
DIGEST_BYTES_PER_ROW = 1_400
DIGEST_MIN_RANGE_ROWS = 50_000
DIGEST_MIN_LIMIT = 512 * 1024**2
# past this many ranges (24M rows), the ranges grow instead, so the digest's scans stay
# linear in the rows
DIGEST_MAX_RANGES = 32
# first-column types whose comparisons order values as ORDER BY does, and whose text
# cast reads back as the same value (so a range's bounds can be written inline)
RANGED_TYPES = frozenset(
    ("VARCHAR", "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT", "DATE", "TIMESTAMP")
)


def mart_digest(
    con: duckdb.DuckDBPyConnection, schema: str, tables: list[str], range_rows: int | None = None
) -> str:
    """SHA-256 over each table as sorted CSV, in name order (see module docstring).

    DuckDB writes each CSV into a named pipe that a thread hashes as it comes: the
    CSV of the session facts is hundreds of bytes a row, and never touches the disk.
    A large table is written range by range of its first column (``_ranges``), each
    of at most ``range_rows`` rows (default ``DIGEST_RANGE_ROWS``)."""
    digest = hashlib.sha256()
    with tempfile.TemporaryDirectory() as scratch:
        pipe = Path(scratch) / "mart.csv"
        os.mkfifo(pipe)
        for table in sorted(tables):
            digest.update(f"{table}\n".encode())
            relation = f'{schema}."{table}"'
            for number, where in enumerate(_ranges(con, schema, table, range_rows)):
                _hash_through(
                    pipe,
                    digest,
                    lambda relation=relation, where=where, header=number == 0: con.execute(
                        f"copy (select * from {relation}{where} order by all) "
                        f"to {quote(pipe)} (header {str(header).lower()}, delimiter ',')"
                    ).fetchall(),
                )
    return digest.hexdigest()


def _ranges(
    con: duckdb.DuckDBPyConnection, schema: str, table: str, range_rows: int | None = None
) -> list[str]:
    """The WHERE clauses that split a table into ranges of its first column, in the
    order ``ORDER BY ALL`` puts its rows: rows sort first by that column, so each
    range sorted on its own, the ranges in turn and the nulls last (DuckDB's default)
    give the whole table's order. One empty clause for a table of at most
    ``range_rows`` rows (default ``DIGEST_RANGE_ROWS``), or whose first column's type
    is not in ``RANGED_TYPES``."""
    range_rows = range_rows or DIGEST_RANGE_ROWS
    # the catalog's row estimate only picks the tables worth counting (a small mart, as
    # every mart of a small bureau, costs this one query): either way the bytes are equal
    found = con.execute(
        "select c.column_name, c.data_type, t.estimated_size from duckdb_tables() as t "
        "join duckdb_columns() as c using (database_name, schema_name, table_name) "
        "where t.database_name = current_database() and t.schema_name = ? "
        "and t.table_name = ? order by c.column_index limit 1",
        [schema, table],
    ).fetchone()
    if found is None or found[1] not in RANGED_TYPES or found[2] <= range_rows:
        return [""]  # a missing table fails in the COPY, naming it
    column, kind = '"' + found[0].replace('"', '""') + '"', found[1]
    relation = f'{schema}."{table}"'
    rows, nulls = con.execute(
        f"select count(*), count(*) filter (where {column} is null) from {relation}"
    ).fetchone()
    if rows <= range_rows or nulls == rows:
        return [""]
    parts = min(-(-rows // range_rows), DIGEST_MAX_RANGES)
    shares = ", ".join(repr(step / parts) for step in range(1, parts))
    # bounds as text, cast back in the clause: values of these types read back exactly
    bounds = [
        f"cast({quote(text)} as {kind})"
        for (text,) in con.execute(
            f"select bound::varchar from (select distinct unnest(quantile_disc({column}, "
            f"[{shares}])) as bound from {relation}) order by bound"
        ).fetchall()
    ]
    clauses = [f" where {column} <= {bounds[0]}"]
    clauses += [
        f" where {column} > {low} and {column} <= {high}"
        for low, high in itertools.pairwise(bounds)
    ]
    clauses.append(f" where {column} > {bounds[-1]}")  # may hold no row: its CSV is empty
    if nulls:
        clauses.append(f" where {column} is null")
    return clauses


def _hash_through(pipe: Path, digest: hashlib._Hash, write: Callable[[], object]) -> None:
    """Run ``write``, which writes ``pipe`` once, while a thread feeds what it writes to
    ``digest``. Should ``write`` fail before it opens the pipe, the pipe is opened and
    closed here, so the thread's open returns and it ends."""
    failure: list[BaseException] = []

    def read() -> None:
        try:
            with pipe.open("rb") as reader:
                while chunk := reader.read(1 << 20):
                    digest.update(chunk)
        except BaseException as error:  # raised again in the caller
            failure.append(error)

    reader = threading.Thread(target=read, name="mart-digest", daemon=True)
    reader.start()
    try:
        write()
    except BaseException:
        with contextlib.suppress(OSError):
            os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
        raise
    finally:
        reader.join()
    if failure:
        raise failure[0]


def mart_models(paths: WarehousePaths) -> set[str] | None:
    """The marts the last dbt build defines (its ``manifest.json``); None without one."""
    manifest = paths.root / "dbt" / "target" / "manifest.json"
    if not manifest.exists():
        return None
    nodes = json.loads(manifest.read_text(encoding="utf-8"))["nodes"].values()
    return {
        node.get("alias") or node["name"]
        for node in nodes
        if node["resource_type"] == "model" and node["fqn"][1:2] == [MART_SCHEMA]
    }


def publish(paths: WarehousePaths, as_of: str, memory_limit: int | None = None) -> SnapshotInfo:
    """Copy the marts file the build left into a new snapshot and point CURRENT at it;
    its digest is computed under DuckDB's ``memory_limit`` (bytes, the build's:
    ``publish.memory``; at least ``DIGEST_MIN_LIMIT``), past which DuckDB spills the
    digest's sorts to disk.

    The build writes its marts into a DuckDB file of their own (``build/marts.duckdb``,
    their ``main`` schema), so a snapshot begins as a copy of that file: a few hundred
    megabytes copied at disk speed, where copying each mart row by row into a new file
    took seconds. Whatever else the copy holds (the table of a model that
    was removed, a table a killed build left) is dropped from it."""
    paths.snapshots.mkdir(parents=True, exist_ok=True)
    for leftover in paths.snapshots.glob(".*.duckdb.tmp*"):
        leftover.unlink(missing_ok=True)  # a publish killed half-way (builds are serial)
    built_at = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(timespec="microseconds")
    stamp = built_at.replace("-", "").replace(":", "").replace(".", "")
    temporary = paths.snapshots / f".{stamp}.duckdb.tmp"
    source = paths.marts_database
    if not source.exists():
        raise RuntimeError(f"the dbt build left no marts file at {source}")
    _fold_log(source)
    shutil.copyfile(source, temporary)
    # no progress bar: DuckDB draws one on stdout for a query over 2 s (a slow
    # machine's digest), carriage returns and all, amid the build's summary
    con = duckdb.connect(str(temporary))
    try:
        con.execute("set enable_progress_bar = false")
        tables = _keep_only_marts(con, mart_models(paths))
        if not tables:
            raise RuntimeError(f"the dbt build at {source} holds no marts")
        digest = _digest_within(con, tables, memory_limit)
        con.execute(
            "create table _snapshot as select ?::timestamp as as_of, "
            "?::timestamp as built_at, ? as digest, ? as marts",
            [as_of, built_at, digest, ",".join(tables)],
        ).fetchall()
        con.execute("checkpoint").fetchall()
    except BaseException:
        con.close()
        temporary.unlink(missing_ok=True)  # no half-made copy of the marts stays behind
        raise
    con.close()
    same = _current_if_identical(paths, as_of, digest)
    if same is not None:  # never a second snapshot of the same figures at the same cut-off
        temporary.unlink(missing_ok=True)
        return same
    final = paths.snapshots / f"{stamp}-{digest[:12]}.duckdb"
    sync(temporary)
    os.replace(temporary, final)
    _point_at(paths, final)
    prune(paths)
    return SnapshotInfo(final, as_of, built_at, digest)


def _digest_within(
    con: duckdb.DuckDBPyConnection, tables: list[str], memory_limit: int | None
) -> str:
    """``mart_digest`` of the marts under DuckDB's ``memory_limit`` (at least
    ``DIGEST_MIN_LIMIT``), in ranges whose sort fits it; a UserError that says which
    limit to raise when DuckDB runs out all the same. No limit: DuckDB's own."""
    if not memory_limit:
        return mart_digest(con, "main", tables)
    limit = max(memory_limit, DIGEST_MIN_LIMIT)
    con.execute(f"set memory_limit = '{duckdb_size(limit)}'")
    range_rows = max(DIGEST_MIN_RANGE_ROWS, limit // DIGEST_BYTES_PER_ROW)
    try:
        return mart_digest(con, "main", tables, range_rows)
    except duckdb.OutOfMemoryException:
        raise UserError(
            f"the snapshot's digest: {limit_advice(limit, memory_limit)}; nothing was "
            "published and readers keep the previous snapshot"
        ) from None


def _fold_log(database: Path) -> None:
    """Write ``database``'s write-ahead log (what the last transactions left there, if
    its writer did not checkpoint on closing) into the file itself, so the file alone
    holds every mart."""
    con = duckdb.connect(str(database))
    try:
        con.execute("set enable_progress_bar = false")
        con.execute("checkpoint").fetchall()
    finally:
        con.close()


def _keep_only_marts(con: duckdb.DuckDBPyConnection, models: set[str] | None) -> list[str]:
    """Drop from the copy every table and view but the marts of the build's manifest
    (``models``; every table of ``main`` when there is no manifest); the marts kept, by
    name. dbt never drops the table of a model that was removed, and a build killed
    half-way can leave its temporary relations: neither is published."""
    relations = con.execute(
        "select schema_name, table_name, 'table' from duckdb_tables() "
        "where database_name = current_database() and not internal "
        "union all select schema_name, view_name, 'view' from duckdb_views() "
        "where database_name = current_database() and not internal "
        "order by 2"
    ).fetchall()
    kept = []
    for schema, name, kind in relations:
        if kind == "table" and schema == "main" and (models is None or name in models):
            kept.append(name)
        else:
            con.execute(f'drop {kind} if exists "{schema}"."{name}" cascade').fetchall()
    return kept


def _current_if_identical(paths: WarehousePaths, as_of: str, digest: str) -> SnapshotInfo | None:
    """The current snapshot, kept, when it has this ``as_of`` and ``digest``."""
    try:
        con, current = connect_current(paths)
    except (NoSnapshot, duckdb.Error, IndexError):
        return None  # none yet, or one a reader cannot open: publish a new one
    con.close()
    if current.as_of != as_of or current.digest != digest:
        return None
    return SnapshotInfo(current.path, current.as_of, current.built_at, current.digest, kept=True)


def _point_at(paths: WarehousePaths, snapshot: Path) -> None:
    temporary = paths.current_pointer.with_suffix(".tmp")
    temporary.write_text(snapshot.name + "\n", encoding="utf-8")
    sync(temporary)
    os.replace(temporary, paths.current_pointer)
    sync(paths.snapshots)


def prune(paths: WarehousePaths, keep: int | None = None) -> list[Path]:
    """Delete all but the newest ``keep`` snapshots, never the current or a pinned one."""
    keep = settings().keep_snapshots if keep is None else keep
    current = current_path(paths)
    protected = pinned(paths) | {current.name}
    snapshots = sorted(paths.snapshots.glob("*.duckdb"))
    removed = [s for s in snapshots[:-keep] if s.name not in protected]
    for snapshot in removed:
        snapshot.unlink(missing_ok=True)
    return removed
