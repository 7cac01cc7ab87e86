"""``submissions.csv``: submission status (报送情况) per school or office and month of
the export's period, read from the snapshot's ``dq_submissions`` mart.

One row per school or office (branches count with their school) and activity month:
rows loaded (activity-log and event-summary rows of the batches in effect, pending
ones among them), rows rejected (placed from the code or name and the date as
written), rows pending, the first and last load time of the batches that brought
them, and the status in Chinese: 已报送, 有退回, 未报送 or 假期. A snapshot published
before the mart existed has no such table: the file is left out with a warning, and
``make build`` adds it; the other files are written as before.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Collection
from pathlib import Path

import duckdb

from export.district_monthly import Period, csv_bytes
from export.formatting import escape_text
from export.tables import Tables
from kernel.snapshot import missing_marts

log = logging.getLogger(__name__)

MART = "dq_submissions"
FILE = "submissions.csv"
COLUMNS = (
    "district_code",
    "district_name",
    "org_code",
    "org_name",
    "month",
    "rows_loaded",
    "rows_rejected",
    "rows_pending",
    "first_load_at",
    "last_load_at",
    "status",
)
# the columns written as text from the data (names a spreadsheet must not run)
_TEXT = frozenset({"district_code", "district_name", "org_code", "org_name"})
MISSING = (
    f"warning: the published snapshot has no {MART} (it was built by an older release), "
    f"so {FILE} is not written; run `make build` to add it"
)


def submission_rows(
    con: duckdb.DuckDBPyConnection, period: Period, units: Collection[str] | None = None
) -> list[list[str]]:
    """The CSV's rows for ``period``, sorted by district, unit and month; only the
    ``units`` given (None: every school and office)."""
    rows = con.execute(
        f"select {', '.join(COLUMNS)} from {MART} "
        "where month between ? and ? and (?::varchar[] is null or list_contains(?, org_code)) "
        "order by district_code, org_code, month",
        [period.first, period.last, *([None if units is None else sorted(units)] * 2)],
    ).fetchall()
    return [[_cell(name, value) for name, value in zip(COLUMNS, row, strict=True)] for row in rows]


def _cell(name: str, value: object) -> str:
    if value is None:
        return ""
    if name in _TEXT:
        return escape_text(str(value))
    if name.endswith("_load_at"):
        # load times are UTC (the batches' loaded_at), to the second
        return value.strftime("%Y-%m-%dT%H:%M:%SZ") if hasattr(value, "strftime") else str(value)
    return str(value)


def write_submissions(
    con: duckdb.DuckDBPyConnection, tables: Tables, folder: Path
) -> dict[str, dict]:
    """Write ``submissions.csv`` for the tables' period under ``folder``; its manifest
    entry (none, with a warning, when the snapshot predates the mart). Only the units
    the tables hold: every organization has a row in each month of
    ``organization_monthly``, so ``make export`` writes every school and office, and
    the dashboard's download (``export.bundle.restrict``) only the reader's."""
    if missing_marts(con, MART):
        log.warning(MISSING)
        return {}
    units = {row.labels["org_code"] for row in tables.organizations}
    rows = submission_rows(con, tables.period, units)
    target = folder / FILE
    target.write_bytes(csv_bytes(rows, COLUMNS))
    # the manifest's entry, as export.package writes every CSV's
    return {FILE: {"rows": len(rows), "sha256": hashlib.sha256(target.read_bytes()).hexdigest()}}
