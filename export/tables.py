"""The tables every export format is written from: districts and units per month,
with small-cell suppression applied once, so the CSV, the workbook and the PDF
publish the same figures.

``organization_monthly.csv`` has one row per organization (school, branch, office,
and ``unknown`` in months it has sessions) per month; a school's figures include
its branches, as ``agg_organization_monthly`` computes them from the finest grain.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import duckdb

from export.district_monthly import (
    COLUMNS,
    LABELS,
    METRICS,
    Period,
    district_mart_rows,
    latest_activity,
    mart_rows,
    metric_values,
    months_after,
)
from export.formatting import SUPPRESSED, Value, cell_text, escape_text
from export.suppression import DEFAULT_K, Group, suppress
from kernel import catalog, seeds
from kernel.catalog import Metric

ORG_LABELS = (
    "district_code",
    "district_name",
    "org_code",
    "org_name",
    "org_type",
    "parent_org_code",
    "month",
)
# organization_monthly.csv: the metrics of district_monthly.csv, per unit
ORG_COLUMNS = (*ORG_LABELS, *METRICS)


@dataclass
class UnitRow:
    """One published row: what it is about, and its metric values."""

    labels: dict[str, str]
    values: dict[str, Value]
    mart: dict = field(repr=False)


@dataclass
class Tables:
    period: Period
    districts: list[UnitRow]
    organizations: list[UnitRow]
    # k used for each table, 0 when it is complete
    k_districts: int
    k_organizations: int
    # months of the period after the snapshot's latest approved activity: their zeros
    # only say that nothing was loaded for them yet, and every format says so
    months_without_activity: tuple[str, ...] = ()
    # False for a reader narrower than the bureau (the dashboard's downloads): the
    # PDFs then leave out the data-quality figures that belong to files, not districts
    bureau: bool = True
    # the metric catalog the values were made with: the workbook's columns and the
    # PDFs' headlines list it, so a metric added to it appears there with no other edit
    # (the CSV files keep the columns DESIGN.md fixes); the units' table has those of
    # its metrics whose inputs agg_organization_monthly carries
    metrics: tuple[Metric, ...] = field(default_factory=catalog.metrics)
    unit_metrics: tuple[Metric, ...] = field(default_factory=catalog.metrics)

    def district_columns(self) -> tuple[str, ...]:
        """The district table's columns in the workbook: its labels, then every metric."""
        return (*LABELS, *(m.key for m in self.metrics))

    def unit_columns(self) -> tuple[str, ...]:
        """The units' table's columns in the workbook."""
        return (*ORG_LABELS, *(m.key for m in self.unit_metrics))

    def district_csv_rows(self) -> list[list[str]]:
        return [_csv_row(row, COLUMNS) for row in self.districts]

    def organization_csv_rows(self) -> list[list[str]]:
        return [_csv_row(row, ORG_COLUMNS) for row in self.organizations]


def _csv_row(row: UnitRow, columns: tuple[str, ...]) -> list[str]:
    return [
        cell_text(row.values[c]) if c in row.values else escape_text(row.labels[c]) for c in columns
    ]


def organization_mart_rows(con: duckdb.DuckDBPyConnection, period: Period) -> list[dict]:
    return mart_rows(
        con,
        "select m.*, o.org_path, coalesce(d.district_name, m.district_code) as district_name "
        "from agg_organization_monthly as m "
        "left join dim_organizations as o using (org_code) "
        "left join dim_districts as d on d.district_code = m.district_code "
        "where m.month between ? and ? "
        "order by m.district_code, o.org_path, m.month",
        [period.first, period.last],
    )


def suppression_levels(k: int | None) -> tuple[int, int]:
    """(k for districts, k for units): SUPPRESS unset hides small unit cells only."""
    if k is None:
        return 0, DEFAULT_K
    return k, k


def carried(
    con: duckdb.DuckDBPyConnection, table: str, metrics: Sequence[Metric]
) -> tuple[Metric, ...]:
    """The metrics whose inputs are all columns of ``table``."""
    columns = {d[0] for d in con.execute(f"select * from {table} limit 0").description}
    return tuple(m for m in metrics if set(m.inputs) <= columns)


def _labels(row: dict, columns: Sequence[str]) -> dict[str, str]:
    """What a row is about; the ``unknown`` district named as everywhere else
    (``seeds.UNKNOWN_DISTRICT``), also from a snapshot built when dim_districts called
    it 未知."""
    labels = {c: row[c] or "" for c in columns}
    if labels.get("district_code") == "unknown":
        labels["district_name"] = seeds.UNKNOWN_DISTRICT["zh"]
    return labels


