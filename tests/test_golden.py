"""Golden test: ``agg_district_monthly`` on the demo inbox equals an independent computation.

The demo inbox (``python -m demo --rows 20000``) is ingested and built with the
project's own commands. The expected figures are then computed here, in plain
pandas, straight from the lake's Parquet batches and DESIGN.md's definitions
("Metric definitions", "Exact duplicates", "Person identity"), without reading any
dbt model: batches in effect from the manifest; exact duplicates removed on the
listed columns; session minutes from hours, minutes or times; the person by
person_id, else the latest roster's ID number, else its phone; the organization by
code, else by a name that identifies one organization; its district up the tree;
approved sessions only. Every figure of every row must match, the activity columns too:
activities logged (distinct organization, date, type and title of approved sessions)
and the event summaries' rows (approved, exact duplicates once, attributed as sessions
are), which also count toward activity-day coverage (DESIGN.md, "event summary").

The same build is checked against the demo generator's own count of the faults it
wrote (``.demo_manifest.json``): the data-quality marts must find each of them.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from tests.conftest import REPO, Warehouse

pytestmark = pytest.mark.integration

SEEDS = REPO / "seeds"
# DESIGN.md "Exact duplicates": the activity-log columns two copies agree on.
SAME_SESSION = [
    "person_id_key",
    "id_number_key",
    "phone_key",
    "person_name",
    "org_code",
    "org_name",
    "activity_date",
    "start_time",
    "end_time",
    "hours",
    "minutes",
    "activity_type",
    "activity_title",
    "location",
    "community",
    "status",
]
COUNT_COLUMNS = [
    "roster_size",
    "active_members",
    "volunteers",
    "person_times",
    "total_minutes",
    "volunteer_service_minutes",
    "branch_units",
    "branch_units_with_activity_day",
    "new_volunteers",
    "retained_volunteers",
    "events_logged",
    "events_reported",
    "events_held",
    "reported_person_times",
    "reported_minutes",
]
# DESIGN.md "event summary": two summary rows are the same when every summary column is
SAME_SUMMARY = [
    "org_code",
    "org_name",
    "activity_date",
    "activity_type",
    "activity_title",
    "location",
    "community",
    "participants",
    "hours",
    "hours_each",
    "event_minutes",
    "status",
]
RATIO_COLUMNS = [
    "participation_rate",
    "total_hours",
    "volunteer_service_hours",
    "avg_hours_per_volunteer",
    "activity_day_coverage",
]


# --- the lake, read without dbt -------------------------------------------------------


@dataclass
class Lake:
    """The batches in effect, as DataFrames per kind, and the data cut-off."""

    activity: pd.DataFrame
    events: pd.DataFrame
    people: pd.DataFrame
    organizations: pd.DataFrame
    districts: pd.DataFrame
    cutoff: dt.datetime


def read_lake(root: Path) -> Lake:
    manifest = [
        json.loads(line)
        for line in (root / "lake" / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    in_effect = [b for b in manifest if b["superseded_at"] is None]
    loaded_at = {b["batch_id"]: b["loaded_at"] for b in in_effect}

    def frames(kind: str) -> pd.DataFrame:
        parts = [
            pd.read_parquet(root / "lake" / kind / f"{b['batch_id']}.parquet")
            for b in in_effect
            if b["kind"] == kind and b["rows_loaded"] > 0
        ]
        schema = root / "lake" / kind / "_schema.parquet"
        if not parts and schema.exists():
            parts = [pd.read_parquet(schema)]
        frame = pd.concat(parts, ignore_index=True)
        frame["loaded_at"] = frame["batch_id"].map(loaded_at)
        return frame

    return Lake(
        activity=frames("activity"),
        events=frames("events"),
        people=frames("people"),
        organizations=frames("organizations"),
        districts=frames("districts"),
        cutoff=max(dt.datetime.fromisoformat(b["loaded_at"]) for b in in_effect),
    )


def latest(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """Each key's row from the newest batch that lists it (then the last line)."""
    ordered = frame.sort_values(["loaded_at", "batch_id", "source_line"])
    return ordered.drop_duplicates(subset=[key], keep="last").set_index(key, drop=False)


