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

from export.district_monthly import COLUMNS, LABELS, Period, _nothing_happened, csv_bytes, mart_rows
from export.formatting import SUPPRESSED
from export.tables import Tables, UnitRow, _csv_row, hidden_with
from kernel import catalog
from kernel.catalog import Metric
from kernel.formatting import months_between

log = logging.getLogger(__name__)

MART = "agg_bureau_monthly"
FILE = "bureau_monthly.csv"
NO_MART = (
    f"the published snapshot has no {MART} (it was built by an earlier release): "
    f"{FILE} and briefings/bureau.docx are left out; run `make build` to add them"
)


def has_mart(con: duckdb.DuckDBPyConnection, name: str = MART) -> bool:
    (found,) = con.execute(
        "select count(*) from duckdb_tables() where table_name = ?", [name]
    ).fetchone() or (0,)
    return bool(found)


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
    """The bureau's published rows; with SUPPRESS given (districts suppressed at k), a
    count of people below k is hidden, with the ratios made from it."""
    listed = tuple(tables.metrics if metrics is None else metrics)
    rows = [
        UnitRow({c: str(row[c] or "") for c in LABELS}, catalog_values(row, listed), row)
        for row in bureau_mart_rows(con, tables.period)
    ]
    k = tables.k_districts
    if k:
        for column, derived in hidden_with(listed).items():
            for row in rows:
                value = row.values.get(column)
                if isinstance(value, int) and 0 < value < k:
                    row.values[column] = SUPPRESSED
                    for ratio in derived:
                        row.values[ratio] = SUPPRESSED
    return rows


def catalog_values(row: dict, metrics: Sequence[Metric]) -> dict:
    from export.district_monthly import metric_values

    return metric_values(row, metrics or catalog.metrics())


def write_bureau_monthly(
    con: duckdb.DuckDBPyConnection, tables: Tables, folder: Path
) -> tuple[list[UnitRow], dict[str, int]]:
    """Write ``bureau_monthly.csv``; its rows and {file name: rows} (empty, with a
    warning, for a snapshot without the mart)."""
    if not has_mart(con):
        log.warning(NO_MART)
        return [], {}
    rows = bureau_rows(con, tables)
    (folder / FILE).write_bytes(csv_bytes([_csv_row(row, COLUMNS) for row in rows]))
    return rows, {FILE: len(rows)}
