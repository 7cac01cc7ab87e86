"""Loading an inbox: each file read, validated, pseudonymized and landed as one batch."""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from ingest.config import WarehousePaths, load_secret, max_file_bytes
from ingest.errors import mask_secrets, redact
from ingest.headers import STANDARD
from ingest.inbox import outside_message, points_outside
from ingest.landing import (
    Batch,
    ManifestWriter,
    connect,
    ensure_lake,
    file_sha256,
    land,
    new_batch_id,
    query_params,
    remove_leftovers,
)
from ingest.mapping import Mapping, inbox_mapping_files, load_mapping_file, mapping_for
from ingest.reading import (
    MISMATCH,
    NOT_UTF8,
    SUFFIXES,
    FileFault,
    RawTable,
    ReadAgain,
    detect_encoding,
    read_tables,
)
from ingest.validating import build_query, raw_values_sql

log = logging.getLogger(__name__)

Progress = Callable[[str, int], None]


@dataclass
class FileResult:
    """What happened to one inbox file."""

    file: str
    outcome: str  # loaded, replaced, unchanged, failed; checked (dry run)
    kind: str = ""
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    batch_id: str = ""
    message: str = ""
    rejects_by_reason: dict[str, int] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return self.outcome == "failed"


def inbox_files(inbox: Path) -> list[Path]:
    """Every readable file under the inbox, in a stable order; hidden and lock files
    skipped. Links that point outside the inbox, to a data file or a folder, are listed
    too, for the load to report as failed without reading them (``ingest.inbox``)."""
    return sorted(
        path
        for path in inbox.rglob("*")
        if not any(part.startswith((".", "~$")) for part in path.relative_to(inbox).parts)
        and (path.is_dir() or path.suffix.lower() in SUFFIXES)
        and (
            (path.is_symlink() and points_outside(path, inbox))
            or (path.is_file() and path.suffix.lower() in SUFFIXES)
        )
    )


def load_inbox(
    paths: WarehousePaths,
    inbox: Path,
    append: bool = False,
    today: dt.date | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    mapping_files: list[Path] | None = None,
    workers: int | None = None,
) -> list[FileResult]:
    """Load every file of the inbox; a failing file never stops the others.

    Mappings come from ``mapping_files`` (``--mapping``) and the inbox's
    ``*.mapping.yaml`` files, in that order; a mapping file that cannot be used
    raises MappingError before anything is loaded.

    ``dry_run`` reads and validates every file and reports what a load would do,
    writing nothing to the lake. ``progress(file, rows_read_so_far)`` is called as
    large files are read (from the worker threads, under a lock).

    Files are read and validated ``workers`` at a time (default: one per CPU, at most
    ``MAX_WORKERS``), each on its own cursor of one DuckDB connection, and recorded
    in the manifest in inbox order: the manifest is read once, kept in memory, and
    rewritten as files complete (``ManifestWriter``) and at the end.
    """
    mappings = [
        mapping
        for source in [*(mapping_files or []), *inbox_mapping_files(inbox)]
        for mapping in load_mapping_file(source)
    ]
    ensure_lake(paths)
    for leftover in remove_leftovers(paths):
        log.info("removed %s, left by an interrupted load", leftover.name)
    params = query_params(load_secret(paths), today)
    manifest = ManifestWriter(paths)
    active = manifest.active_by_file()
    locked = _locked(progress)
    con = connect(paths)

    def prepare(path: Path) -> _Prepared:
        name = path.relative_to(inbox).as_posix()
        cursor = con.cursor()
        try:
            if points_outside(path, inbox):
                raise FileFault(outside_message(path))
            mapping = mapping_for(mappings, name)
            previous = [b for f, bs in active.items() if _of_file(f, name) for b in bs]
            return _prepare_file(
                paths, path, name, params, previous, dry_run, locked, mapping, cursor
            )
        except FileFault as fault:
            return _Prepared([FileResult(name, "failed", message=f"{name}: {redact(str(fault))}")])
        except (duckdb.Error, OSError, ValueError) as error:
            first = (
                str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            )
            message = f"{name}: cannot be loaded: {mask_secrets(first)}"
            return _Prepared([FileResult(name, "failed", message=message)])
        finally:
            cursor.close()

    results: list[FileResult] = []
    count = workers or min(MAX_WORKERS, os.cpu_count() or 1)
    try:
        with ThreadPoolExecutor(max_workers=max(1, count)) as pool:
            files = inbox_files(inbox)
            for prepared in (pool.map if count > 1 else map)(prepare, files):
                if prepared.batches and not dry_run:
                    manifest.add(prepared.batches, prepared.previous, append)
                results.extend(_results(prepared, append, dry_run))
    finally:
        manifest.flush()
        con.close()
    return results


