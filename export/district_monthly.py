"""``district_monthly.csv`` and ``manifest.json``, exactly as DESIGN.md's export contract says.

Ratios and hours are rounded here, once, half up, from the exact numerators and
denominators that ``agg_district_monthly`` carries (minutes and counts), so a
figure is never rounded twice.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb

from publish.snapshot import SnapshotInfo

COLUMNS = (
    "district_code",
    "district_name",
    "month",
    "roster_size",
    "active_members",
    "participation_rate",
    "volunteers",
    "person_times",
    "total_hours",
    "volunteer_service_hours",
    "avg_hours_per_volunteer",
    "activity_day_coverage",
)
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class ExportError(Exception):
    """A request the export cannot fulfil; the message says what to change."""


@dataclass(frozen=True)
class Period:
    first: str
    last: str


def _ratio(numerator: int, denominator: int, places: str) -> str:
    if denominator == 0:
        return ""
    value = Decimal(numerator) / Decimal(denominator)
    return str(value.quantize(Decimal(places), rounding=ROUND_HALF_UP))


def format_row(row: dict) -> list[str]:
    """One CSV row from a mart row: counts as integers, hours and ratios rounded half up."""
    minutes, volunteers = int(row["total_minutes"]), int(row["volunteers"])
    return [
        row["district_code"],
        row["district_name"] or "",
        row["month"],
        str(int(row["roster_size"])),
        str(int(row["active_members"])),
        _ratio(int(row["active_members"]), int(row["roster_size"]), "0.0001"),
        str(volunteers),
        str(int(row["person_times"])),
        _ratio(minutes, 60, "0.01"),
        _ratio(int(row["volunteer_service_minutes"]), 60, "0.01"),
        _ratio(minutes, 60 * volunteers, "0.01"),
        _ratio(int(row["branch_units_with_activity_day"]), int(row["branch_units"]), "0.0001"),
    ]


def resolve_period(con: duckdb.DuckDBPyConnection, first: str | None, last: str | None) -> Period:
    """FROM and TO checked against the snapshot; defaults: first and last active month."""
    for name, value in (("FROM", first), ("TO", last)):
        if value and not _MONTH.match(value):
            raise ExportError(f"{name}={value!r} is not a month; write it as 2025-03")
    span_first, span_last, active_first, active_last = con.execute(
        "select min(month), max(month), min(month) filter (where person_times > 0), "
        "max(month) filter (where person_times > 0) from agg_district_monthly"
    ).fetchall()[0]
    first = first or active_first
    last = last or active_last
    if first is None or last is None:
        raise ExportError(
            "the snapshot has no approved session, so there is no default period; "
            "give FROM=YYYY-MM and TO=YYYY-MM"
        )
    if first > last:
        raise ExportError(f"FROM={first} is after TO={last}")
    if span_first is None or first < span_first or last > span_last:
        raise ExportError(
            f"the snapshot covers {span_first} to {span_last} (its data cut-off); "
            f"FROM={first} TO={last} reaches outside it"
        )
    return Period(first, last)


def district_rows(con: duckdb.DuckDBPyConnection, period: Period) -> list[list[str]]:
    cursor = con.execute(
        "select * from agg_district_monthly where month between ? and ? "
        "order by district_code, month",
        [period.first, period.last],
    )
    names = [d[0] for d in cursor.description]
    return [format_row(dict(zip(names, values, strict=True))) for values in cursor.fetchall()]


def csv_bytes(rows: list[list[str]]) -> bytes:
    """UTF-8 without BOM, LF line ends, a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _write_atomically(target: Path, data: bytes) -> None:
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)


def export(
    con: duckdb.DuckDBPyConnection,
    snapshot: SnapshotInfo,
    out: Path,
    first: str | None = None,
    last: str | None = None,
) -> dict:
    """Write district_monthly.csv and manifest.json under ``out``; return the manifest."""
    period = resolve_period(con, first, last)
    rows = district_rows(con, period)
    data = csv_bytes(rows)
    manifest = {
        "period": {"from": period.first, "to": period.last},
        "as_of": snapshot.as_of,
        "digest": snapshot.digest,
        "files": {
            "district_monthly.csv": {
                "rows": len(rows),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        },
    }
    out.mkdir(parents=True, exist_ok=True)
    _write_atomically(out / "district_monthly.csv", data)
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    _write_atomically(out / "manifest.json", text.encode("utf-8"))
    return manifest
