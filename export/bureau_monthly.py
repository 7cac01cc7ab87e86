"""``bureau_monthly.csv``: district_monthly.csv's columns for the whole bureau, one row
per month of the period, from ``agg_bureau_monthly`` (distinct counts computed
bureau-wide from the finest grain, never added up from districts; district_code
``bureau``, district_name 全市).

A snapshot published before that mart existed has no bureau row: the CSV and the
bureau's briefing are left out with a note (``make build`` adds the mart); every other
file is still written.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import duckdb

from export.district_monthly import (
    COLUMNS,
    LABELS,
    Period,
    _nothing_happened,
    csv_bytes,
    mart_rows,
    metric_values,
)
from export.formatting import SUPPRESSED
from export.tables import Tables, UnitRow, _csv_row, hidden_with
from kernel.catalog import Metric
from kernel.formatting import months_between
from kernel.snapshot import missing_marts

log = logging.getLogger(__name__)

MART = "agg_bureau_monthly"
FILE = "bureau_monthly.csv"
NO_MART = (
    f"the published snapshot has no {MART} (it was built by an earlier release): "
    f"{FILE} and briefings/bureau.docx are left out; run `make build` to add them"
)


def bureau_mart_rows(con: duckdb.DuckDBPyConnection, period: Period) -> list[dict]:
    """The bureau's rows of the period, one per month; a month before the mart's first
    month is a row of zeros (as district_mart_rows does for districts)."""
    rows = mart_rows(
        con,
        f"select * from {MART} where month between ? and ? order by month",
        [period.first, period.last],
    )
    first = con.execute(f"select min(month) from {MART}").fetchone()
    first_month = first[0] if first else None
    if first_month is None or period.first >= first_month:
        return rows
    (template,) = mart_rows(con, f"select * from {MART} where month = ?", [first_month])
    before = [m for m in months_between(period.first, period.last) if m < first_month]
    return [_nothing_happened(template) | {"month": m} for m in before] + rows


def bureau_rows(
    con: duckdb.DuckDBPyConnection, tables: Tables, metrics: Sequence[Metric] | None = None
) -> list[UnitRow]:
    """The bureau's published rows; with SUPPRESS given (districts suppressed at k),
    small and revealing counts hidden (``hide_bureau_cells``)."""
    listed = tuple(tables.metrics if metrics is None else metrics)
    rows = [
        UnitRow({c: str(row[c] or "") for c in LABELS}, metric_values(row, listed), row)
        for row in bureau_mart_rows(con, tables.period)
    ]
    k = tables.k_districts
    if k:
        hide_bureau_cells(rows, tables.districts, k, listed)
    return rows


def hide_bureau_cells(
    rows: Sequence[UnitRow], districts: Sequence[UnitRow], k: int, metrics: Sequence[Metric]
) -> None:
    """With SUPPRESS=k: a bureau count of people below k is hidden, and so is one whose
    column has a hidden district cell in that month (a bureau total beside the other
    districts' counts must not give the hidden one back); the ratios made from a hidden
    count go with it."""
    hidden_months = {
        (column, row.labels["month"])
        for row in districts
        for column, value in row.values.items()
        if value is SUPPRESSED
    }
    for column, derived in hidden_with(metrics).items():
        for row in rows:
            value = row.values.get(column)
            small = isinstance(value, int) and 0 < value < k
            if small or (column, row.labels["month"]) in hidden_months:
                row.values[column] = SUPPRESSED
                for ratio in derived:
                    row.values[ratio] = SUPPRESSED


def write_bureau_monthly(
    con: duckdb.DuckDBPyConnection, tables: Tables, folder: Path
) -> tuple[list[UnitRow], dict[str, int]]:
    """Write ``bureau_monthly.csv``; its rows and {file name: rows} (empty, with a
    warning, for a snapshot without the mart)."""
    if missing_marts(con, MART):
        log.warning(NO_MART)
        return [], {}
    rows = bureau_rows(con, tables)
    (folder / FILE).write_bytes(csv_bytes([_csv_row(row, COLUMNS) for row in rows]))
    return rows, {FILE: len(rows)}
