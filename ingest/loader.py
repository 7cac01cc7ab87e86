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
from ingest.headers import STANDARD
from ingest.landing import (
    Batch,
    ensure_lake,
    file_sha256,
    land,
    new_batch_id,
    query_params,
    read_manifest,
    remove_leftovers,
    write_manifest,
)
from ingest.mapping import Mapping, inbox_mapping_files, load_mapping_file, mapping_for
from ingest.reading import SUFFIXES, FileFault, RawTable, read_tables
from ingest.validating import build_query

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
    mapping_files: list[Path] | None = None,
) -> list[FileResult]:
    """Load every file of the inbox; a failing file never stops the others.

    Mappings come from ``mapping_files`` (``--mapping``) and the inbox's
    ``*.mapping.yaml`` files, in that order; a mapping file that cannot be used
    raises MappingError before anything is loaded.

    ``dry_run`` reads and validates every file and reports what a load would do,
    writing nothing to the lake. ``progress(file, rows_read_so_far)`` is called as
    large files are read.
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
    results = []
    for path in inbox_files(inbox):
        name = path.relative_to(inbox).as_posix()
        try:
            mapping = mapping_for(mappings, name)
            results.extend(load_file(paths, path, name, params, append, dry_run, progress, mapping))
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
    mapping: Mapping | None = None,
) -> list[FileResult]:
    """Load one file, one batch per table, or report it unchanged (``dry_run``: check only).

    A CSV, or a workbook with one data sheet, is one batch named ``name``; a
    workbook with several is one batch per sheet, named ``name#sheet``. The
    batches of a file are committed together, and supersede every earlier batch
    of the file, whatever sheets it had.
    """
    sha = file_sha256(path)
    active = [b for b in read_manifest(paths) if _of_file(b.file, name) and b.is_active]
    same = [b for b in active if b.sha256 == sha]
    if same:
        return [
            FileResult(
                b.file, "unchanged", b.kind, b.rows_read, b.rows_loaded, b.rows_rejected, b.batch_id
            )
            for b in same
        ]
    rules = mapping.rules if mapping else STANDARD
    tables = read_tables(path, paths.staging, rules)
    batches = []
    for index, raw in enumerate(tables):
        table_name = name if len(tables) == 1 else f"{name}#{raw.detected['sheet']}"
        suffix = "" if len(tables) == 1 else f"-{index + 1}"
        batches.append(
            _land_table(paths, raw, table_name, sha, suffix, params, dry_run, progress, mapping)
        )
    if dry_run:
        outcome = "checked"
    else:
        _commit(paths, batches, active, append)
        for batch in batches:
            log.info("%s: %s batch %s", batch.file, batch.kind, batch.batch_id)
        outcome = "replaced" if active and not append else "loaded"
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
        for batch in batches
    ]


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
) -> Batch:
    """Validate one table and write its batch files (not yet in the manifest)."""
    rules = mapping.rules if mapping else STANDARD
    header_map = rules.map(raw.headers)
    positions = {c: raw.headers.index(h) for c, h in header_map.columns.items()}
    query = build_query(raw.kind, header_map.columns, positions, raw.headers, name, mapping)
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
    # after land: a CSV's total_rows is known once its rows are read
    batch.detected = {**raw.detected, **({"mapping": mapping.source} if mapping else {})}
    return batch


def _commit(paths: WarehousePaths, batches: list[Batch], active: list[Batch], append: bool) -> None:
    """Add a file's batches to the manifest in one write; without ``append`` they
    supersede the file's active batches (a sheet's by its namesake, else the first)."""
    manifest = read_manifest(paths)
    if not append:
        replaced = {b.batch_id for b in active}
        by_name = {b.file: b for b in batches}
        for old in manifest:
            if old.batch_id in replaced:
                new = by_name.get(old.file, batches[0])
                old.superseded_at = new.loaded_at
                old.superseded_by = new.batch_id
    mode = "append" if append else "replace"
    for batch in batches:
        batch.mode = mode
    write_manifest(paths, [*manifest, *batches])


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