MAX_WORKERS = 4


@dataclass
class _Prepared:
    """One inbox file read, validated and landed, not yet in the manifest."""

    results: list[FileResult]
    batches: list[Batch] = field(default_factory=list)
    previous: list[Batch] = field(default_factory=list)  # its active batches before


def _results(prepared: _Prepared, append: bool, dry_run: bool) -> list[FileResult]:
    if not prepared.batches:
        return prepared.results
    if dry_run:
        outcome = "checked"
    else:
        outcome = "replaced" if prepared.previous and not append else "loaded"
        for batch in prepared.batches:
            log.info("%s: %s batch %s", batch.file, batch.kind, batch.batch_id)
    return [
        FileResult(
            batch.file,
            outcome,
            batch.kind,
            batch.rows_read,
            batch.rows_loaded,
            batch.rows_rejected,
            "" if dry_run else batch.batch_id,
            rejects_by_reason=batch.rejects_by_reason,
        )
        for batch in prepared.batches
    ]


def _locked(progress: Progress | None) -> Progress | None:
    if progress is None:
        return None
    lock = threading.Lock()

    def call(file: str, rows: int) -> None:
        with lock:
            progress(file, rows)

    return call


def _prepare_file(
    paths: WarehousePaths,
    path: Path,
    name: str,
    params: dict,
    previous: list[Batch],
    dry_run: bool,
    progress: Progress | None,
    mapping: Mapping | None,
    con: duckdb.DuckDBPyConnection,
) -> _Prepared:
    """Read, validate and land one file's tables (not yet in the manifest), or find
    it unchanged. A CSV that DuckDB finds not to be UTF-8 after all, or whose records
    the line scan miscounted, is read a second time (``reading.read_csv``)."""
    size, limit = path.stat().st_size, max_file_bytes()
    if size > limit:
        raise FileFault(
            f"the file is {size:,} bytes, more than the {limit:,} a file may have "
            "(INGEST_MAX_FILE_BYTES); split it into smaller files, or raise the limit"
        )
    sha = file_sha256(path)
    same = [b for b in previous if b.sha256 == sha]
    if same:
        return _Prepared(
            [
                FileResult(
                    b.file,
                    "unchanged",
                    b.kind,
                    b.rows_read,
                    b.rows_loaded,
                    b.rows_rejected,
                    b.batch_id,
                )
                for b in same
            ]
        )
    rules = mapping.rules if mapping else STANDARD
    again: dict[str, Any] = {}
    for attempt in range(3):
        tables = read_tables(path, paths.staging, rules, con=con, **again)
        try:
            batches = [
                _land_table(
                    paths,
                    raw,
                    name if len(tables) == 1 else f"{name}#{raw.detected['sheet']}",
                    sha,
                    "" if len(tables) == 1 else f"-{index + 1}",
                    params,
                    dry_run,
                    progress,
                    mapping,
                    con,
                )
                for index, raw in enumerate(tables)
            ]
        except (duckdb.Error, OSError, ReadAgain) as error:
            retry = _read_again(tables, error, again) if attempt < 2 else None
            if retry is None:
                raise
            log.info("%s: read again (%s)", name, ", ".join(f"{k}={v}" for k, v in retry.items()))
            again = {**again, **retry}
            continue
        return _Prepared([], batches, previous)
    raise AssertionError("unreachable")  # pragma: no cover


