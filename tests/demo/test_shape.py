"""What a leader sees in the demo: districts, months, schools and branches that differ.

Figures are computed here from the files of a 300,000-row inbox (the size `make run`
shows), with DESIGN.md's definitions and without the generator or the warehouse:
participation_rate is the share of a district's roster members (on the roster that
month) with an approved session that loads, anywhere; a row's person is its
person_id, else the roster person with its ID number, else with its phone.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import pairwise
from statistics import median

import pytest

from tests.demo.readback import Inbox, activity_terms, normalize, parse_date

MONTHS = [f"{2024 + (10 + i) // 12}-{(10 + i) % 12 + 1:02d}" for i in range(24)]
# the term months of the 2025/26 school year (February is the winter break)
SCHOOL_YEAR = [
    "2025-09", "2025-10", "2025-11", "2025-12", "2026-01",
    "2026-03", "2026-04", "2026-05", "2026-06",
]  # fmt: skip
FEBRUARIES = ["2025-02", "2026-02"]
# DESIGN.md "status values": the words that make a session approved (an empty cell too)
APPROVED = {None, "已认定", "已审核", "通过", "approved", "confirmed"}
SCHOOL_TYPES = {"学校", "党委", "党总支"}


def _month(value: object) -> str | None:
    day = _day(value)
    return f"{day.year}-{day.month:02d}" if day else None


def _day(value: object) -> dt.date | None:
    text = normalize(value)
    return parse_date(text) if text else None


@dataclass(frozen=True)
class Organizations:
    district: dict[str, str]  # org code -> district code (a branch's from its school)
    school: dict[str, str]  # org code -> its school (itself for a school)
    by_name: dict[str, str]  # a name that names one organization -> its code
    schools: list[str]
    units: list[str]  # branches, and schools without branches

    def resolve(self, row: dict[str, str | None]) -> str | None:
        """The row's organization: its code when known, else the one its name names."""
        code = row["org_code"]
        if code in self.district:
            return code
        return self.by_name.get(row["org_name"] or "")


def organizations(inbox: Inbox) -> Organizations:
    rows = {o["org_code"]: o for o in inbox.organizations}
    district, school = {}, {}
    for code, org in rows.items():
        parent = org["parent_org_code"]
        district[code] = org["district_code"] or rows[parent]["district_code"]
        school[code] = parent if parent else code
    names = Counter(o["org_name"] for o in rows.values())
    by_name = {o["org_name"]: c for c, o in rows.items() if names[o["org_name"]] == 1}
    parents = {o["parent_org_code"] for o in rows.values() if o["parent_org_code"]}
    units = [
        c
        for c, o in rows.items()
        if o["org_type"] == "党支部" or (o["org_type"] in SCHOOL_TYPES and c not in parents)
    ]
    schools = [c for c, o in rows.items() if o["org_type"] in SCHOOL_TYPES]
    return Organizations(district, school, by_name, schools, units)


def approved(inbox: Inbox) -> list[dict[str, str | None]]:
    """Rows ingest loads and that count: approved, with a date."""
    return [r for r in inbox.loaded() if normalize(r["status"]) in APPROVED]


def person_of(row: dict[str, str | None], by_id: dict[str, str], by_phone: dict[str, str]) -> str:
    if row["person_id"]:
        return row["person_id"].upper()
    if row["id_number"] and row["id_number"].upper() in by_id:
        return by_id[row["id_number"].upper()]
    digits = re.sub(r"^86(?=\d{11}$)", "", re.sub(r"\D", "", row["phone"] or ""))
    return by_phone.get(digits, "?")


@pytest.fixture(scope="module")
def rates(shown: Inbox) -> dict[str, list[float]]:
    return participation(shown)


