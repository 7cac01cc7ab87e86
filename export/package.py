"""One export run: every file built in a temporary folder beside OUT, then renamed
into place, so a reader (or a mail job started from cron) never sees half an export.

OUT is replaced whole. A folder that holds files but no ``manifest.json`` was not
written by an export and is refused rather than replaced.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import duckdb

from export.district_monthly import ExportError, csv_bytes, resolve_period
from export.tables import ORG_COLUMNS, Tables, build_tables
from publish.snapshot import SnapshotInfo

log = logging.getLogger(__name__)
MANIFEST = "manifest.json"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_out(out: Path) -> None:
    """Refuse an OUT that is a file, or a folder of files an export did not write."""
    if out.exists() and not out.is_dir():
        raise ExportError(f"OUT={out} is a file; give a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MANIFEST).is_file():
        raise ExportError(
            f"OUT={out} holds files but no {MANIFEST}, so an export did not write it and "
            "it would be replaced whole; choose a new or empty folder"
        )


def replace_folder(built: Path, out: Path) -> None:
    """Put ``built`` at ``out``: rename the old one aside, rename the new one in, and
    only then delete the old one (both renames are within one folder)."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        os.replace(out, old)
    os.replace(built, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_manifest(
    folder: Path,
    snapshot: SnapshotInfo,
    tables: Tables,
    files: dict,
    scope: dict | None = None,
) -> dict:
    """``manifest.json`` of an export: its period, snapshot, suppression, the reader's
    scope when it was bounded by one (the dashboard's downloads), and its files."""
    manifest = {
        "period": {"from": tables.period.first, "to": tables.period.last},
        "as_of": snapshot.as_of,
        "digest": snapshot.digest,
        "suppression": {
            "k_districts": tables.k_districts,
            "k_units": tables.k_organizations,
            "marker": "*",
        },
        **({"scope": scope} if scope is not None else {}),
        "files": files,
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    (folder / MANIFEST).write_text(text, encoding="utf-8")
    return manifest


def export(
    con: duckdb.DuckDBPyConnection,
    snapshot: SnapshotInfo,
    out: Path,
    first: str | None = None,
    last: str | None = None,
    suppress: int | None = None,
    pdf: bool = True,
    write_hook: Callable[[Path], None] | None = None,
) -> dict:
    """Write every export file under ``out`` atomically; return the manifest.

    ``suppress`` None: units (organization_monthly, the district sheets, the PDF
    rankings) at k = 5, districts complete; 0: nothing hidden; k: everything at k.
    ``write_hook`` runs on the temporary folder before it is renamed (tests use it).
    """
    if suppress is not None and suppress < 0:
        raise ExportError(f"SUPPRESS={suppress} is negative; give 0 (off) or a k like 5")
    out = out.resolve()
    check_out(out)
    period = resolve_period(con, first, last)
    tables = build_tables(con, period, suppress)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    work.chmod(0o777 & ~_umask())  # mkdtemp makes it 0700; OUT gets the usual mode
    try:
        files = write_files(con, snapshot, tables, work, pdf)
        manifest = write_manifest(work, snapshot, tables, files)
        if write_hook is not None:
            write_hook(work)
        replace_folder(work, out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return manifest


def _entry(path: Path, rows: int | None = None) -> dict:
    entry: dict = {"sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
    if rows is not None:
        entry = {"rows": rows, **entry}
    return entry


def write_files(
    con: duckdb.DuckDBPyConnection,
    snapshot: SnapshotInfo,
    tables: Tables,
    folder: Path,
    pdf: bool,
) -> dict[str, dict]:
    """Every file of the export under ``folder``; their manifest entries."""
    from export.workbook import workbook_bytes

    files: dict[str, dict] = {}
    target = folder / "district_monthly.csv"
    target.write_bytes(csv_bytes(tables.district_csv_rows()))
    files[target.name] = _entry(target, len(tables.districts))
    target = folder / "organization_monthly.csv"
    target.write_bytes(csv_bytes(tables.organization_csv_rows(), ORG_COLUMNS))
    files[target.name] = _entry(target, len(tables.organizations))
    target = folder / "district_stats.xlsx"
    target.write_bytes(workbook_bytes(tables, snapshot.as_of))
    files[target.name] = _entry(target)
    if pdf:
        from export.report_pdf import write_reports

        for path in write_reports(con, snapshot, tables, folder / "reports"):
            files[path.relative_to(folder).as_posix()] = _entry(path)
    log.info("export: %s files written", len(files))
    return files
