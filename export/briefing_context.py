"""The figures a monthly briefing (工作简报) is written from, for one district or the
bureau and the period's last month: the metrics exactly as its row of
``district_monthly.csv`` (or ``bureau_monthly.csv``) writes them, each metric's change
on the previous month and on the same month last year, 三会一课 compliance with the
branches that missed, the top units, and the pending and rejected rows.

The templates (``export/briefing_templates``) name these by key; README.md there lists
them.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

import duckdb

from export.district_monthly import mart_rows
from export.formatting import cell_text
from export.tables import Tables, UnitRow
from kernel import seeds
from kernel.catalog import Metric
from kernel.formatting import format_month, half_up, quarter_of, shift_month, signed
from kernel.snapshot import missing_marts

EMPTY = "—"
TOP_UNITS = 3
BUREAU = "bureau"


def _exact(metric: Metric, row: dict) -> Fraction | None:
    """A metric's exact value from a mart row (None: a ratio of denominator 0)."""
    if metric.kind == "additive_minutes":
        return Fraction(int(row[metric.minutes or ""]), 60)
    if metric.kind == "ratio":
        denominator = int(row[metric.denominator or ""]) * metric.denominator_scale
        if denominator == 0:
            return None
        return Fraction(int(row[metric.numerator or ""]), denominator)
    return Fraction(int(row[metric.key]))


def change_text(metric: Metric, now: dict, before: dict | None) -> str:
    """The change of ``metric`` from ``before`` to ``now``: a share in percentage points
    (``+1.2个百分点``), any other figure in percent (``+25.0%``), as the dashboard's
    tiles state it (kernel.formatting); ``—`` with nothing to compare with (no earlier
    row, 0 or an empty rate then)."""
    if before is None:
        return EMPTY
    current, previous = _exact(metric, now), _exact(metric, before)
    if current is None or previous is None:
        return EMPTY
    if metric.unit == "share":
        points = Decimal(current.numerator) * 100 / current.denominator - (
            Decimal(previous.numerator) * 100 / previous.denominator
        )
        return f"{signed(half_up(points, 1))}个百分点"
    if previous == 0:
        return EMPTY
    percent = (current - previous) * 100 / previous
    return f"{signed(half_up(Decimal(percent.numerator) / percent.denominator, 1))}%"


def changes(
    metrics: Sequence[Metric], now: dict, previous: dict | None, last_year: dict | None
) -> dict[str, dict[str, str]]:
    """Per metric key: previous_month, same_month_last_year, and text (环比…，同比…
    with only the comparisons there are; empty when there is none)."""
    result = {}
    for metric in metrics:
        entry = {
            "previous_month": change_text(metric, now, previous),
            "same_month_last_year": change_text(metric, now, last_year),
        }
        parts = []
        if entry["previous_month"] != EMPTY:
            parts.append(f"环比{entry['previous_month']}")
        if entry["same_month_last_year"] != EMPTY:
            parts.append(f"同比{entry['same_month_last_year']}")
        entry["text"] = "，".join(parts)
        result[metric.key] = entry
    return result


def shares_as_percent(metrics: Sequence[Metric], figures: dict) -> dict[str, str]:
    """``<key>_percent`` for every share: the CSV's ratio times 100, as a leader reads
    it (0.6667 is ``66.67%``; an empty ratio ``—``). The digits are the CSV's, only the
    point moves, so the figure is still checked against its row."""
    result = {}
    for metric in metrics:
        if metric.unit != "share" or metric.key not in figures:
            continue
        text = figures[metric.key]
        if text in ("", None):
            result[f"{metric.key}_percent"] = EMPTY
        elif text.replace(".", "", 1).isdigit():
            result[f"{metric.key}_percent"] = f"{Decimal(text) * 100:.2f}%"
        else:  # hidden (*) or already a dash: as the CSV writes it
            result[f"{metric.key}_percent"] = text
    return result


