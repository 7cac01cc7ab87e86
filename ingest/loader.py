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

from ingest import reference
from ingest.dry_run import DryRunView, Preview, preview_rows
from ingest.failures import record_failures
from ingest.headers import STANDARD, detect_kind
from ingest.inbox import outside_message, points_outside
from ingest.landing import (
    Batch,
    ManifestWriter,
    NothingLoaded,
    connect,
    discard,
    ensure_lake,
    file_sha256,
    land,
    landing_moments,
    new_batch_id,
    query_params,
    remove_leftovers,
    sheet_moment,
)
from ingest.mapping import (
    Mapping,
    check_unscoped,
    inbox_mapping_files,
    load_mapping_file,
    mappings_for,
    rename_keys_missing,
)
from ingest.messages import Text, no_column
from ingest.raw_table import FileFault, RawTable
from ingest.reading import SUFFIXES, ReadAgain, read_again, read_tables
from ingest.schema import ALIASES, missing_needs
from ingest.validating import build_query, raw_values_sql
from kernel.errors import mask_secrets
from kernel.paths import WarehousePaths, load_secret
from kernel.pseudonymize import mask_numbers
from kernel.settings import settings

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
    message: str = ""  # in English; ``message_in`` writes it in a language
    rejects_by_reason: dict[str, int] = field(default_factory=dict)
    # what was read but not loaded, for the user to look at (a stray number below a
    # sheet's data: ``ingest.sheet_data``), written when shown
    warnings: list[Text] = field(default_factory=list)
    dry_run: DryRunView | None = None  # what a dry run saw of the table
    fault: Text | None = None  # why it failed, without the file's name
    # a table that loaded nothing: its rejected rows (masked), kept by ingest.failures
    rejected_rows: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.fault is not None and not self.message:
            self.message = self.message_in("en")

    @property
    def failed(self) -> bool:
        return self.outcome == "failed"

    def message_in(self, lang: str) -> str:
        """The message in ``lang``, naming the file."""
        if self.fault is None:
            return self.message
        return Text("in_file", file=self.file, fault=self.fault).render(lang)


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
    replace_reference: bool = False,
) -> list[FileResult]:
    """Load every file of the inbox; a failing file never stops the others.

    A reference file (districts, organizations, a roster) that would replace an earlier
    one and drop more than half of what the warehouse knows of its kind is refused
    (``ingest.reference``) unless ``replace_reference``.

    Mappings come from ``mapping_files`` (``--mapping``) and the inbox's
    ``*.mapping.yaml`` files, in that order; a mapping file that cannot be used
    raises MappingError before anything is loaded.

    ``dry_run`` reads and validates every file and reports what a load would do,
    writing nothing to the lake. ``progress(file, rows_read_so_far)`` is called as
    large files are read (from the worker threads, under a lock).

    Files are read and validated ``workers`` at a time (default: one per CPU, at most
    ``MAX_WORKERS``), each on its own cursor of one DuckDB connection, and recorded
    in the manifest in inbox order: the manifest is read once, kept in memory, and
    rewritten as files complete (``ManifestWriter``) and at the end. Their landing
    moments rise in inbox order too, whichever worker finishes first
    (``landing_moments``).
    """
    mappings = [
        mapping
        for source in [*(mapping_files or []), *inbox_mapping_files(inbox)]
        for mapping in load_mapping_file(source)
    ]
    check_unscoped(mappings, [path.relative_to(inbox).as_posix() for path in inbox_files(inbox)])
    ensure_lake(paths)
    for leftover in remove_leftovers(paths):
        log.info("removed %s, left by an interrupted load", leftover.name)
    params = query_params(load_secret(paths), today)
    manifest = ManifestWriter(paths)
    active = manifest.active_by_file()
    locked = _locked(progress)
    con = connect(paths)
    files = inbox_files(inbox)
    moments = landing_moments(files)

    def prepare(path: Path) -> _Prepared:
        name = path.relative_to(inbox).as_posix()
        cursor = con.cursor()
        views: dict[str, DryRunView] | None = {} if dry_run else None
        try:
            if points_outside(path, inbox):
                raise FileFault(outside_message(path))
            candidates = mappings_for(mappings, name)
            previous = [b for f, bs in active.items() if _of_file(f, name) for b in bs]
            prepared = _prepare_file(
                paths,
                path,
                name,
                params,
                previous,
                dry_run,
                locked,
                candidates,
                cursor,
                views,
                moments[path],
            )
            prepared.views = views or {}
            return prepared
        except FileFault as fault:
            return _Prepared([_failed(name, fault, view=(views or {}).get(name))])
        except (duckdb.Error, OSError, ValueError) as error:
            first = (
                str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            )
            unloadable = Text("cannot_be_loaded", detail=mask_secrets(first))
            return _Prepared([FileResult(name, "failed", fault=unloadable)])
        finally:
            cursor.close()

    results: list[FileResult] = []
    count = workers or min(MAX_WORKERS, os.cpu_count() or 1)
    try:
        with ThreadPoolExecutor(max_workers=max(1, count)) as pool:
            for prepared in (pool.map if count > 1 else map)(prepare, files):
                if prepared.batches and not dry_run:
                    guarded = not (append or replace_reference) and prepared.previous
                    dropped = guarded and reference.drop(
                        paths, manifest.batches, prepared.batches, prepared.previous
                    )
                    if dropped:
                        results.extend(_refused(paths, prepared, dropped))
                        continue
                    manifest.add(prepared.batches, prepared.previous, append)
                results.extend(_results(prepared, append, dry_run))
    finally:
        manifest.flush()
        con.close()
    if not dry_run:  # the returns to schools tell each sender why (ingest.failures)
        record_failures(paths, inbox, results)
    return results


