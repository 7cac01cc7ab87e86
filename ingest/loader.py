"""Loading an inbox: each file read, validated, pseudonymized and landed as one batch."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from ingest.config import WarehousePaths, load_secret
from ingest.errors import redact
from ingest.headers import map_headers
from ingest.landing import (
    Batch,
    commit,
    ensure_lake,
    file_sha256,
    land,
    new_batch_id,
    query_params,
    read_manifest,
    remove_leftovers,
)
from ingest.reading import FileFault, read_file
from ingest.validating import build_query

log = logging.getLogger(__name__)

Progress = Callable[[str, int], None]

SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx")


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
    """Every readable file under the inbox, in a stable order; hidden and lock files skipped."""
    return sorted(
        path
        for path in inbox.rglob("*")
        if path.is_file()
        and path.suffix.lower() in SUFFIXES
        and not any(part.startswith((".", "~$")) for part in path.relative_to(inbox).parts)
    )


def load_inbox(
    paths: WarehousePaths,
    inbox: Path,
    append: bool = False,
    today: dt.date | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> list[FileResult]:
    """Load every file of the inbox; a failing file never stops the others.

    ``dry_run`` reads and validates every file and reports what a load would do,
    writing nothing to the lake. ``progress(file, rows_read_so_far)`` is called as
    large files are read.
    """
    ensure_lake(paths)
    for leftover in remove_leftovers(paths):
        log.info("removed %s, left by an interrupted load", leftover.name)
    params = query_params(load_secret(paths), today)
    results = []
    for path in inbox_files(inbox):
        name = path.relative_to(inbox).as_posix()
        try:
            results.append(load_file(paths, path, name, params, append, dry_run, progress))
        except FileFault as fault:
            results.append(FileResult(name, "failed", message=f"{name}: {redact(str(fault))}"))
        except (duckdb.Error, OSError, ValueError) as error:
            first = (
                str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            )
            message = f"{name}: cannot be loaded: {redact(first)}"
            results.append(FileResult(name, "failed", message=message))
    return results


def load_file(
    paths: WarehousePaths,
    path: Path,
    name: str,
    params: dict,
    append: bool,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> FileResult:
    """Load one file as one batch, or report it unchanged (``dry_run``: check only)."""
    sha = file_sha256(path)
    active = [b for b in read_manifest(paths) if b.file == name and b.is_active]
    same = next((b for b in active if b.sha256 == sha), None)
    if same is not None:
        return FileResult(
            name,
            "unchanged",
            same.kind,
            same.rows_read,
            same.rows_loaded,
            same.rows_rejected,
            same.batch_id,
        )
    raw = read_file(path, paths.staging)
    header_map = map_headers(raw.headers)
    positions = {c: raw.headers.index(h) for c, h in header_map.columns.items()}
    query = build_query(raw.kind, header_map.columns, positions, raw.headers, name)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    batch = Batch(
        batch_id=new_batch_id(sha, now),
        file=name,
        sha256=sha,
        kind=raw.kind,
        loaded_at=now.isoformat(timespec="microseconds"),
        rows_read=0,
        rows_loaded=0,
        rows_rejected=0,
        detected=raw.detected,
        unmapped_headers=header_map.unmapped,
    )
    con = duckdb.connect()
    try:
        con.register("raw", _reporting(raw.batches, name, progress))
        land(paths, con, query, params, batch, lambda: raw.rows_read, dry_run)
    finally:
        con.close()
        for scratch in raw.scratch_files:
            scratch.unlink(missing_ok=True)
    if dry_run:
        outcome = "checked"
    else:
        commit(paths, batch, append)
        log.info("%s: %s batch %s", name, raw.kind, batch.batch_id)
        outcome = "replaced" if active and not append else "loaded"
    return FileResult(
        name,
        outcome,
        raw.kind,
        batch.rows_read,
        batch.rows_loaded,
        batch.rows_rejected,
        "" if dry_run else batch.batch_id,
        rejects_by_reason=batch.rejects_by_reason,
    )


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