def seed_terms(seed: str, code_column: str) -> dict[str, str]:
    """Normalized term -> code: every code, Chinese and English name and alias."""
    terms: dict[str, str] = {}
    with (SEEDS / seed).open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            words = [row[code_column], row["name_zh"], row["name_en"]]
            words += (row.get("aliases") or "").split("|")
            for word in words:
                if word.strip():
                    terms[word.strip().lower()] = row[code_column]
    return terms


def activity_categories() -> dict[str, str]:
    with (SEEDS / "activity_types.csv").open(encoding="utf-8") as handle:
        return {row["activity_type_code"]: row["category"] for row in csv.DictReader(handle)}


def session_minutes(row: pd.Series) -> int:
    """Hours x 60 if given, else minutes, else end - start; rounded half up to a minute."""
    if row["hours"] is not None and not _missing(row["hours"]):
        exact = Decimal(row["hours"]) * 60
    elif row["minutes"] is not None and not _missing(row["minutes"]):
        exact = Decimal(row["minutes"])
    else:
        start = dt.datetime.combine(dt.date(2000, 1, 1), row["start_time"])
        end = dt.datetime.combine(dt.date(2000, 1, 1), row["end_time"])
        exact = Decimal((end - start).total_seconds()) / 60
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _unique_lookup(roster: pd.DataFrame, column: str) -> dict[str, str]:
    """A roster number -> the one roster person holding it (numbers held by two match none)."""
    pairs = roster.loc[roster[column].notna(), [column, "person_id_key"]].drop_duplicates()
    counts = pairs[column].value_counts()
    unique = pairs[pairs[column].isin(counts[counts == 1].index)]
    return dict(zip(unique[column], unique["person_id_key"], strict=True))


def organizations_placed(lake: Lake) -> pd.DataFrame:
    """Latest organizations with type, district (up the tree) and branch-unit flag."""
    orgs = latest(lake.organizations, "org_code")
    districts = set(latest(lake.districts, "district_code").index)
    types = seed_terms("organization_types.csv", "org_type_code")
    org_type = {
        code: types.get(str(label).strip().lower(), "other") if not _missing(label) else "other"
        for code, label in orgs["org_type"].items()
    }

    def district_of(code: str) -> str:
        seen: set[str] = set()
        while code in orgs.index and code not in seen:
            seen.add(code)
            own = orgs.at[code, "district_code"]
            if not _missing(own):
                return own if own in districts else "unknown"
            code = orgs.at[code, "parent_org_code"]
        return "unknown"

    with_branches = {
        orgs.at[code, "parent_org_code"]
        for code in orgs.index
        if org_type[code] == "branch" and not _missing(orgs.at[code, "parent_org_code"])
    }
    return pd.DataFrame(
        {
            "org_code": orgs.index,
            "org_name": orgs["org_name"].to_numpy(),
            "district_code": [district_of(code) for code in orgs.index],
            "is_branch_unit": [
                org_type[code] == "branch"
                or (org_type[code] == "school" and code not in with_branches)
                for code in orgs.index
            ],
        }
    ).set_index("org_code", drop=False)


def resolve_org(code: object, name: object, orgs: pd.DataFrame, by_name: dict[str, str]) -> str:
    """The org_code when known; else, with no code, the one organization of that name."""
    if not _missing(code):
        return code if code in orgs.index else "unknown"
    if not _missing(name):
        return by_name.get(str(name).lower(), "unknown")
    return "unknown"


def names_identifying_one(orgs: pd.DataFrame) -> dict[str, str]:
    names = orgs["org_name"].dropna().str.lower()
    counts = names.value_counts()
    return {name: code for code, name in names.items() if counts[name] == 1}


def months_between(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def previous_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:])
    return f"{year - 1:04d}-12" if number == 1 else f"{year:04d}-{number - 1:02d}"