MAX_WORKERS = 4


def _refused(
    paths: WarehousePaths, prepared: _Prepared, dropped: reference.Drop
) -> list[FileResult]:
    """A reference file refused by the guard: its batch files removed, each of its tables
    failed with the codes it would drop."""
    for batch in prepared.batches:
        discard(paths, batch)
    replaced = sorted({b.file for b in prepared.previous})
    return [
        FileResult(
            batch.file,
            "failed",
            batch.kind,
            batch.rows_read,
            0,
            batch.rows_rejected,
            fault=dropped.message(replaced),
        )
        for batch in prepared.batches
    ]


@dataclass
class _Prepared:
    """One inbox file read, validated and landed, not yet in the manifest."""

    results: list[FileResult]
    batches: list[Batch] = field(default_factory=list)
    previous: list[Batch] = field(default_factory=list)  # its active batches before
    order: list[str] = field(default_factory=list)  # its tables' names, in file order
    views: dict[str, DryRunView] = field(default_factory=dict)  # a dry run's, by table


def _results(prepared: _Prepared, append: bool, dry_run: bool) -> list[FileResult]:
    """The results of a file's tables (failed or landed), in file order."""
    if not prepared.batches:
        return prepared.results
    if dry_run:
        outcome = "checked"
    else:
        outcome = "replaced" if prepared.previous and not append else "loaded"
        for batch in prepared.batches:
            log.info("%s: %s batch %s", batch.file, batch.kind, batch.batch_id)
    landed = [
        FileResult(
            batch.file,
            outcome,
            batch.kind,
            batch.rows_read,
            batch.rows_loaded,
            batch.rows_rejected,
            "" if dry_run else batch.batch_id,
            rejects_by_reason=batch.rejects_by_reason,
            warnings=[Text.from_stored(w) for w in batch.detected.get("warnings", [])],
            dry_run=prepared.views.get(batch.file),
        )
        for batch in prepared.batches
    ]
    position = {name: i for i, name in enumerate(prepared.order)}
    return sorted(prepared.results + landed, key=lambda r: position.get(r.file, 0))


