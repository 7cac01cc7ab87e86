"""Returns to schools (退回清单): one workbook per file in effect with something to fix.

``make export`` writes ``returns/<file>.xlsx`` for every batch in effect with rejected
rows, exact copies not kept, organization codes or names that matched no
organization, activity labels that matched no type or unknown status words, and
``returns/index.csv`` listing them. The name is the file's path inside the inbox with
``/`` written as ``__`` (a workbook's sheet keeps its ``#<sheet>``), so a school finds
its own file's return at a glance.

Everything is read from the published snapshot's marts (``dq_file_loads``,
``dq_rejects``, ``dq_duplicates_dropped``, ``dq_findings_by_file``): the returns
together list exactly the rejected rows the snapshot counts. Values come masked from
the lake (personal numbers never in clear); a reason's message is written from its code
by ``kernel.reasons``, as ingest writes it, and its fix is the seed's ``fix_zh``.
The dashboard's data-quality page builds the same workbook (``return_bytes``).
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from pathlib import Path

import duckdb

from export.district_monthly import csv_bytes
from export.parallel import built
from export.returns_model import Duplicate, FileReturn, Finding, Reject
from export.returns_workbook import workbook_bytes
from kernel.snapshot import missing_marts

log = logging.getLogger(__name__)

RETURNS_DIR = "returns"
INDEX = "index.csv"
INDEX_COLUMNS = (
    "file",
    "return_path",
    "loaded_at",
    "rows_read",
    "rows_loaded",
    "rows_rejected",
    "duplicates",
    "unknown_orgs",
    "unmapped_labels",
    "unknown_status",
    "status",
)
# the marts a return is written from; a snapshot published before them has none
MARTS = ("dq_file_loads", "dq_rejects", "dq_duplicates_dropped", "dq_findings_by_file")
# files that failed whole (ingest.failures); a snapshot published before it has none
FAILED = "dq_failed_files"
FAILED_REJECTS = "dq_failed_file_rejects"  # their rows, when every row was rejected
FINDINGS = ("unknown_organization", "unmapped_activity_label", "unknown_status")


def return_name(source_file: str) -> str:
    """A return's file name: the path inside the inbox with ``/`` as ``__``, + .xlsx."""
    return source_file.replace("/", "__") + ".xlsx"