def build_tables(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    k: int | None = None,
    metrics: Sequence[Metric] | None = None,
) -> Tables:
    """Both tables for the period, with suppression (k None: the default levels), with
    the values of the project's metric catalog (or of ``metrics``)."""
    k_districts, k_units = suppression_levels(k)
    listed = tuple(catalog.metrics() if metrics is None else metrics)
    units = carried(con, "agg_organization_monthly", listed)
    districts = [
        UnitRow(_labels(row, LABELS), metric_values(row, listed), row)
        for row in district_mart_rows(con, period)
    ]
    organizations = [
        UnitRow(_labels(row, ORG_LABELS), metric_values(row, units), row)
        for row in organization_mart_rows(con, period)
    ]
    apply_suppression(districts, organizations, k_districts, k_units, listed)
    quiet = months_after(period, latest_activity(con))
    return Tables(
        period,
        districts,
        organizations,
        k_districts,
        k_units,
        quiet,
        metrics=listed,
        unit_metrics=units,
    )


def groups_of(districts: list[UnitRow], organizations: list[UnitRow]) -> list[Group]:
    """Totals and their parts: a district and its top-level units, a school and its
    branches, month by month. Keys are ("d", code, month) and ("o", code, month)."""
    by_month: dict[str, dict[str, UnitRow]] = {}
    for row in organizations:
        by_month.setdefault(row.labels["month"], {})[row.labels["org_code"]] = row
    groups = []
    for month, orgs in by_month.items():
        children: dict[str, list[str]] = {}
        top: dict[str, list[str]] = {}
        for code, row in orgs.items():
            parent = row.labels["parent_org_code"]
            district = row.labels["district_code"]
            if parent and parent in orgs and orgs[parent].labels["district_code"] == district:
                children.setdefault(parent, []).append(code)
            else:
                top.setdefault(district, []).append(code)
        for parent, codes in children.items():
            groups.append(
                Group(("o", parent, month), tuple(("o", c, month) for c in sorted(codes)))
            )
        for district, codes in top.items():
            groups.append(
                Group(("d", district, month), tuple(("o", c, month) for c in sorted(codes)))
            )
    # a district total exists only where the district table has its row
    known = {("d", r.labels["district_code"], r.labels["month"]) for r in districts}
    return [g for g in groups if g.total[0] == "o" or g.total in known]


def _count(value: Value) -> int:
    if not isinstance(value, int):  # people counts are ints until suppression hides them
        raise TypeError(f"not a count: {value!r}")
    return value


def hidden_with(metrics: Sequence[Metric]) -> dict[str, tuple[str, ...]]:
    """Each metric that counts people (small-cell suppression applies to it), with the
    ratios made from it, hidden with it."""
    return {
        person.key: tuple(m.key for m in metrics if m.kind == "ratio" and person.key in m.inputs)
        for person in metrics
        if person.counts_people
    }


def apply_suppression(
    districts: list[UnitRow],
    organizations: list[UnitRow],
    k_districts: int,
    k_units: int,
    metrics: Sequence[Metric] | None = None,
) -> None:
    """Hide small counts (and what derives from them) in place: those of the project's
    metric catalog, or of ``metrics``."""
    if not k_districts and not k_units:
        return
    rows = {("d", r.labels["district_code"], r.labels["month"]): r for r in districts}
    rows |= {("o", r.labels["org_code"], r.labels["month"]): r for r in organizations}
    groups = groups_of(districts, organizations)
    # either both tables at the same k (SUPPRESS given) or the units only
    k = k_units
    hideable = {key for key in rows if k_districts or key[0] == "o"}
    hidden = hidden_with(catalog.metrics() if metrics is None else metrics)
    for column, derived in hidden.items():
        # a count that agg_organization_monthly does not carry: the districts' only
        cells = {
            key: _count(row.values[column]) for key, row in rows.items() if column in row.values
        }
        column_groups = [
            Group(g.total, tuple(p for p in g.parts if p in cells))
            for g in groups
            if g.total in cells
        ]
        for key in suppress(cells, column_groups, k, hideable & set(cells)):
            rows[key].values[column] = SUPPRESSED
            for ratio in derived:
                if ratio in rows[key].values:
                    rows[key].values[ratio] = SUPPRESSED
