"""Districts, organizations and rosters; encodings and formats of the files."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

from tests.demo.readback import Inbox, normalize, read_seed

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
WINDOW = (dt.date(2024, 11, 1), dt.date(2026, 10, 31))


def valid_id(number: str) -> bool:
    """GB 11643-1999: 17 digits and a check character from the weighted sum mod 11."""
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return False
    return CHECK[sum(int(d) * w for d, w in zip(number, WEIGHTS, strict=False)) % 11] == number[17]


def test_the_check_digit_rule_itself() -> None:
    assert valid_id("11010519491231002X")
    assert valid_id("440524188001010014")
    assert not valid_id("110105194912310021")


def test_nine_cooperation_zones(small: Inbox) -> None:
    assert [d["district_code"] for d in small.districts] == [f"D{i:02d}" for i in range(1, 10)]
    assert {d["district_type"] for d in small.districts} == {"协作区"}


def test_75_schools_their_branches_offices_and_17_demonstration_sites(small: Inbox) -> None:
    orgs = small.organizations
    schools = {o["org_code"]: o for o in orgs if o["org_type"] in ("学校", "党委", "党总支")}
    branches = [o for o in orgs if o["org_type"] == "党支部"]
    offices = [o for o in orgs if o["org_type"] == "机关"]
    zones = {d["district_code"] for d in small.districts}
    assert len(schools) == 75
    assert {o["org_type"] for o in schools.values()} >= {"学校", "党委"}
    assert all(o["district_code"] in zones for o in schools.values())
    assert all(o["parent_org_code"] in schools and not o["district_code"] for o in branches)
    per_school = Counter(o["parent_org_code"] for o in branches)
    assert max(per_school.values()) == 4
    assert len(per_school) < 75  # some schools have no branch
    assert offices
    assert sum(o["is_demonstration_site"] == "是" for o in orgs) == 17


def test_about_6000_people_of_every_type_and_role(small: Inbox) -> None:
    people = small.people
    assert 5_000 <= len(people) <= 7_000
    terms = {}
    for row in read_seed("person_types.csv"):
        for word in [row["name_zh"], *row["aliases"].split("|")]:
            terms[word] = row["person_type_code"]
    kinds = Counter(terms.get(p["person_type"]) for p in people)
    assert set(kinds) == {"member", "probationary", "applicant", "staff", "student"}
    assert {p["person_type"] for p in people} >= {"入党积极分子", "发展对象"}
    roles = Counter(p["role"] for p in people)
    for role in ("班主任", "党建专干", "支部书记", "教师"):
        assert roles[role] > 0, role
    codes = {o["org_code"] for o in small.organizations}
    assert all(p["org_code"] in codes for p in people)


def test_most_homeroom_teachers_are_members_as_in_the_article(small: Inbox) -> None:
    members = {"党员", "中共党员"}
    homeroom = [p for p in small.people if p["role"] == "班主任"]
    share = sum(p["person_type"] in members for p in homeroom) / len(homeroom)
    assert 0.80 <= share <= 0.86  # "83%的班主任是党员教师"


def test_id_numbers_are_valid_and_phones_unique(small: Inbox) -> None:
    ids = [p["id_number"] for p in small.people]
    phones = [normalize(p["phone"]) for p in small.people]
    assert all(valid_id(i) for i in ids)
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"1\d{10}", p) for p in phones)
    assert len(set(phones)) == len(phones)


def test_some_people_join_or_leave_during_the_window(small: Inbox) -> None:
    def day(value: str | None) -> dt.date | None:
        if not value:
            return None
        y, m, d = (int(x) for x in re.split(r"[-/]", value[:10]))
        return dt.date(y, m, d)

    joined = [day(p["joined_date"]) for p in small.people]
    left = [day(p["left_date"]) for p in small.people]
    assert sum(1 for d in joined if d and WINDOW[0] <= d <= WINDOW[1]) > 100
    assert sum(1 for d in left if d and WINDOW[0] <= d <= WINDOW[1]) > 100
    assert sum(1 for d in joined if d is None) > 100  # left empty on the roster


def test_rosters_are_workbooks_some_with_a_title_row_and_native_dates(small: Inbox) -> None:
    assert len(small.rosters) == 9
    assert all(t.path.endswith(".xlsx") for t in small.rosters)
    assert any(t.title_rows for t in small.rosters)
    assert any(not t.title_rows for t in small.rosters)
    date_cells = [cells[t.columns["joined_date"]] for t in small.rosters for cells in t.raw[:50]]
    assert any(isinstance(c, dt.datetime) for c in date_cells)
    assert any(isinstance(c, str) for c in date_cells)


def test_files_come_in_every_encoding_and_some_in_english(small: Inbox) -> None:
    encodings = Counter(t.encoding for t in small.logs)
    assert encodings["gb18030"] > 0
    assert encodings["utf-8-sig"] > 0
    assert encodings["utf-8"] > 0
    gb = next(t for t in small.logs if t.encoding == "gb18030")
    raw = (small.root / gb.path).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    english = [t for t in small.logs if {"person_id", "date", "hours", "type"} <= set(t.headers)]
    assert english
    alias_sets = Counter(tuple(t.headers) for t in small.logs)
    assert len(alias_sets) >= 5  # templates differ from sender to sender
    assert any(t.title_rows for t in small.logs)


def test_logs_are_per_district_or_school_and_quarter(small: Inbox) -> None:
    names = [Path(t.path) for t in small.logs]
    assert Path("logs/2025Q1/D03_第三协作区.csv") in names
    assert any(re.fullmatch(r"S\d{3}_.+", n.stem) for n in names)
    assert {n.parent.name for n in names} == {
        "2024Q4", "2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026Q1", "2026Q2", "2026Q3", "2026Q4"
    }  # fmt: skip