def expected_district_monthly(lake: Lake) -> pd.DataFrame:
    """agg_district_monthly from the lake, by DESIGN.md's definitions."""
    orgs = organizations_placed(lake)
    by_name = names_identifying_one(orgs)
    district_names = latest(lake.districts, "district_code")["district_name"].to_dict()
    district_names["unknown"] = "未归属区域"
    activity_terms = seed_terms("activity_types.csv", "activity_type_code")
    categories = activity_categories()
    roster = latest(lake.people, "person_id_key")
    usable_ids = roster[~roster["is_id_number_damaged"]]
    by_id_number = _unique_lookup(usable_ids, "id_number_key")
    by_phone = _unique_lookup(roster, "phone_key")

    # exact duplicates: one copy of each set of rows equal on every listed column
    rows = lake.activity.sort_values(["loaded_at", "batch_id", "source_line"])
    sessions = rows.drop_duplicates(subset=SAME_SESSION, keep="first").copy()
    sessions = sessions[sessions["status"] == "approved"].copy()

    def person(row: pd.Series) -> str:
        id_number = None if row["is_id_number_damaged"] else row["id_number_key"]
        for candidate in (
            row["person_id_key"],
            by_id_number.get(id_number) if not _missing(id_number) else None,
            by_phone.get(row["phone_key"]) if not _missing(row["phone_key"]) else None,
            id_number,
            row["phone_key"],
        ):
            if not _missing(candidate):
                return candidate
        raise AssertionError(f"a landed row with no person: {row.to_dict()}")

    sessions["person"] = sessions.apply(person, axis=1)
    sessions["minutes_"] = sessions.apply(session_minutes, axis=1)
    sessions["org"] = [
        resolve_org(code, name, orgs, by_name)
        for code, name in zip(sessions["org_code"], sessions["org_name"], strict=True)
    ]
    sessions["district"] = [
        orgs.at[org, "district_code"] if org != "unknown" else "unknown" for org in sessions["org"]
    ]
    sessions["type_code"] = [
        activity_terms.get(str(label).strip().lower(), "other")
        for label in sessions["activity_type"]
    ]
    sessions["category"] = sessions["type_code"].map(categories).fillna("other")
    sessions["month"] = [d.strftime("%Y-%m") for d in sessions["activity_date"]]

    # event summaries: approved rows, exact duplicates once, attributed as sessions are
    summaries = lake.events.sort_values(["loaded_at", "batch_id", "source_line"])
    summaries = summaries.drop_duplicates(subset=SAME_SUMMARY, keep="first")
    summaries = summaries[summaries["status"] == "approved"].copy()
    summaries["org"] = [
        resolve_org(code, name, orgs, by_name)
        for code, name in zip(summaries["org_code"], summaries["org_name"], strict=True)
    ]
    summaries["district"] = [
        orgs.at[org, "district_code"] if org != "unknown" else "unknown" for org in summaries["org"]
    ]
    summaries["type_code"] = [
        activity_terms.get(str(label).strip().lower(), "other")
        for label in summaries["activity_type"]
    ]
    summaries["month"] = [d.strftime("%Y-%m") for d in summaries["activity_date"]]

    # the roster: each person's organization (code, else unique name) and its district,
    # and the months they were on it: joined empty or on/before the month's end (the
    # joining month or later), left empty or on/after its start (the leaving month or
    # earlier)
    # every month from the first with data, an activity row of any status or a roster
    # version's effective date (its own, else its batch's load day), to the cut-off's,
    # or to the latest activity's when later (load times are UTC, ingest's "today" is
    # local)
    last_month = max(lake.cutoff.strftime("%Y-%m"), f"{lake.activity['activity_date'].max():%Y-%m}")
    effective = pd.to_datetime(lake.people["effective_date"]).fillna(
        pd.to_datetime(lake.people["loaded_at"].str[:10])
    )
    first_data_month = min(lake.activity["activity_date"].min(), effective.min().date())
    months = months_between(f"{first_data_month:%Y-%m}", last_month)
    roster_months: dict[str, tuple[str, str, str]] = {}
    for _, member in roster.iterrows():
        org = resolve_org(member["org_code"], member["org_name"], orgs, by_name)
        district = orgs.at[org, "district_code"] if org != "unknown" else "unknown"
        first = months[0] if _missing(member["joined_date"]) else f"{member['joined_date']:%Y-%m}"
        last = months[-1] if _missing(member["left_date"]) else f"{member['left_date']:%Y-%m}"
        roster_months[member["person_id_key"]] = (district, max(first, months[0]), last)
    roster_size: dict[tuple[str, str], int] = {}
    for district, first, last in roster_months.values():
        for month in months:
            if first <= month <= last:
                roster_size[(district, month)] = roster_size.get((district, month), 0) + 1
    active_members: dict[tuple[str, str], int] = {}
    for person_key, month in set(zip(sessions["person"], sessions["month"], strict=True)):
        if person_key in roster_months:
            district, first, last = roster_months[person_key]
            if first <= month <= last:
                key = (district, month)
                active_members[key] = active_members.get(key, 0) + 1

    first_month = sessions.groupby("person")["month"].min()
    grouped = sessions.groupby(["district", "month"])
    volunteers_of = grouped["person"].agg(set).to_dict()
    person_times = grouped.size().to_dict()
    total_minutes = grouped["minutes_"].sum().to_dict()
    service_minutes = (
        sessions[sessions["category"] == "volunteer_service"]
        .groupby(["district", "month"])["minutes_"]
        .sum()
        .to_dict()
    )
    branch_units = orgs[orgs["is_branch_unit"]].groupby("district_code").size().to_dict()
    # a branch unit's activity day: an approved session or an approved summary row
    covered_by: dict[tuple[str, str], set[str]] = {}
    for frame in (sessions, summaries):
        at_unit = frame["org"].map(
            lambda org: org != "unknown" and bool(orgs.at[org, "is_branch_unit"])
        )
        held = frame[(frame["type_code"] == "activity_day") & at_unit]
        for district, month, org in zip(held["district"], held["month"], held["org"], strict=True):
            covered_by.setdefault((district, month), set()).add(org)
    covered = {key: len(units) for key, units in covered_by.items()}
    # activities: logged = distinct (organization, date, type, title) of approved sessions
    logged = sessions.drop_duplicates(["org", "activity_date", "type_code", "activity_title"])
    events_logged = logged.groupby(["district", "month"]).size().to_dict()
    by_month = summaries.groupby(["district", "month"])
    events_reported = by_month.size().to_dict()
    reported_person_times = by_month["participants"].sum().to_dict()
    reported_minutes = by_month["event_minutes"].sum().to_dict()

    known = sorted(d for d in district_names if d != "unknown")
    unknown_months = sorted(set(sessions.loc[sessions["district"] == "unknown", "month"]))
    grid = [(d, m) for d in known for m in months] + [("unknown", m) for m in unknown_months]

    result = []
    for district, month in grid:
        key = (district, month)
        size = roster_size.get(key, 0)
        active_count = active_members.get(key, 0)
        people = volunteers_of.get(key, set())
        before = volunteers_of.get((district, previous_month(month)), set())
        total = int(total_minutes.get(key, 0))
        service = int(service_minutes.get(key, 0))
        units = branch_units.get(district, 0)
        units_covered = covered.get(key, 0)
        result.append(
            {
                "district_code": district,
                "district_name": district_names[district],
                "month": month,
                "roster_size": size,
                "active_members": active_count,
                "participation_rate": active_count / size if size else None,
                "volunteers": len(people),
                "person_times": person_times.get(key, 0),
                "total_minutes": total,
                "total_hours": total / 60,
                "volunteer_service_minutes": service,
                "volunteer_service_hours": service / 60,
                "avg_hours_per_volunteer": total / 60 / len(people) if people else None,
                "branch_units": units,
                "branch_units_with_activity_day": units_covered,
                "activity_day_coverage": units_covered / units if units else None,
                "new_volunteers": sum(first_month[p] == month for p in people),
                "retained_volunteers": len(people & before),
                "events_logged": events_logged.get(key, 0),
                "events_reported": events_reported.get(key, 0),
                "events_held": events_logged.get(key, 0) + events_reported.get(key, 0),
                "reported_person_times": int(reported_person_times.get(key, 0)),
                "reported_minutes": int(reported_minutes.get(key, 0)),
            }
        )
    return pd.DataFrame(result)


