"""The marts an export reads, in an in-memory DuckDB, for tests that need no dbt build:
the monthly marts with the columns the exports read (typed as the marts type them),
and the dimensions and facts ``build_tables`` joins or asks for its latest date.

A row may carry more columns than these (a new metric's SQL column): they are added to
the table with a type that follows their values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb

# the exact columns of agg_district_monthly the exports read, and the rounded ones the
# mart carries beside them (the exports recompute those from the exact ones)
DISTRICT_MONTHLY = {
    "district_code": "varchar",
    "district_name": "varchar",
    "month": "varchar",
    "roster_size": "bigint",
    "active_members": "bigint",
    "participation_rate": "double",
    "volunteers": "bigint",
    "person_times": "bigint",
    "total_minutes": "bigint",
    "total_hours": "double",
    "volunteer_service_minutes": "bigint",
    "volunteer_service_hours": "double",
    "avg_hours_per_volunteer": "double",
    "branch_units": "bigint",
    "branch_units_with_activity_day": "bigint",
    "activity_day_coverage": "double",
    "events_logged": "bigint",
    "events_reported": "bigint",
    "events_held": "bigint",
    "reported_person_times": "bigint",
    "reported_minutes": "bigint",
    "reported_hours": "double",
}
# the activity columns (场次) of a row that gives none: no activity counted, no summary
NO_ACTIVITIES = {
    "events_logged": 0,
    "events_reported": 0,
    "events_held": 0,
    "reported_person_times": 0,
    "reported_minutes": 0,
    "reported_hours": 0.0,
}
ORGANIZATION_MONTHLY = {
    "org_code": "varchar",
    "org_name": "varchar",
    "org_type": "varchar",
    "parent_org_code": "varchar",
    **{c: t for c, t in DISTRICT_MONTHLY.items() if c != "district_name"},
}

REPORT_TABLES = {
    "agg_branch_compliance": {
        "org_code": "varchar",
        "org_name": "varchar",
        "district_code": "varchar",
        "period": "varchar",
        "activity_type_code": "varchar",
        "meetings_held": "bigint",
        "min_meetings_held": "bigint",
        "compliance_status": "varchar",
    },
    "dq_pending_sessions": {
        "district_code": "varchar",
        "month": "varchar",
        "sessions": "bigint",
        "total_minutes": "bigint",
    },
    "dq_people_missing_from_roster": {
        "district_code": "varchar",
        "month": "varchar",
        "approved_sessions": "bigint",
    },
    "dq_unknown_organizations": {"approved_sessions": "bigint"},
    "fct_event_summaries": {"activity_date": "date"},
    "dq_rejects_by_reason": {"rejected_rows": "bigint"},
}


def _type(values: list[object]) -> str:
    present = [v for v in values if v is not None]
    if all(isinstance(v, int) for v in present):
        return "bigint"
    if all(isinstance(v, int | float) for v in present):
        return "double"
    return "varchar"


def _table(
    con: duckdb.DuckDBPyConnection, name: str, columns: dict[str, str], rows: Sequence[dict]
) -> None:
    extra = [c for row in rows for c in row if c not in columns]
    columns = columns | {c: _type([row.get(c) for row in rows]) for c in dict.fromkeys(extra)}
    con.execute(f"create table {name} ({', '.join(f'{c} {t}' for c, t in columns.items())})")
    if rows:
        marks = ", ".join("?" for _ in columns)
        con.executemany(
            f"insert into {name} values ({marks})", [[row.get(c) for c in columns] for row in rows]
        )


def marts(
    districts: Sequence[dict],
    organizations: Sequence[dict] = (),
    latest_activity: dt.date | None = None,
) -> duckdb.DuckDBPyConnection:
    """A connection holding agg_district_monthly (``districts``), agg_organization_monthly
    (``organizations``), dim_districts and dim_organizations made from them, one
    approved session on ``latest_activity`` (none: no session), and empty compliance
    and data-quality marts."""
    con = duckdb.connect()
    districts = [NO_ACTIVITIES | row for row in districts]
    organizations = [NO_ACTIVITIES | row for row in organizations]
    _table(con, "agg_district_monthly", DISTRICT_MONTHLY, districts)
    _table(con, "agg_organization_monthly", ORGANIZATION_MONTHLY, organizations)
    names = {row["district_code"]: row["district_name"] for row in districts}
    _table(
        con,
        "dim_districts",
        {"district_code": "varchar", "district_name": "varchar"},
        [{"district_code": c, "district_name": n} for c, n in names.items()],
    )
    codes = list(dict.fromkeys(row["org_code"] for row in organizations))
    _table(
        con,
        "dim_organizations",
        {"org_code": "varchar", "org_path": "varchar"},
        [{"org_code": c, "org_path": c} for c in codes],
    )
    # what a district's PDF report reads besides the monthly marts: empty here
    for name, columns in REPORT_TABLES.items():
        _table(con, name, columns, [])
    sessions = [] if latest_activity is None else [{"activity_date": latest_activity}]
    _table(
        con,
        "fct_volunteer_sessions",
        {"activity_date": "date", "status": "varchar"},
        [{**s, "status": "approved"} for s in sessions],
    )
    return con