def _earlier_rows(
    con: duckdb.DuckDBPyConnection, table: str, months: Sequence[str]
) -> dict[tuple[str, str], dict]:
    rows = mart_rows(
        con,
        f"select * from {table} where month in ({', '.join('?' for _ in months)})",
        list(months),
    )
    return {(row["district_code"], row["month"]): row for row in rows}


def compliance(con: duckdb.DuckDBPyConnection, district: str, month: str) -> dict:
    """三会一课 and the activity day for the periods that end in ``month`` (the month;
    its quarter when the month ends one): branch-unit periods judged, met, missed, and
    the branches that missed with the meetings they missed."""
    quarter = quarter_of(month)
    quarter_ends = int(month[5:]) % 3 == 0
    periods = [month, quarter] if quarter_ends else [month]
    where = "" if district == BUREAU else "and district_code = ? "
    rows = mart_rows(
        con,
        "select org_code, org_name, district_code, activity_type_code, compliance_status, "
        "coalesce((select district_name from dim_districts as d "
        "where d.district_code = c.district_code), district_code) as district_name "
        f"from agg_branch_compliance as c where period in ({', '.join('?' for _ in periods)}) "
        f"{where}order by district_code, org_code",
        [*periods, *([] if district == BUREAU else [district])],
    )
    names = seeds.activity_type_names("zh")
    order = list(seeds.cadences())
    missed: dict[str, list[str]] = {}
    branch_names: dict[str, str] = {}
    by_district: dict[str, set[str]] = {}
    for row in rows:
        if row["compliance_status"] == "missed":
            missed.setdefault(row["org_code"], []).append(row["activity_type_code"])
            branch_names[row["org_code"]] = row["org_name"] or row["org_code"]
            by_district.setdefault(row["district_name"], set()).add(row["org_code"])
    branches = []
    for code, types in missed.items():
        ordered = sorted(types, key=lambda t: order.index(t) if t in order else len(order))
        branches.append(
            {
                "org_code": code,
                "name": branch_names[code],
                "missed": "、".join(names.get(t, t) for t in ordered),
            }
        )
    return {
        "judged": len(rows),
        "met": sum(1 for row in rows if row["compliance_status"] == "met"),
        "missed": sum(1 for row in rows if row["compliance_status"] == "missed"),
        "branch_units": len({row["org_code"] for row in rows}),
        "missed_branches": branches,
        "missed_text": "；".join(f"{b['name']}（{b['missed']}）" for b in branches),
        "quarter": quarter if quarter_ends else "",
        # the bureau's briefing: how many branches missed, per district
        "missed_by_district": "、".join(
            f"{name}{len(codes)}个" for name, codes in by_district.items()
        ),
    }


def top_units(tables: Tables, district: str, month: str, count: int = TOP_UNITS) -> list[dict]:
    """The district's (or the bureau's) schools and offices with the most hours in the
    month (a school with its branches, as the PDF report ranks them), with their figures
    as organization_monthly.csv writes them; units with no hours are left out."""
    in_scope = [
        r
        for r in tables.organizations
        if r.labels["month"] == month
        and r.labels["district_code"] != "unknown"
        and (district == BUREAU or r.labels["district_code"] == district)
    ]
    codes = {r.labels["org_code"] for r in in_scope}
    units = [
        r
        for r in in_scope
        if r.labels["parent_org_code"] not in codes and int(r.mart["total_minutes"]) > 0
    ]
    units.sort(key=lambda r: (-int(r.mart["total_minutes"]), r.labels["org_code"]))
    return [
        {
            "rank": place,
            "name": unit.labels["org_name"] or unit.labels["org_code"],
            "district_name": unit.labels["district_name"],
            **{key: cell_text(value) for key, value in unit.values.items()},
        }
        for place, unit in enumerate(units[:count], start=1)
    ]