def participation(inbox: Inbox) -> dict[str, list[float]]:
    """District -> participation_rate per month of MONTHS."""
    orgs = organizations(inbox)
    by_id = {normalize(p["id_number"]).upper(): p["person_id"] for p in inbox.people}
    by_phone = {normalize(p["phone"]): p["person_id"] for p in inbox.people}
    active = {(person_of(r, by_id, by_phone), _month(r["activity_date"])) for r in approved(inbox)}
    roster: dict[tuple[str, str], int] = Counter()
    taking_part: dict[tuple[str, str], int] = Counter()
    for person in inbox.people:
        joined, left = _day(person["joined_date"]), _day(person["left_date"])
        district = orgs.district[person["org_code"]]
        for month in MONTHS:
            first = dt.date(int(month[:4]), int(month[5:]), 1)
            last = (first + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
            if (joined is None or joined <= last) and (left is None or left >= first):
                roster[district, month] += 1
                taking_part[district, month] += (person["person_id"], month) in active
    districts = sorted({d for d, _ in roster})
    return {d: [taking_part[d, m] / roster[d, m] for m in MONTHS] for d in districts}


def test_districts_range_from_about_55_to_95_percent(rates: dict[str, list[float]]) -> None:
    typical = {d: median(monthly) for d, monthly in rates.items()}
    assert len(typical) == 9
    assert min(typical.values()) <= 0.65
    assert max(typical.values()) >= 0.90
    # spread over the whole range, not two outliers: a district in every ten points
    bands = {int(rate * 10) for rate in typical.values()}
    assert bands >= {5, 6, 7, 8, 9}, typical


def test_february_is_the_weak_month_in_every_district(rates: dict[str, list[float]]) -> None:
    for district, monthly in rates.items():
        by_month = dict(zip(MONTHS, monthly, strict=True))
        others = [rate for month, rate in by_month.items() if month not in FEBRUARIES]
        for february in FEBRUARIES:
            assert by_month[february] < min(others), (district, february, by_month)
            assert by_month[february] <= 0.8 * median(others), (district, february, by_month)


def test_one_district_improves_month_by_month_through_the_school_year(
    rates: dict[str, list[float]],
) -> None:
    by_month = {d: dict(zip(MONTHS, r, strict=True)) for d, r in rates.items()}
    gains = {d: r["2026-06"] - r["2025-09"] for d, r in by_month.items()}
    improving = [d for d, gain in gains.items() if gain >= 0.25]
    assert improving == ["D04"], gains
    # every term month above the one before; the others stay within ten points
    term = [by_month["D04"][m] for m in SCHOOL_YEAR]
    assert all(later > earlier for earlier, later in pairwise(term)), term
    assert all(abs(gain) <= 0.1 for d, gain in gains.items() if d != "D04"), gains


def test_one_school_stops_reporting_for_two_consecutive_months(shown: Inbox) -> None:
    orgs = organizations(shown)
    rows: dict[str, Counter[str]] = defaultdict(Counter)
    for row in shown.activity:
        code, month = orgs.resolve(row), _month(row["activity_date"] or "")
        if code and month in MONTHS:
            rows[orgs.school[code]][month] += 1
    assert len(orgs.schools) == 75
    silent = {s: [m for m in MONTHS if rows[s][m] == 0] for s in orgs.schools}
    assert {s: months for s, months in silent.items() if months} == {"S012": ["2025-11", "2025-12"]}


def test_some_branches_often_miss_their_activity_day(shown: Inbox) -> None:
    orgs = organizations(shown)
    held: dict[str, set[str]] = defaultdict(set)
    for row in approved(shown):
        label = (row["activity_type"] or "").lower()
        code = orgs.resolve(row)
        if activity_terms().get(label) == "activity_day" and code:
            held[code].add(_month(row["activity_date"]))
    coverage = sorted(len(held[unit]) / len(MONTHS) for unit in orgs.units)
    assert len(coverage) > 150
    assert sum(share <= 0.5 for share in coverage) >= 10, coverage  # often missed
    assert median(coverage) >= 0.75, coverage  # most hold it most months
    # and districts differ: the share of a district's units holding it, over all months
    units_of = Counter(orgs.district[u] for u in orgs.units)
    per_district = {
        d: sum(len(held[u]) for u in orgs.units if orgs.district[u] == d) / (n * len(MONTHS))
        for d, n in units_of.items()
    }
    assert max(per_district.values()) - min(per_district.values()) >= 0.12, per_district
