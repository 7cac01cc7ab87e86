"""One export run: every file written in a new folder, then published at OUT in one
atomic switch (``export/folder.py``), so a reader (or a mail job started from cron)
never sees half an export, no export, or two exports mixed.

Each export replaces the previous one whole. A folder that holds files but no
``manifest.json`` was not written by an export and is refused rather than replaced.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from pathlib import Path

import duckdb

from export.briefing_files import write_month_end
from export.district_monthly import BadArgument, csv_bytes, resolve_period
from export.folder import MANIFEST, check_out, published_path, publishing
from export.tables import ORG_COLUMNS, Tables, build_tables
from kernel.snapshot import SnapshotInfo

log = logging.getLogger(__name__)


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
        # months after the snapshot's latest approved activity: zeros, for now
        "months_without_activity": list(tables.months_without_activity),
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
    briefing_templates: str | Path | None = None,
) -> dict:
    """Write every export file under ``out`` atomically; return the manifest.

    ``suppress`` None: units (organization_monthly, the district sheets, the PDF
    rankings) at k = 5, districts complete; 0: nothing hidden; k: everything at k.
    ``write_hook`` runs on the new folder before it is published (tests use it).
    ``briefing_templates``: the briefings' template folder (default: BRIEFING_TEMPLATES,
    else export/briefing_templates).
    Nothing is written before the request is known to be good.
    """
    if suppress is not None and suppress < 0:
        raise BadArgument(f"SUPPRESS={suppress} is negative; give 0 (off) or a k like 5")
    out = published_path(out)
    check_out(out)
    period = resolve_period(con, first, last)
    tables = build_tables(con, period, suppress)
    with publishing(out) as work:
        files = write_files(con, snapshot, tables, work, pdf, briefing_templates, side_by_side=True)
        manifest = write_manifest(work, snapshot, tables, files)
        if write_hook is not None:
            write_hook(work)
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
    briefing_templates: str | Path | None = None,
    month_end: bool = True,
    returns: bool = True,
    side_by_side: bool = False,
) -> dict[str, dict]:
    """Every file of the export under ``folder``; their manifest entries. ``month_end``
    False (the dashboard's downloads, cut to a reader's districts): no bureau_monthly.csv
    and no briefings. ``returns``: the returns to schools too (``make export``; the
    dashboard's bundles leave them out: the data-quality page serves them one by one).
    ``side_by_side`` (``make export``): the returns and templates built in worker
    processes (``export.parallel``)."""
    from export.returns import write_returns
    from export.submissions import write_submissions
    from export.templates import write_templates
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
    files.update(write_submissions(con, tables, folder))
    files.update(write_templates(con, folder, tables, snapshot.as_of, side_by_side))
    if returns and tables.bureau:  # the returns span districts: the bureau's only
        files.update(write_returns(con, folder, side_by_side))
    if pdf:
        from export.report_pdf import write_reports

        for path in write_reports(con, snapshot, tables, folder / "reports"):
            files[path.relative_to(folder).as_posix()] = _entry(path)
    if month_end:
        files.update(write_month_end(con, snapshot, tables, folder, pdf, briefing_templates))
    log.info("export: %s files written", len(files))
    return files
