"""The lake: immutable Parquet batches per kind, their rejects, and the manifest.

Layout under ``WAREHOUSE_DIR/lake``::

    manifest.jsonl                 one line per batch, rewritten atomically
    <kind>/<batch_id>.parquet      the loaded rows of one file (kind: activity, people, ...)
    <kind>/_schema.parquet         no rows: gives dbt the columns before the first load
    _schema.sha256                 digests of the schema files and the SQL they came from
    rejects/<batch_id>.parquet     the rejected rows of that file, masked

A batch's files are complete before the manifest names it, and the manifest is
replaced with ``os.replace``, so after a crash the lake shows the state before or
after a load, never half of one. Files that no manifest line names are leftovers
of an interrupted load: dbt never reads them (it joins on the manifest) and the
next load removes them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import time
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from ingest.dry_run import Preview
from ingest.failures import ensure_failures
from ingest.messages import Text
from ingest.migrate import mark_current, migrate_lake
from ingest.raw_table import LINE, FileFault
from ingest.schema import KIND_SPECS, KINDS
from kernel.manifest import Batch, file_sha256, read_manifest, sync, write_manifest
from kernel.paths import LAKE_KINDS, WarehousePaths
from kernel.settings import settings
from kernel.sqltext import quote


def ensure_lake(paths: WarehousePaths) -> None:
    """Create the lake's folders, an empty manifest and the per-kind schema files.

    The schema files are written again only when the SQL that defines them, or one
    of the files, has changed since they were written (digests in
    ``lake/_schema.sha256``): planning and writing them took a fifth of a second of
    every load."""
    from ingest.validating import build_query, raw_values_sql

    migrate_lake(paths)  # a lake an earlier release wrote: brought up to date first
    for kind in LAKE_KINDS:
        paths.kind_dir(kind).mkdir(parents=True, exist_ok=True)
    if not paths.manifest.exists():
        write_manifest(paths, [])
        mark_current(paths)
    ensure_failures(paths)  # an earlier release's lake: no failed file recorded
    schemas: list[tuple[list[str], str, Path]] = []  # (the kind's columns, SQL, file)
    for kind in KINDS:
        names = list(KIND_SPECS[kind].columns)
        query = build_query(kind, {n: n for n in names}, {n: i for i, n in enumerate(names)}, names)
        landed = f"select * from ({landed_sql(query, '')}) limit 0"
        schemas.append((names, landed, paths.kind_dir(kind) / "_schema.parquet"))
        if kind == "activity":
            rejected = f"select * from ({rejected_sql(query, '', kind, raw_values_sql(names))})"
            schemas.append(
                (names, f"{rejected} limit 0", paths.kind_dir("rejects") / "_schema.parquet")
            )
    stamp = paths.lake / "_schema.sha256"
    text = "\n".join([duckdb.__version__, *(sql for _, sql, _ in schemas)])
    digest = hashlib.sha256(text.encode()).hexdigest()
    if stamp.exists() and stamp.read_text(encoding="utf-8") == _stamp(digest, schemas):
        return
    con = duckdb.connect()
    try:
        for names, sql, target in schemas:
            empty = pa.table({f"c{i}": pa.array([], pa.string()) for i in range(len(names))})
            con.register("raw", empty.add_column(0, "__line", pa.array([], pa.int64())))
            _write_schema(con, sql, target)
    finally:
        con.close()
    # written last and not atomically: a stamp cut short by a crash matches nothing,
    # and the next load writes the schema files again
    stamp.write_text(_stamp(digest, schemas), encoding="utf-8")


def _stamp(digest: str, schemas: list[tuple[list[str], str, Path]]) -> str:
    """The SQL's digest and each schema file's own SHA-256 (a file changed or removed
    since: the schema files are written again); empty when a file is missing."""
    if not all(target.exists() for _, _, target in schemas):
        return ""
    files = (
        f"{file_sha256(target)}  {target.parent.name}/{target.name}" for _, _, target in schemas
    )
    return "\n".join([digest, *files]) + "\n"


def _write_schema(con: duckdb.DuckDBPyConnection, sql: str, target: Path) -> None:
    """Write a kind's zero-row schema file, or replace one whose columns have changed.

    dbt reads every batch of a kind with ``union_by_name``, so the schema file is
    what gives a column added later (a roster's ``effective_date``) to a lake whose
    older batches lack it: they read as null there.
    """
    temporary = target.with_name(target.name + ".new")
    con.execute(
        f"copy ({sql}) to {quote(temporary)} (format parquet)", used_params(sql, query_params())
    ).fetchall()
    if target.exists() and pq.read_schema(target).equals(
        pq.read_schema(temporary), check_metadata=False
    ):
        temporary.unlink()
        return
    os.replace(temporary, target)


def connect(paths: WarehousePaths) -> duckdb.DuckDBPyConnection:
    """The in-memory DuckDB of one load: at most ``INGEST_MEMORY_LIMIT`` of memory
    (default 1GB), spilling past it to ``WAREHOUSE_DIR/tmp`` (removed by every load)."""
    return duckdb.connect(
        config={
            "memory_limit": settings().ingest_memory_limit,
            "temp_directory": str(paths.staging / "duckdb"),
        }
    )


def query_params(secret: bytes = b"", today: dt.date | None = None) -> dict[str, Any]:
    from kernel.pseudonymize import hmac_params

    return {**hmac_params(secret), "today": (today or dt.date.today()).isoformat()}


def landed_sql(query: str, batch_id: str) -> str:
    """The loaded rows of a validated relation (``query``: SQL text or a parenthesized
    relation)."""
    kept = "* exclude (reason, reason_column, reason_value)"
    return f"select {quote(batch_id)} as batch_id, {kept} from ({query}) where reason is null"


def rejected_sql(query: str, batch_id: str, kind: str, raw_values: str = "'{}'::json") -> str:
    """The rejected rows of a validated relation, in line order, with ``raw_values``
    (SQL over ``raw``'s ``c0..cN``: ``validating.raw_values_sql``) built for them alone,
    from the rows of ``raw`` they came from."""
    return (
        f"select {quote(batch_id)} as batch_id, {quote(kind)} as kind, source_line, reason, "
        f"reason_column, reason_value, {raw_values} as raw_values "
        f"from (select * from ({query}) where reason is not null) j "
        "join raw on raw.__line = j.source_line order by source_line"
    )


def used_params(sql: str, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters a statement names (DuckDB refuses extra ones)."""
    return {name: value for name, value in params.items() if f"${name}" in sql}


def _copy(con: duckdb.DuckDBPyConnection, sql: str, target: Path, params: dict[str, Any]) -> int:
    """Write ``sql``'s rows to ``target`` (zstd Parquet, renamed into place); the rows
    written, as ``COPY`` counts them."""
    temporary = target.with_name(target.name + ".tmp")
    written = con.execute(
        f"copy ({sql}) to {quote(temporary)} (format parquet, compression zstd)",
        used_params(sql, params),
    ).fetchall()
    os.replace(temporary, target)
    return int(written[0][0])


def new_batch_id(sha256: str, now: dt.datetime) -> str:
    return f"{now:%Y%m%dT%H%M%S%f}-{sha256[:12]}"


# Microseconds between the landing moments of two files in inbox order; a workbook's
# sheets take the moments between (so at most this many sheets are told apart by time;
# past that, by batch id).
MOMENT_STEP = 64


def landing_moments(files: list[Path]) -> dict[Path, dt.datetime]:
    """Each file's landing moment (its batches' ``loaded_at`` and batch id), fixed
    before the workers start and rising in inbox order. Of two exact duplicates the copy
    loaded first is kept (DESIGN.md): taken as each worker reached its file, the
    moments followed which file was read faster, so the same inbox could keep one
    school's copy on one load and another's on the next. The moments run ahead of the
    clock by 64 µs a file (0.3 s for 5,000 files), less than a load of them takes."""
    start = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    return {
        path: start + dt.timedelta(microseconds=number * MOMENT_STEP)
        for number, path in enumerate(files)
    }


def sheet_moment(moment: dt.datetime, index: int) -> dt.datetime:
    """The landing moment of a file's ``index``-th table: the file's, plus a
    microsecond a sheet before the next file's (``MOMENT_STEP``)."""
    return moment + dt.timedelta(microseconds=min(index, MOMENT_STEP - 1))


def land(
    paths: WarehousePaths,
    con: duckdb.DuckDBPyConnection,
    query: str,
    params: dict[str, Any],
    batch: Batch,
    rows_read: Any,
    dry_run: bool = False,
    raw_values: str = "'{}'::json",
    rows: pa.Table | None = None,
    expect: Batch | None = None,
    preview: Preview | None = None,
) -> Batch:
    """Write one file's rows and rejects, ready for the manifest to name them.
    ``expect``: the batch being landed again (``ingest repair``), whose recorded counts
    the rows must give, or nothing is written.

    ``raw`` must be registered on ``con`` (``rows``: the same rows, when they are an
    Arrow table in memory). Up to ``JUDGED_ROWS`` rows in memory are validated once,
    into a temporary table (``_judge``), and the loaded and the rejected rows written from those
    verdicts: planning the validation query costs about as much as running it on a
    file of a few thousand rows. More rows, or rows in a DuckDB table (a file too
    large for memory), are validated and written to the batch's Parquet file in one
    pass (``_copy_loaded``); the rows of ``raw`` that did not load (usually few) are
    then validated again on their own, which gives the same verdicts, as validation
    reads nothing but the row itself, and become the rejects (``_reject_the_rest``).
    ``rows_read`` (called once the rows are consumed) is the reader's own count: a
    batch whose loaded and rejected rows do not add up to it (a row neither loaded
    nor given a reason) is not landed.
    ``dry_run`` validates and counts, and lands nothing; ``preview`` (a dry run's)
    receives the first rows that would have landed, and the first reject of each reason.
    """
    work = paths.staging / batch.batch_id
    work.mkdir(parents=True, exist_ok=True)
    try:
        data = work / "data.parquet"
        rejects = work / "rejects.parquet"
        judged = rows is not None and rows.num_rows <= JUDGED_ROWS
        if judged:
            _judge(con, query, params)
        loaded = landed_sql(f"select * from {JUDGED}" if judged else query, batch.batch_id)
        batch.rows_loaded = _copy_loaded(con, loaded, data, params, judged)
        batch.rows_read = rows_read()
        if batch.rows_loaded < batch.rows_read:
            batch.rows_rejected, batch.rejects_by_reason = (
                _copy_rejects(con, params, batch, rejects, raw_values)
                if judged
                else _reject_the_rest(con, query, params, batch, data, rejects, raw_values, rows)
            )
        else:  # every row loaded: no rejects, a file with their columns only
            shutil.copyfile(paths.kind_dir("rejects") / "_schema.parquet", rejects)
            batch.rows_rejected, batch.rejects_by_reason = 0, {}
        if batch.rows_read != batch.rows_loaded + batch.rows_rejected:
            raise ValueError(
                f"{batch.rows_read} rows read but {batch.rows_loaded} loaded and "
                f"{batch.rows_rejected} rejected; nothing was landed"
            )
        counts = (batch.rows_read, batch.rows_loaded, batch.rows_rejected)
        if expect and counts != (expect.rows_read, expect.rows_loaded, expect.rows_rejected):
            raise FileFault(
                Text(
                    "repair_mismatch",
                    read=counts[0],
                    loaded=counts[1],
                    rejected=counts[2],
                    was_read=expect.rows_read,
                    was_loaded=expect.rows_loaded,
                    was_rejected=expect.rows_rejected,
                )
            )
        if preview is not None:
            preview.take(pq.read_table(data), pq.read_table(rejects))
        if not batch.rows_loaded and not expect:
            raise NothingLoaded(_nothing_loaded(batch, rejects), batch, _rejected_rows(rejects))
        if dry_run:
            return batch
        batch.checksums = {
            f"{batch.kind}/{batch.batch_id}.parquet": file_sha256(data),
            f"rejects/{batch.batch_id}.parquet": file_sha256(rejects),
        }
        os.replace(data, paths.kind_dir(batch.kind) / f"{batch.batch_id}.parquet")
        os.replace(rejects, paths.kind_dir("rejects") / f"{batch.batch_id}.parquet")
        sync(paths.kind_dir(batch.kind))
        sync(paths.kind_dir("rejects"))
    finally:
        con.execute(f"drop table if exists {JUDGED}")
        shutil.rmtree(work, ignore_errors=True)
    return batch


class NothingLoaded(FileFault):
    """A table of which no row loads: it is not landed, so it never replaces an earlier
    batch of the same file with nothing (``batch``: its counts; ``rejects``: its rejected
    rows, line, reason, column and masked value, for the returns to schools)."""

    def __init__(self, text: Text, batch: Batch, rejects: list[dict] | None = None) -> None:
        super().__init__(text)
        self.batch = batch
        self.rejects = rejects or []


REJECT_COLUMNS = ("source_line", "reason", "reason_column", "reason_value")


def _rejected_rows(rejects: Path) -> list[dict]:
    """The rejected rows of a table that loads nothing (values masked by validation)."""
    if not rejects.exists():
        return []
    return pq.read_table(rejects, columns=list(REJECT_COLUMNS)).to_pylist()


def _nothing_loaded(batch: Batch, rejects: Path) -> Text:
    """Why a table loads no row: no rows at all, or every row rejected (how many for
    each reason, and the first reject's message, written when shown)."""
    if not batch.rows_read:
        return Text("no_rows_of_data")
    first = pq.read_table(rejects).slice(0, 1).to_pylist()[0]
    counts = ", ".join(f"{reason}: {n}" for reason, n in batch.rejects_by_reason.items())
    said = Text(
        "reject",
        reason=first["reason"],
        column=first["reason_column"],
        value=first["reason_value"],
    )
    return Text(
        "every_row_rejected",
        rows=batch.rows_read,
        counts=counts,
        line=first["source_line"],
        first=said,
    )


# At most this many rows are validated into a table (``_judge``). The planning it
# saves (about 20 ms a file) is worth more than writing the verdicts (about 420 bytes
# a row: three 64-character keys) and reading them back twice up to a few tens of
# thousands of rows; past that the single streaming pass is cheaper. On the 10M demo
# logs (147 files of 2,500 to 176,000 rows) 200,000 cost 3.5 s more than 20,000 in
# validation and copying (28.0 s against 24.3 s, bench/README.md); 10,000 and 50,000
# were within the run-to-run spread of 20,000. Every log of the 1M demo (at most
# 18,400 rows) is still judged.
JUDGED_ROWS = 20_000
# The temporary table of a file's verdicts, on the file's own cursor.
JUDGED = "judged"


def _judge(con: duckdb.DuckDBPyConnection, query: str, params: dict[str, Any]) -> None:
    """Every row of ``raw`` (an Arrow table in memory) validated once, into the
    temporary table ``JUDGED`` of ``con`` (spilled to the load's scratch folder past
    its memory limit, like ``raw`` itself when large): the loaded rows
    (``_copy_loaded``) and the rejects (``_copy_rejects``) are both written from
    these verdicts. Planning the validation query takes about as long as running it
    on a file of a few thousand rows, so it is planned once a file, not again to
    validate the rows that did not load. (Into Arrow instead: 8% more CPU.)"""
    sql = f"create or replace temp table {JUDGED} as {query}"
    con.execute(sql, used_params(query, params))


def _copy_rejects(
    con: duckdb.DuckDBPyConnection,
    params: dict[str, Any],
    batch: Batch,
    rejects: Path,
    raw_values: str,
) -> tuple[int, dict[str, int]]:
    """Write the rows of ``JUDGED`` that have a reason to ``rejects``, with the cells
    of ``raw`` they came from (``rejected_sql``); how many, and how many per reason."""
    sql = rejected_sql(f"select * from {JUDGED}", batch.batch_id, batch.kind, raw_values)
    rejected = _copy(con, sql, rejects, params)
    by_reason = con.execute(
        f"select reason, count(*) from {JUDGED} where reason is not null "
        "group by reason order by reason"
    ).fetchall()
    return rejected, dict(by_reason)


def _copy_loaded(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    target: Path,
    params: dict[str, Any],
    judged: bool = False,
) -> int:
    """``_copy`` of the loaded rows: from ``_judge``'s verdicts (``judged``: ``sql``
    reads ``JUDGED``), else straight from the validation query. Filter
    pushdown is off for the latter: pushed below the projection that computes each
    row's rule, the filter on the reason would evaluate every rule a second time."""
    if judged:
        return _copy(con, sql, target, params)
    con.execute("set disabled_optimizers = 'filter_pushdown'")
    try:
        return _copy(con, sql, target, params)
    finally:
        con.execute("reset disabled_optimizers")


def _reject_the_rest(
    con: duckdb.DuckDBPyConnection,
    query: str,
    params: dict[str, Any],
    batch: Batch,
    loaded: Path,
    rejects: Path,
    raw_values: str,
    rows: pa.Table | None,
) -> tuple[int, dict[str, int]]:
    """Validate the rows of ``raw`` whose line is not in ``loaded`` on their own and
    write them to ``rejects`` with their reasons; how many, and how many per reason.

    The lines are told apart with numpy (a line of the file is a small integer); the
    rows are taken from ``rows`` when given, else set apart in a table of the load's
    database (it spills to disk past the memory limit). A second cursor sees them as
    its ``raw``."""
    if rows is not None:
        lines = rows.column(LINE).to_numpy()
    else:
        lines = con.execute(f"select {LINE} from raw").fetchnumpy()[LINE]
    loaded_lines = pq.read_table(loaded, columns=["source_line"]).column(0).to_numpy()
    seen = np.zeros(int(lines.max(initial=0)) + 1, dtype=np.bool_)
    seen[loaded_lines] = True
    rest_at = np.flatnonzero(~seen[lines])
    cursor = con.cursor()
    rest = "rest_" + "".join(c if c.isalnum() else "_" for c in batch.batch_id)
    try:
        if rows is not None:
            cursor.register("raw", rows.take(rest_at))
        else:
            con.register("rest_lines", pa.table({"line": lines[rest_at]}))
            con.execute(
                f"create table {rest} as select * from raw "
                f"where {LINE} in (select line from rest_lines)"
            )
            con.unregister("rest_lines")
            cursor.execute(f"create temp view raw as select * from {rest}")
        rejected = _copy(
            cursor, rejected_sql(query, batch.batch_id, batch.kind, raw_values), rejects, params
        )
        by_reason = cursor.execute(
            f"select reason, count(*) from read_parquet({quote(rejects)}) "
            "group by reason order by reason"
        ).fetchall()
    finally:
        cursor.close()
        con.execute(f"drop table if exists {rest}")
    return rejected, dict(by_reason)


class ManifestWriter:
    """The manifest of one load: read once, held in memory, written as files complete.

    Reading and rewriting the whole manifest for every file made a load quadratic
    in the number of batches. ``add`` records a file's batches (superseding its
    earlier ones) in memory; the file is written once ``WRITE_SHARE``'s inverse times
    the last write's duration has passed since it (so writing takes at most about 5%
    of a load: after every file while the manifest is small, less and less often as
    it grows), and by ``flush`` at the end. Each write is atomic and holds whole files
    only, so a killed load leaves the files recorded by its last write, and the next
    run loads the others (their batch files are leftovers until then).
    """

    WRITE_SHARE = 0.05

    def __init__(self, paths: WarehousePaths) -> None:
        self.paths = paths
        self.batches = read_manifest(paths)
        self.pending = False
        self.written_at = time.monotonic()
        self.write_seconds = 0.0

    def active_by_file(self) -> dict[str, list[Batch]]:
        active: dict[str, list[Batch]] = {}
        for batch in self.batches:
            if batch.is_active:
                active.setdefault(batch.file, []).append(batch)
        return active

    def add(self, batches: list[Batch], previous: list[Batch], append: bool) -> None:
        """A file's new batches; without ``append`` they supersede ``previous`` (its
        active batches: a sheet's by its namesake, the others by the first)."""
        if not append:
            replaced = {b.batch_id for b in previous}
            by_name = {b.file: b for b in batches}
            for old in self.batches:
                if old.batch_id in replaced:
                    new = by_name.get(old.file, batches[0])
                    old.superseded_at = new.loaded_at
                    old.superseded_by = new.batch_id
        for batch in batches:
            batch.mode = "append" if append else "replace"
        self.batches.extend(batches)
        self.pending = True
        since = time.monotonic() - self.written_at
        if since >= self.write_seconds / self.WRITE_SHARE:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        started = time.monotonic()
        write_manifest(self.paths, self.batches)
        self.written_at = time.monotonic()
        self.write_seconds = self.written_at - started
        self.pending = False


def discard(paths: WarehousePaths, batch: Batch) -> None:
    """Remove the files of a batch landed but never named by the manifest."""
    for kind in (batch.kind, "rejects"):
        (paths.kind_dir(kind) / f"{batch.batch_id}.parquet").unlink(missing_ok=True)


def remove_leftovers(paths: WarehousePaths) -> list[Path]:
    """Delete batch files of interrupted loads (named by no manifest line) and scratch."""
    known = {batch.batch_id for batch in read_manifest(paths)}
    removed: list[Path] = []
    for kind in LAKE_KINDS:
        for path in paths.kind_dir(kind).glob("*.parquet*"):
            batch_id = path.name.split(".parquet")[0]
            if batch_id != "_schema" and batch_id not in known:
                path.unlink()
                removed.append(path)
    shutil.rmtree(paths.staging, ignore_errors=True)
    return removed