def _failed(
    name: str, fault: FileFault, kind: str = "", view: DryRunView | None = None
) -> FileResult:
    """The result of a file (or sheet) that failed: its message, and its counts when it
    was read but loaded no row (and, in a dry run, what was seen of it)."""
    fault.text.redacted = True
    result = FileResult(name, "failed", kind, dry_run=view, fault=fault.text)
    if isinstance(fault, NothingLoaded):
        batch = fault.batch
        result.kind, result.rows_read, result.rows_rejected = (
            batch.kind,
            batch.rows_read,
            batch.rows_rejected,
        )
        result.rejects_by_reason = batch.rejects_by_reason
        result.rejected_rows = fault.rejects
    return result


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
    candidates: list[Mapping],
    con: duckdb.DuckDBPyConnection,
    views: dict[str, DryRunView] | None,
    moment: dt.datetime,
) -> _Prepared:
    """Read, validate and land one file's tables (not yet in the manifest), or find
    it unchanged. A CSV that DuckDB finds not to be UTF-8 after all, or whose records
    the line scan miscounted, is read a second time (``reading.read_csv``)."""
    size, limit = path.stat().st_size, settings().max_file_bytes
    if size > limit:
        raise FileFault(Text("file_too_large", size=size, limit=limit))
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
    again: dict[str, Any] = {}
    for attempt in range(3):
        mapped = read_mapped(path, paths.staging, candidates, con, again)
        tables = [raw for raw, _ in mapped]
        try:
            batches, failed = [], []
            for index, (raw, mapping) in enumerate(mapped):
                table_name = name if len(tables) == 1 else f"{name}#{raw.detected['sheet']}"
                suffix = "" if len(tables) == 1 else f"-{index + 1}"
                view = None if views is None else views.setdefault(table_name, DryRunView())
                try:
                    batches.append(
                        land_table(
                            paths,
                            raw,
                            table_name,
                            sha,
                            suffix,
                            params,
                            dry_run,
                            progress,
                            mapping,
                            con,
                            view=view,
                            moment=sheet_moment(moment, index),
                        )
                    )
                except FileFault as fault:
                    if len(tables) == 1:
                        raise
                    # one sheet that loads nothing fails alone; the others load
                    failed.append(_failed(table_name, fault, raw.kind, view))
        except (duckdb.Error, OSError, ReadAgain) as error:
            retry = read_again(tables, error, again) if attempt < 2 else None
            if retry is None:
                raise
            log.info("%s: read again (%s)", name, ", ".join(f"{k}={v}" for k, v in retry.items()))
            again = {**again, **retry}
            continue
        names = [name if len(tables) == 1 else f"{name}#{t.detected['sheet']}" for t in tables]
        return _Prepared(failed, batches, previous, names)
    raise AssertionError("unreachable")  # pragma: no cover


def read_mapped(
    path: Path,
    scratch: Path,
    candidates: list[Mapping],
    con: duckdb.DuckDBPyConnection,
    again: dict[str, Any],
) -> list[tuple[RawTable, Mapping | None]]:
    """The file's tables, each with the mapping that applies to it: the first of the
    ``candidates`` (the mappings whose ``match`` covers the file) that describes its
    kind. A table the contract's own headers show to be of another kind (an
    organizations file that a broad ``match`` also covers) is read without it; so is a
    workbook's sheet of another kind, the other sheets keeping the mapping."""
    for mapping in candidates:
        tables = read_tables(path, scratch, mapping.rules, con=con, **again)
        fits = [_fits(mapping, raw) for raw in tables]
        if all(fits):
            return [(raw, mapping) for raw in tables]
        if any(fits) and len(tables) > 1:
            plain = read_tables(path, scratch, STANDARD, con=con, **again)
            by_sheet = {raw.detected.get("sheet"): raw for raw in plain}
            return [
                (raw, mapping) if fit else (by_sheet[raw.detected.get("sheet")], None)
                for raw, fit in zip(tables, fits, strict=True)
                if fit or raw.detected.get("sheet") in by_sheet
            ]
        for raw in tables:
            for scratch_file in raw.scratch_files:
                scratch_file.unlink(missing_ok=True)
    return [(raw, None) for raw in read_tables(path, scratch, STANDARD, con=con, **again)]


# A file the contract's headers show to be an activity log, and a mapping for event
# summaries: it fits (the headcount is what the mapping names).
_SUMMARY = ("activity", "events")


def _fits(mapping: Mapping, raw: RawTable) -> bool:
    """Whether a table is of the kind ``mapping`` describes: the contract's own headers
    show no other kind (a platform export they do not read at all fits; so does, for a
    mapping of event summaries, a file they show to be an activity log)."""
    shown = detect_kind(set(STANDARD.map(raw.headers).columns))
    # a log and an event summary share their columns but the headcount: a mapping for
    # event summaries may name it (rename its header to participants)
    return shown is None or shown == mapping.kind or (shown, mapping.kind) == _SUMMARY


