"""The month-end files of an export: ``bureau_monthly.csv`` (always) and the briefings
(``briefings/*.docx``, skipped with ``--no-pdf`` like the PDFs), with their manifest
entries."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from export.bureau_monthly import write_bureau_monthly
from export.tables import Tables
from kernel.snapshot import SnapshotInfo


def _entry(path: Path, rows: int | None = None) -> dict:
    entry: dict = {"sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
    return entry if rows is None else {"rows": rows, **entry}


def write_month_end(
    con: duckdb.DuckDBPyConnection,
    snapshot: SnapshotInfo,
    tables: Tables,
    folder: Path,
    documents: bool,
    templates: str | Path | None = None,
) -> dict[str, dict]:
    """Write bureau_monthly.csv and (``documents``) the briefings under ``folder``."""
    bureau, written = write_bureau_monthly(con, tables, folder)
    files = {name: _entry(folder / name, rows) for name, rows in written.items()}
    if documents:
        from export.briefings import write_briefings

        for path in write_briefings(con, tables, bureau, snapshot.as_of, folder, templates):
            files[path.relative_to(folder).as_posix()] = _entry(path)
    return files