def _read_again(tables: list[RawTable], error: Exception, again: dict) -> dict | None:
    """How to read a CSV again after its load failed, or None when that would not help."""
    if len(tables) != 1 or "encoding" not in tables[0].detected:
        return None  # a workbook
    detected = tables[0].detected
    if NOT_UTF8 in str(error) and detected["encoding"] == "utf-8" and "encoding" not in again:
        return {"encoding": detect_encoding(tables[0].source)}
    if detected.get("numbering") == MISMATCH and not again.get("by_records"):
        return {"by_records": True}
    return None


def _of_file(batch_file: str, name: str) -> bool:
    """Whether a batch came from the inbox file ``name`` (itself, or one of its sheets)."""
    return batch_file == name or batch_file.startswith(name + "#")


def _land_table(
    paths: WarehousePaths,
    raw: RawTable,
    name: str,
    sha: str,
    suffix: str,
    params: dict,
    dry_run: bool,
    progress: Progress | None,
    mapping: Mapping | None,
    con: duckdb.DuckDBPyConnection | None = None,
) -> Batch:
    """Validate one table and write its batch files (not yet in the manifest)."""
    rules = mapping.rules if mapping else STANDARD
    header_map = rules.map(raw.headers)
    positions = {c: raw.headers.index(h) for c, h in header_map.columns.items()}
    query = build_query(
        raw.kind, header_map.columns, positions, raw.headers, name, mapping, raw.header_width
    )
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    batch = Batch(
        batch_id=new_batch_id(sha, now) + suffix,
        file=name,
        sha256=sha,
        kind=raw.kind,
        loaded_at=now.isoformat(timespec="microseconds"),
        rows_read=0,
        rows_loaded=0,
        rows_rejected=0,
        unmapped_headers=[h for h in header_map.unmapped if h],
    )
    cursor = (con or duckdb.connect()).cursor()
    try:
        rows = _register_raw(cursor, raw, _reporting(raw.batches, name, progress))
        raw_values = raw_values_sql(raw.headers, mapping)
        land(paths, cursor, query, params, batch, lambda: raw.rows_read, dry_run, raw_values, rows)
    finally:
        cursor.close()
        for scratch in raw.scratch_files:
            scratch.unlink(missing_ok=True)
    # after land: a CSV's total_rows is known once its rows are read
    batch.detected = {**raw.detected, **({"mapping": mapping.source} if mapping else {})}
    return batch


# A file up to this size is held in memory as Arrow while it is validated; a larger
# one goes to a DuckDB table first, which spills to disk past the load's memory limit.
IN_MEMORY_BYTES = 64 << 20


def _register_raw(
    cursor: duckdb.DuckDBPyConnection, raw: RawTable, batches: pa.RecordBatchReader
) -> pa.Table | None:
    """Make the table's rows the relation ``raw`` of ``cursor``: the validation query
    scans it more than once (``validating.Lookup``), so a stream will not do. The
    rows, when they are held in memory (None: in a DuckDB table)."""
    if raw.source is None or raw.source.stat().st_size <= IN_MEMORY_BYTES:
        rows = batches.read_all()
        cursor.register("raw", rows)
        return rows
    cursor.register("raw_stream", batches)
    cursor.execute("create temp table raw as select * from raw_stream")
    cursor.unregister("raw_stream")
    return None


def _reporting(
    batches: pa.RecordBatchReader, name: str, progress: Progress | None
) -> pa.RecordBatchReader:
    """The same batches, telling ``progress`` how many rows of the file are read so far."""
    if progress is None:
        return batches

    def generate() -> Iterator[pa.RecordBatch]:
        rows = 0
        for batch in batches:
            rows += batch.num_rows
            progress(name, rows)
            yield batch

    return pa.RecordBatchReader.from_batches(batches.schema, generate())