def _of_file(batch_file: str, name: str) -> bool:
    """Whether a batch came from the inbox file ``name`` (itself, or one of its sheets)."""
    return batch_file == name or batch_file.startswith(name + "#")


def land_table(
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
    existing: Batch | None = None,
    view: DryRunView | None = None,
    moment: dt.datetime | None = None,
) -> Batch:
    """Validate one table and write its batch files (not yet in the manifest).
    ``existing``: a batch of the manifest to land again under its own id (``repair``),
    which must give the counts it recorded. ``view`` (a dry run's) is filled with what
    was understood of the table and its first rows. ``moment``: when it is landed
    (``landing_moments``), now when not given."""
    rules = mapping.rules if mapping else STANDARD
    missing = rename_keys_missing(mapping, raw.headers) if mapping else []
    if missing:
        raise FileFault(
            Text(
                "rename_key_missing",
                mapping=mapping.source,
                key=missing[0],
                headers=_shown_headers(raw.headers),
            )
        )
    # headers are written too (rejects, the manifest): a long number in one is masked
    headers = [mask_numbers(header) or "" for header in raw.headers]
    header_map = rules.map(headers)
    if view is not None:
        view.kind = raw.kind
        _describe(view, mapping, headers, header_map.columns, header_map.duplicates)
    _check_needs(raw.kind, set(header_map.columns) | set(mapping.constants if mapping else {}))
    positions = header_map.positions
    query = build_query(raw.kind, header_map.columns, positions, headers, mapping, raw.header_width)
    now = moment or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    batch = Batch(
        batch_id=existing.batch_id if existing else new_batch_id(sha, now) + suffix,
        file=name,
        sha256=sha,
        kind=raw.kind,
        loaded_at=existing.loaded_at if existing else now.isoformat(timespec="microseconds"),
        rows_read=0,
        rows_loaded=0,
        rows_rejected=0,
        unmapped_headers=[h for h in header_map.unmapped if h],
    )
    cursor = (con or duckdb.connect()).cursor()
    landed = None if view is None else Preview()
    try:
        rows = _register_raw(cursor, raw, _reporting(raw.batches, name, progress))
        raw_values = raw_values_sql(headers, mapping)
        land(
            paths,
            cursor,
            query,
            params,
            batch,
            lambda: raw.rows_read,
            dry_run,
            raw_values,
            rows,
            expect=existing,
            preview=landed,
        )
    finally:
        if view is not None and landed is not None:  # a table that loads nothing too
            view.rows = preview_rows(landed.rows)
            view.first_rejects = landed.first_rejects
        cursor.close()
        for scratch in raw.scratch_files:
            scratch.unlink(missing_ok=True)
    # after land: a CSV's total_rows is known once its rows are read
    batch.detected = {**raw.detected, **({"mapping": mapping.source} if mapping else {})}
    return batch


def _describe(
    view: DryRunView,
    mapping: Mapping | None,
    headers: list[str],
    columns: dict[str, str],
    repeated: list[str],
) -> None:
    """What a dry run shows of a table's headers: each understood header with its
    column, in the file's order, the mapping's constants, and the rest."""
    by_header = {header: column for column, header in columns.items()}
    view.mapping = mapping.source if mapping else ""
    view.columns = [(h, by_header[h]) for h in dict.fromkeys(headers) if h in by_header]
    view.constants = sorted(mapping.constants.items()) if mapping else []
    view.not_understood = [h for h in headers if h and h not in by_header and h not in repeated]
    view.repeated = list(repeated)


def _shown_headers(headers: list[str]) -> str:
    """A file's headers for a message: masked (``errors.mask_secrets``), at most 12,
    each at most 20 characters."""
    shown = [mask_secrets(h)[:20] for h in headers[:12] if h]
    return ", ".join(shown) + (", …" if len(headers) > 12 else "")


def _check_needs(kind: str, columns: set[str]) -> None:
    """FileFault, once for the file, when it lacks a column every row of its kind needs
    (no person column, no hours): each row would be rejected for it, and the file would
    load nothing."""
    missing = missing_needs(kind, columns)
    if not missing:
        return
    need, options = missing[0]
    raise FileFault(no_column(kind, need, options, {c: ALIASES[c][0] for o in options for c in o}))


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