def load_returns(
    con: duckdb.DuckDBPyConnection, source_file: str | None = None
) -> list[FileReturn]:
    """Every file in effect with something to fix (or only ``source_file``), by file
    name; [] from a snapshot without the marts (``make build`` adds them)."""
    if missing_marts(con, *MARTS):
        return []
    where, params = ("and source_file = ?", [source_file]) if source_file else ("", [])
    loads = con.execute(
        "select batch_id, source_file, batch_kind, loaded_at, rows_read, rows_loaded, "
        "rows_rejected from dq_file_loads where is_in_effect " + where + " "
        "order by source_file, loaded_at, batch_id",
        params,
    ).fetchall()
    files = {row[0]: FileReturn(*row) for row in loads}
    if not files:
        return failed_returns(con, source_file)
    batch_ids = list(files)
    marks = ", ".join("?" for _ in batch_ids)
    for batch_id, line, code, column, value in con.execute(
        "select batch_id, source_line, reason_code, reason_column, reason_value "
        f"from dq_rejects where batch_id in ({marks}) order by batch_id, source_line",
        batch_ids,
    ).fetchall():
        files[batch_id].rejects.append(Reject(line, code, column or "", value or ""))
    for batch_id, line, kept_file, kept_line in con.execute(
        "select batch_id, source_line, kept_source_file, kept_source_line "
        f"from dq_duplicates_dropped where batch_id in ({marks}) order by batch_id, source_line",
        batch_ids,
    ).fetchall():
        files[batch_id].duplicates.append(Duplicate(line, kept_file, kept_line))
    found: dict[str, dict[str, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for batch_id, kind, label, name, sessions, lines, reason in con.execute(
        "select batch_id, finding, label, label_name, sessions, example_lines, reason "
        f"from dq_findings_by_file where batch_id in ({marks}) "
        "order by batch_id, finding, first_line, label, label_name",
        batch_ids,
    ).fetchall():
        found[batch_id][kind].append(
            Finding(label or "", name or "", sessions, tuple(lines or ()), reason or "")
        )
    for batch_id, kinds in found.items():
        files[batch_id].findings = {kind: kinds[kind] for kind in FINDINGS if kinds.get(kind)}
    found_files = [item for item in files.values() if item.has_something_to_fix]
    return sorted(found_files + failed_returns(con, source_file), key=lambda r: r.source_file)


def failed_returns(
    con: duckdb.DuckDBPyConnection, source_file: str | None = None
) -> list[FileReturn]:
    """A return for each file that failed whole and was not loaded since (or only
    ``source_file``); none from a snapshot published before failures were kept."""
    if missing_marts(con, FAILED):
        return []
    where, params = ("where source_file = ?", [source_file]) if source_file else ("", [])
    rows = con.execute(
        "select failure_id, source_file, batch_kind, failed_at, rows_read, rows_rejected, "
        f"detail_zh from {FAILED} {where} order by source_file",
        params,
    ).fetchall()
    failed = [
        FileReturn(
            failure_id,
            file,
            kind or "",
            failed_at,
            read,
            0,
            rejected,
            status="failed",
            failure=detail or "",
        )
        for failure_id, file, kind, failed_at, read, rejected, detail in rows
    ]
    if failed and not missing_marts(con, FAILED_REJECTS):
        by_id = {item.batch_id: item for item in failed}
        marks = ", ".join("?" for _ in by_id)
        for failure_id, line, code, column, value in con.execute(
            "select failure_id, source_line, reason_code, reason_column, reason_value "
            f"from {FAILED_REJECTS} where failure_id in ({marks}) "
            "order by failure_id, source_line",
            list(by_id),
        ).fetchall():
            by_id[failure_id].rejects.append(Reject(line, code, column or "", value or ""))
    return failed


def returned_files(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The files in effect that have a return, by name ([] from a snapshot without the
    marts): what the dashboard's data-quality page offers to download."""
    if missing_marts(con, *MARTS):
        return []
    rows = con.execute(
        "select distinct loads.source_file from dq_file_loads as loads "
        "where loads.is_in_effect and ("
        "exists (select 1 from dq_rejects as r where r.batch_id = loads.batch_id) "
        "or exists (select 1 from dq_duplicates_dropped as d where d.batch_id = loads.batch_id) "
        "or exists (select 1 from dq_findings_by_file as f where f.batch_id = loads.batch_id)"
        ") order by loads.source_file"
    ).fetchall()
    failed = [item.source_file for item in failed_returns(con)]
    return sorted({row[0] for row in rows} | set(failed))


def return_bytes(con: duckdb.DuckDBPyConnection, source_file: str) -> bytes | None:
    """The return of one file in effect, as .xlsx bytes (the dashboard's download);
    None when that file has nothing to fix or the snapshot has no returns."""
    found = load_returns(con, source_file)
    return workbook_bytes(found[0]) if found else None


def index_rows(returns: list[FileReturn], names: dict[str, str]) -> list[list[str]]:
    """The rows of ``returns/index.csv``, one per return."""
    return [
        [
            item.source_file,
            f"{RETURNS_DIR}/{names[item.batch_id]}",
            item.loaded_at.isoformat(),
            str(item.rows_read),
            str(item.rows_loaded),
            str(item.rows_rejected),
            str(len(item.duplicates)),
            str(item.count("unknown_organization")),
            str(item.count("unmapped_activity_label")),
            str(item.count("unknown_status")),
            item.status,
        ]
        for item in returns
    ]


def _unique_names(returns: list[FileReturn]) -> dict[str, str]:
    """Each return's file name; two batches of one name in effect (``--append``) get
    the later ones' batch id added, so neither overwrites the other."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for item in returns:
        name = return_name(item.source_file)
        if name in used:
            name = f"{name[: -len('.xlsx')]}__{item.batch_id[:12]}.xlsx"
        used.add(name)
        names[item.batch_id] = name
    return names


def write_returns(
    con: duckdb.DuckDBPyConnection, folder: Path, side_by_side: bool = False
) -> dict[str, dict]:
    """Write ``returns/*.xlsx`` and ``returns/index.csv`` under ``folder`` (an export's
    new folder); their manifest entries, by path relative to it. ``side_by_side``: the
    workbooks built in worker processes (``export.parallel``)."""
    missing = missing_marts(con, *MARTS)
    if missing:
        log.info(
            "returns: the snapshot has no %s (published before returns were added): "
            "no returns written; run `make build` to add them",
            ", ".join(missing),
        )
        return {}
    returns = load_returns(con)
    names = _unique_names(returns)
    target_dir = folder / RETURNS_DIR
    target_dir.mkdir(parents=True, exist_ok=True)
    files: dict[str, dict] = {}
    for item, data in zip(returns, built(workbook_bytes, returns, side_by_side), strict=True):
        (target_dir / names[item.batch_id]).write_bytes(data)
        files[f"{RETURNS_DIR}/{names[item.batch_id]}"] = {
            "sha256": hashlib.sha256(data).hexdigest()
        }
    data = csv_bytes(index_rows(returns, names), INDEX_COLUMNS)
    (target_dir / INDEX).write_bytes(data)
    files[f"{RETURNS_DIR}/{INDEX}"] = {
        "rows": len(returns),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    log.info("returns: %s files with something to fix", len(returns))
    return files