# --- the tests ---------------------------------------------------------------------------


def _mart(warehouse: Warehouse, sql: str) -> pd.DataFrame:
    name = (warehouse.root / "snapshots" / "CURRENT").read_text().strip()
    con = duckdb.connect(str(warehouse.root / "snapshots" / name), read_only=True)
    try:
        return con.execute(sql).df()
    finally:
        con.close()


def _differences(expected: pd.DataFrame, actual: pd.DataFrame) -> Iterable[str]:
    for (district, month), want in expected.set_index(["district_code", "month"]).iterrows():
        got = actual.loc[(district, month)]
        if got["district_name"] != want["district_name"]:
            yield f"{district} {month} district_name: mart {got['district_name']}"
            yield f"{district} {month} district_name: expected {want['district_name']}"
        for column in COUNT_COLUMNS:
            if int(got[column]) != int(want[column]):
                yield f"{district} {month} {column}: mart {got[column]} != expected {want[column]}"
        for column in RATIO_COLUMNS:
            mart, wanted = got[column], want[column]
            if _missing(wanted) or pd.isna(wanted):
                if not pd.isna(mart):
                    yield f"{district} {month} {column}: mart {mart} != expected empty"
            elif pd.isna(mart) or not math.isclose(
                float(mart), wanted, rel_tol=1e-12, abs_tol=1e-12
            ):
                yield f"{district} {month} {column}: mart {mart} != expected {wanted}"


