"""``district_monthly.csv`` exactly as DESIGN.md's export contract says, and the metric
values every export table shares.

Ratios and hours are rounded here, once, half up, from the exact numerators and
denominators that the monthly marts carry (minutes and counts), so a figure is never
rounded twice.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import duckdb

from export.formatting import Value
from kernel import catalog
from kernel.catalog import Metric
from kernel.errors import UsageError, UserError
from kernel.formatting import months_between

# district_monthly.csv's metric columns, as DESIGN.md fixes them (the catalog may hold more)
METRICS = (
    "roster_size",
    "active_members",
    "participation_rate",
    "volunteers",
    "person_times",
    "total_hours",
    "volunteer_service_hours",
    "avg_hours_per_volunteer",
    "activity_day_coverage",
    # activities held (场次): from the logs, from event summaries (活动汇总), both; the
    # summaries' headcount and hours, kept apart from the person-level columns above
    "events_logged",
    "events_reported",
    "events_held",
    "reported_person_times",
    "reported_hours",
)
LABELS = ("district_code", "district_name", "month")  # what a row is about
COLUMNS = (*LABELS, *METRICS)
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class ExportError(UserError):
    """A request the export cannot fulfil; the message says what to change (exit 1)."""


class BadArgument(ExportError, UsageError):
    """A value given for FROM, TO or SUPPRESS that cannot be used as given (exit 2)."""


class NoActivity(ExportError):
    """The snapshot holds no approved activity, logged or summarized (a build over an
    empty lake, or over rosters and organizations only): there is nothing to export."""


NO_ACTIVITY = (
    "no data to export: the published snapshot holds no approved activity (no session of "
    "an activity log, no row of an event summary); load activity files with `make "
    "ingest`, then run `make build`"
)


@dataclass(frozen=True)
class Period:
    first: str
    last: str


def metric_values(row: dict, metrics: Sequence[Metric] | None = None) -> dict[str, Value]:
    """The metrics (of the project's catalog, or ``metrics``) of one monthly mart row:
    counts as ints, hours and ratios half up."""
    listed = catalog.metrics() if metrics is None else metrics
    return {metric.key: metric.value(row) for metric in listed}


def check_snapshot_columns(con: duckdb.DuckDBPyConnection) -> None:
    """Refuse, with what to do, a snapshot an earlier release published whose monthly
    mart lacks columns this release's figures are made from (e.g. ``events_reported``,
    added with the event summaries): the lake holds everything, so ``make build``
    republishes it; the previous export stays as it was."""
    have = {
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns "
            "where table_name = 'agg_district_monthly'"
        ).fetchall()
    }
    needed = ["events_reported"] + [c for m in catalog.metrics() for c in m.inputs]
    missing = sorted({c for c in needed if c not in have})
    if missing:
        raise ExportError(
            "the published snapshot was built by an earlier release and lacks "
            f"{', '.join(missing)} in agg_district_monthly: run `make build` to publish a "
            "new one from the lake (nothing is lost), then export again"
        )


def resolve_period(con: duckdb.DuckDBPyConnection, first: str | None, last: str | None) -> Period:
    """FROM and TO checked against the snapshot; defaults: first and last active month,
    a month with an approved session or an approved event-summary row (an activity
    held: a bureau whose schools send only 活动汇总 exports too). A snapshot without
    either has nothing to export (``NoActivity``), whatever the period: its monthly
    rows are zeros, or there are none.

    The monthly marts start at the first month with data (DESIGN.md, "Exports"): a FROM
    before it is kept, and its earlier months are rows of zeros (``district_mart_rows``).
    A TO past the snapshot's last month (its data cut-off) is refused: those months have
    not happened yet."""
    for name, value in (("FROM", first), ("TO", last)):
        if value and not _MONTH.match(value):
            raise BadArgument(f"{name}={value!r} is not a month; write it as 2025-03")
    span_first, span_last, active_first, active_last = con.execute(
        "select min(month), max(month), min(month) filter (where active), "
        "max(month) filter (where active) from (select month, "
        "person_times > 0 or events_reported > 0 as active from agg_district_monthly)"
    ).fetchall()[0]
    if active_first is None or active_last is None:
        raise NoActivity(NO_ACTIVITY)
    first = first or active_first
    last = last or active_last
    if first > last:
        raise BadArgument(f"FROM={first} is after TO={last}")
    if span_last is None or last > span_last:
        raise ExportError(
            f"the snapshot covers {span_first} to {span_last} (its data cut-off); "
            f"FROM={first} TO={last} reaches outside it"
        )
    return Period(first, last)


def latest_activity(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    """The date of the latest approved session or approved event-summary row (an
    activity held, 活动汇总) in the snapshot (None: there is none)."""
    return con.execute(
        "select max(activity_date) from ("
        "select activity_date from fct_volunteer_sessions where status = 'approved' "
        "union all select activity_date from fct_event_summaries)"
    ).fetchall()[0][0]


def months_after(period: Period, latest: dt.date | None) -> tuple[str, ...]:
    """The months of ``period`` after the month of ``latest``: the snapshot has no
    activity for them yet, so their zeros may only mean that nothing was loaded. A
    month that holds the latest date is not one of them, even if it ends later."""
    if latest is None:
        return ()
    year, month = int(period.first[:4]), int(period.first[5:])
    months = []
    while (text := f"{year:04d}-{month:02d}") <= period.last:
        if text > latest.strftime("%Y-%m"):
            months.append(text)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(months)


def mart_rows(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[object]) -> list[dict]:
    """Rows of a parameterized query as dicts."""
    cursor = con.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


# what a district's monthly row holds that does not depend on the month: kept in the
# rows of months before the data (the branch units an activity day is expected of)
MONTHLESS = {"district_code", "district_name", "branch_units"}


def district_mart_rows(con: duckdb.DuckDBPyConnection, period: Period) -> list[dict]:
    """The district rows of the period, one for every district for every month
    (DESIGN.md, "Exports"). The mart starts at the first month with data; a month the
    period asks for before it has a row of zeros for every district of the mart's first
    month: no roster, no sessions, its ratios empty where their denominator is 0."""
    rows = mart_rows(
        con,
        "select * from agg_district_monthly where month between ? and ? "
        "order by district_code, month",
        [period.first, period.last],
    )
    (first_month,) = con.execute("select min(month) from agg_district_monthly").fetchone()
    if first_month is None or period.first >= first_month:
        return rows
    templates = mart_rows(
        con,
        "select * from agg_district_monthly where month = ? and district_code <> 'unknown'",
        [first_month],
    )
    before = [m for m in months_between(period.first, period.last) if m < first_month]
    zeros = [
        _nothing_happened(template) | {"month": month} for template in templates for month in before
    ]
    return sorted(zeros + rows, key=lambda row: (row["district_code"], row["month"]))


def _nothing_happened(template: dict) -> dict:
    """A district's row for a month with neither roster nor sessions: counts and hours
    0, a ratio empty where its denominator is 0 (coverage is 0 of the district's branch
    units, which do not depend on the month)."""
    row = {}
    for name, value in template.items():
        if name in MONTHLESS or isinstance(value, str):
            row[name] = value
        elif name == "activity_day_coverage":
            row[name] = 0.0 if template["branch_units"] else None
        elif isinstance(value, float) or value is None:
            row[name] = 0.0 if name.endswith("_hours") and not name.startswith("avg_") else None
        else:
            row[name] = 0
    return row


def csv_bytes(rows: Iterable[Sequence[str]], columns: Sequence[str] = COLUMNS) -> bytes:
    """UTF-8 without BOM, LF line ends, a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")