def data_quality(con: duckdb.DuckDBPyConnection, district: str, month: str) -> dict:
    """Pending sessions of the month (the district's, or all), with their hours, and the
    rows rejected in every file in effect (they belong to files, not districts)."""
    where = "" if district == BUREAU else " and district_code = ?"
    (sessions, minutes) = con.execute(
        "select coalesce(sum(sessions), 0), coalesce(sum(total_minutes), 0) "
        f"from dq_pending_sessions where month = ?{where}",
        [month, *([] if district == BUREAU else [district])],
    ).fetchone() or (0, 0)
    (rejected,) = con.execute(
        "select coalesce(sum(rejected_rows), 0) from dq_rejects_by_reason"
    ).fetchone() or (0,)
    hours = half_up(Decimal(int(minutes)) / 60, 2)
    return {
        "pending_sessions": int(sessions),
        "pending_hours": str(hours),
        "rejected_rows": int(rejected),
        **submissions(con, district, month),
    }


def submissions(con: duckdb.DuckDBPyConnection, district: str, month: str) -> dict:
    """From ``dq_submissions`` (as submissions.csv writes it): the schools and offices of
    the district (or all), how many sent rows for the month, the names of those that
    sent nothing (未报送, in code order), and the rows of the month returned to them.
    ``has_submissions`` is False on a snapshot an earlier release published."""
    if missing_marts(con, "dq_submissions"):
        return {"has_submissions": False}
    where = "" if district == BUREAU else " and district_code = ?"
    units = con.execute(
        "select org_code, coalesce(org_name, org_code), status_code, rows_rejected "
        f"from dq_submissions where month = ?{where} order by org_code",
        [month, *([] if district == BUREAU else [district])],
    ).fetchall()
    missing = [name for _, name, status, _ in units if status == "missing"]
    return {
        "has_submissions": True,
        "units_total": len(units),
        "units_reported": sum(1 for *_, status, _ in units if status in ("reported", "returned")),
        "units_missing": missing,
        "units_missing_text": "、".join(missing),
        "month_rejected_rows": sum(int(rejected) for *_, rejected in units),
    }


def contexts(
    con: duckdb.DuckDBPyConnection,
    tables: Tables,
    bureau: Sequence[UnitRow],
    as_of: str,
) -> list[dict]:
    """One context per briefing: every district but ``unknown``, then the bureau (when
    its rows are there), for the period's last month."""
    month = tables.period.last
    previous, last_year = shift_month(month, -1), shift_month(month, -12)
    earlier = _earlier_rows(con, "agg_district_monthly", [previous, last_year])
    if bureau:
        earlier |= _earlier_rows(con, "agg_bureau_monthly", [previous, last_year])
    rows = [r for r in tables.districts if r.labels["month"] == month]
    rows = [r for r in rows if r.labels["district_code"] != "unknown"]
    rows += [r for r in bureau if r.labels["month"] == month]
    result = []
    for row in rows:
        code = row.labels["district_code"]
        is_bureau = code == BUREAU
        context: dict = {
            "district_code": code,
            "district_name": row.labels["district_name"],
            "is_bureau": is_bureau,
            "scope": "全市" if is_bureau else "全区",
            "month": month,
            "month_label": format_month(month),
            "year": int(month[:4]),
            "month_number": int(month[5:]),
            "period_from": tables.period.first,
            "period_to": tables.period.last,
            "as_of": as_of,
            "csv_file": "bureau_monthly.csv" if is_bureau else "district_monthly.csv",
            "no_activity_yet": month in tables.months_without_activity,
        }
        context |= {key: cell_text(value) for key, value in row.values.items()}
        context |= shares_as_percent(tables.metrics, context)
        context["change"] = changes(
            tables.metrics, row.mart, earlier.get((code, previous)), earlier.get((code, last_year))
        )
        context["compliance"] = compliance(con, code, month)
        context["top_units"] = top_units(tables, code, month)
        context |= data_quality(con, code, month)
        result.append(context)
    return result
