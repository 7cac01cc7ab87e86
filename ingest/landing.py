"""The lake: immutable Parquet batches per kind, their rejects, and the manifest.

Layout under ``WAREHOUSE_DIR/lake``::

    manifest.jsonl                 one line per batch, rewritten atomically
    <kind>/<batch_id>.parquet      the loaded rows of one file (kind: activity, people, ...)
    <kind>/_schema.parquet         no rows: gives dbt the columns before the first load
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
import json
import os
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from ingest.config import LAKE_KINDS, WarehousePaths
from ingest.schema import KIND_SPECS, KINDS
from ingest.sqltext import quote

MANIFEST_COLUMNS = {
    "batch_id": "VARCHAR",
    "file": "VARCHAR",
    "sha256": "VARCHAR",
    "kind": "VARCHAR",
    "loaded_at": "TIMESTAMP",
    "superseded_at": "TIMESTAMP",
    "rows_read": "BIGINT",
    "rows_loaded": "BIGINT",
    "rows_rejected": "BIGINT",
}


@dataclass
class Batch:
    """One manifest line: a file landed at a moment, and what became of its rows."""

    batch_id: str
    file: str
    sha256: str
    kind: str
    loaded_at: str
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    mode: str = "replace"
    superseded_at: str | None = None
    superseded_by: str | None = None
    detected: dict[str, Any] = field(default_factory=dict)
    unmapped_headers: list[str] = field(default_factory=list)
    rejects_by_reason: dict[str, int] = field(default_factory=dict)

    @property
    def is_active(self) -> bool:
        return self.superseded_at is None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def read_manifest(paths: WarehousePaths) -> list[Batch]:
    if not paths.manifest.exists():
        return []
    with paths.manifest.open(encoding="utf-8") as handle:
        return [Batch(**json.loads(line)) for line in handle if line.strip()]


def write_manifest(paths: WarehousePaths, batches: list[Batch]) -> None:
    """Replace the manifest in one atomic step (write, fsync, rename)."""
    temporary = paths.manifest.with_suffix(".jsonl.tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        for batch in batches:
            handle.write(json.dumps(asdict(batch), ensure_ascii=False, sort_keys=True) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, paths.manifest)
    _fsync_dir(paths.lake)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def ensure_lake(paths: WarehousePaths) -> None:
    """Create the lake's folders, an empty manifest and the per-kind schema files."""
    from ingest.validating import build_query

    for kind in LAKE_KINDS:
        paths.kind_dir(kind).mkdir(parents=True, exist_ok=True)
    if not paths.manifest.exists():
        write_manifest(paths, [])
    con = duckdb.connect()
    for kind in KINDS:
        target = paths.kind_dir(kind) / "_schema.parquet"
        if target.exists():
            continue
        names = list(KIND_SPECS[kind].columns)
        empty = pa.table({f"c{i}": pa.array([], pa.string()) for i in range(len(names))})
        con.register("raw", empty.add_column(0, "__line", pa.array([], pa.int64())))
        query = build_query(
            kind, {n: n for n in names}, {n: i for i, n in enumerate(names)}, names, ""
        )
        _copy(con, f"select * from ({landed_sql(query, '')}) limit 0", target, query_params())
        if kind == "activity":
            rejects = paths.kind_dir("rejects") / "_schema.parquet"
            _copy(
                con,
                f"select * from ({rejected_sql(query, '', kind)}) limit 0",
                rejects,
                query_params(),
            )
    con.close()


def query_params(secret: bytes = b"", today: dt.date | None = None) -> dict[str, Any]:
    from ingest.pseudonymize import hmac_params

    return {**hmac_params(secret), "today": (today or dt.date.today()).isoformat()}


def landed_sql(query: str, batch_id: str) -> str:
    return (
        f"select {quote(batch_id)} as batch_id, "
        "* exclude (reason, reason_column, message, raw_values) "
        f"from ({query}) where reason is null"
    )


def rejected_sql(query: str, batch_id: str, kind: str) -> str:
    return (
        f"select {quote(batch_id)} as batch_id, {quote(kind)} as kind, source_line, reason, "
        f"reason_column, message, raw_values from ({query}) where reason is not null"
    )


def used_params(sql: str, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters a statement names (DuckDB refuses extra ones)."""
    return {name: value for name, value in params.items() if f"${name}" in sql}


def _copy(con: duckdb.DuckDBPyConnection, sql: str, target: Path, params: dict[str, Any]) -> int:
    temporary = target.with_name(target.name + ".tmp")
    con.execute(
        f"copy ({sql}) to {quote(temporary)} (format parquet, compression zstd)",
        used_params(sql, params),
    ).fetchall()
    os.replace(temporary, target)
    return con.execute("select count(*) from read_parquet(?)", [str(target)]).fetchall()[0][0]


def new_batch_id(sha256: str, now: dt.datetime) -> str:
    return f"{now:%Y%m%dT%H%M%S%f}-{sha256[:12]}"


def land(
    paths: WarehousePaths,
    con: duckdb.DuckDBPyConnection,
    query: str,
    params: dict[str, Any],
    batch: Batch,
    rows_read: Any,
    dry_run: bool = False,
) -> Batch:
    """Write one file's rows and rejects, then record the batch in the manifest.

    ``raw`` must be registered on ``con``. Validation runs once, into a scratch
    Parquet file; the loaded rows and the rejects are split from it. ``rows_read``
    (called once the rows are consumed) is the reader's own count: a batch whose
    loaded and rejected rows do not add up to it is not landed. ``dry_run``
    validates and counts, and lands nothing.
    """
    work = paths.staging / batch.batch_id
    work.mkdir(parents=True, exist_ok=True)
    try:
        judged = work / "judged.parquet"
        con.execute(
            f"copy ({query}) to {quote(judged)} (format parquet)", used_params(query, params)
        ).fetchall()
        source = f"(select * from read_parquet({quote(judged)}))"
        data = work / "data.parquet"
        rejects = work / "rejects.parquet"
        batch.rows_loaded = _copy(con, landed_sql(source, batch.batch_id), data, {})
        batch.rows_rejected = _copy(
            con, rejected_sql(source, batch.batch_id, batch.kind), rejects, {}
        )
        batch.rows_read = rows_read()
        if batch.rows_read != batch.rows_loaded + batch.rows_rejected:
            raise ValueError(
                f"{batch.rows_read} rows read but {batch.rows_loaded} loaded and "
                f"{batch.rows_rejected} rejected; nothing was landed"
            )
        batch.rejects_by_reason = dict(
            con.execute(
                "select reason, count(*) from read_parquet(?) group by reason order by reason",
                [str(rejects)],
            ).fetchall()
        )
        if dry_run:
            return batch
        os.replace(data, paths.kind_dir(batch.kind) / f"{batch.batch_id}.parquet")
        os.replace(rejects, paths.kind_dir("rejects") / f"{batch.batch_id}.parquet")
        _fsync_dir(paths.kind_dir(batch.kind))
        _fsync_dir(paths.kind_dir("rejects"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return batch


def commit(paths: WarehousePaths, new: Batch, append: bool) -> list[Batch]:
    """Add a landed batch to the manifest; without ``append`` it supersedes its namesakes."""
    batches = read_manifest(paths)
    if not append:
        for old in batches:
            if old.file == new.file and old.is_active:
                old.superseded_at = new.loaded_at
                old.superseded_by = new.batch_id
    new.mode = "append" if append else "replace"
    batches.append(new)
    write_manifest(paths, batches)
    return batches


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