def test_district_monthly_equals_an_independent_computation(demo: Warehouse) -> None:
    expected = expected_district_monthly(read_lake(demo.root))
    actual = _mart(demo, "select * from agg_district_monthly").set_index(["district_code", "month"])
    assert sorted(actual.index) == sorted(
        zip(expected["district_code"], expected["month"], strict=True)
    )
    # the demo has activity in every district, unknown organizations and a roster
    busy = expected[expected["person_times"] > 0]
    assert set(busy["district_code"]) >= {"D01", "D09", "unknown"}
    assert expected["roster_size"].max() > 0
    assert expected["branch_units_with_activity_day"].sum() > 0
    # the demo's three schools send event summaries (demo.summaries)
    assert expected["events_reported"].sum() > 0
    differences = list(_differences(expected, actual))
    assert not differences, f"{len(differences)} figures differ:\n" + "\n".join(differences[:40])


def test_data_quality_marts_find_every_fault_the_demo_wrote(demo: Warehouse) -> None:
    counts = json.loads((demo.inbox / ".demo_manifest.json").read_text(encoding="utf-8"))["counts"]
    one = lambda sql: _mart(demo, sql).iloc[0, 0]  # noqa: E731
    assert one("select count(*) from dq_file_loads where is_in_effect") == len(
        [line for line in (demo.root / "lake" / "manifest.jsonl").read_text().splitlines() if line]
    )
    rejects = _mart(
        demo,
        "select reason_code, sum(rejected_rows)::bigint as n from dq_rejects_by_reason "
        "group by reason_code",
    )
    assert dict(zip(rejects["reason_code"], rejects["n"], strict=True)) == {
        key.removeprefix("fault_"): value
        for key, value in counts.items()
        if key.startswith("fault_")
        and key not in ("fault_unknown_org_code", "fault_org_name_only", "fault_unmapped_label")
    }
    assert one("select sum(duplicates_removed) from dq_duplicates_by_file") == (
        counts["duplicates_within_files"] + counts["duplicates_across_files"]
    )
    assert (
        one("select sum(sessions) from dq_unknown_organizations")
        == counts["fault_unknown_org_code"]
    )
    assert (
        one("select sum(sessions) from dq_unmapped_activity_labels")
        == counts["fault_unmapped_label"]
    )
    assert (
        one("select sum(sessions) from dq_people_missing_from_roster")
        == counts["rows_not_on_roster"]
    )
    assert one("select sum(sessions) from dq_pending_sessions") == counts["pending"]
