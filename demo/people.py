"""About 6,000 people: party members, probationary members, applicants, staff, students.

Each school has its secretary, principal, party-work officers (党建专干), a secretary
and committee members per branch, homeroom teachers (班主任; 83% of them members, as
the article says) and student volunteers. Some people join or leave during the 24
months (new hires, transfers, students who graduate or enrol). A few "ghosts" per
school appear in activity logs but not on the roster.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from demo.identity import id_numbers, phone_numbers
from demo.names import person_names
from demo.organizations import OFFICE, Tree
from demo.rhythm import FIRST_DATE, Calendar

PERSON_TYPES = ("member", "probationary", "applicant", "staff", "student")
MEMBER, PROBATIONARY, APPLICANT, STAFF, STUDENT = range(5)
PARTY_TYPES = (MEMBER, PROBATIONARY, APPLICANT)
SCHOOL_MIX = (0.34, 0.03, 0.07, 0.36, 0.20)
OFFICE_MIX = (0.70, 0.05, 0.05, 0.20, 0.0)
SCHOOL_SIZE_MEDIAN = 78
OFFICE_SIZES = (42, 28)
GHOSTS_PER_HOST = 2
HOMEROOM_SHARE = 0.25  # of a school's teachers
HOMEROOM_MEMBER_SHARE = 0.83
ACTIVENESS_SIGMA = 0.8  # spread of how often people volunteer (log-normal)

NO_JOINED = -(10**6)  # joined date left empty on the roster
NO_LEFT = 10**6  # still there

SECRETARY = "党组织书记"
PRINCIPAL = "校长"
PARTY_OFFICER = "党建专干"
BRANCH_SECRETARY = "支部书记"
COMMITTEE_MEMBER = "支部委员"
HOMEROOM = "班主任"
TEACHER = "教师"
COMMITTEE_ROLES = (SECRETARY, PRINCIPAL, PARTY_OFFICER, BRANCH_SECRETARY, COMMITTEE_MEMBER)
TRAINEE_ROLES = (SECRETARY, PARTY_OFFICER, BRANCH_SECRETARY)


@dataclass(frozen=True)
class People:
    """One entry per person; roster people first, then the ghosts."""

    pid: np.ndarray  # person number (工号 / 学号), object
    name: np.ndarray  # object
    female: np.ndarray
    person_type: np.ndarray  # index into PERSON_TYPES
    is_candidate: np.ndarray  # an applicant who is a 发展对象
    role: np.ndarray  # object
    org: np.ndarray  # roster organization
    host: np.ndarray  # the school or office
    birth: np.ndarray  # datetime64[D]
    id_number: np.ndarray  # object
    phone: np.ndarray  # object
    joined: np.ndarray  # day index from FIRST_DATE; NO_JOINED when empty on the roster
    left: np.ndarray  # day index; NO_LEFT when still there
    community: np.ndarray  # home community index
    is_ghost: np.ndarray
    activeness: np.ndarray  # how often the person volunteers, relative

    @property
    def size(self) -> int:
        return len(self.pid)

    @property
    def roster(self) -> np.ndarray:
        return np.flatnonzero(~self.is_ghost)


def _host_sizes(rng: np.random.Generator, tree: Tree) -> dict[int, int]:
    sizes = {}
    offices = iter(OFFICE_SIZES)
    for host in tree.hosts:
        if tree.kind[host] == OFFICE:
            sizes[int(host)] = next(offices)
        else:
            drawn = rng.lognormal(np.log(SCHOOL_SIZE_MEDIAN), 0.42)
            sizes[int(host)] = int(np.clip(round(drawn), 28, 220))
    return sizes


def build_people(
    rng: np.random.Generator, tree: Tree, cal: Calendar, communities_per_district: int
) -> People:
    """The roster of every school and office, then a few ghosts per host."""
    sizes = _host_sizes(rng, tree)
    hosts: list[np.ndarray] = []
    types: list[np.ndarray] = []
    orgs: list[np.ndarray] = []
    roles: list[np.ndarray] = []
    for one_host, size in sizes.items():
        branches = tree.branches_of(one_host)
        mix = OFFICE_MIX if tree.kind[one_host] == OFFICE else SCHOOL_MIX
        counts = rng.multinomial(size, mix)
        counts[MEMBER] = max(counts[MEMBER], 3 * len(branches) + 5)
        kinds = np.repeat(np.arange(5), counts)
        org = np.full(len(kinds), one_host, dtype=np.int32)
        party = np.flatnonzero(np.isin(kinds, PARTY_TYPES))
        if len(branches):
            # members first, round-robin, so every branch has at least three members
            members = np.flatnonzero(kinds == MEMBER)
            org[members] = branches[np.arange(len(members)) % len(branches)]
            others = np.setdiff1d(party, members)
            org[others] = rng.choice(branches, len(others))
        role = _roles(rng, tree, one_host, kinds, org, branches)
        hosts.append(np.full(len(kinds), one_host, dtype=np.int32))
        types.append(kinds.astype(np.int8))
        orgs.append(org)
        roles.append(role)
    roster_host = np.concatenate(hosts)
    roster_type = np.concatenate(types)
    ghost_host = np.repeat(tree.hosts.astype(np.int32), GHOSTS_PER_HOST)
    ghost_type = np.where(
        (rng.random(len(ghost_host)) < 0.5) & (tree.kind[ghost_host] != OFFICE), STUDENT, STAFF
    ).astype(np.int8)
    host = np.concatenate([roster_host, ghost_host])
    person_type = np.concatenate([roster_type, ghost_type])
    org = np.concatenate([np.concatenate(orgs), ghost_host])
    role = np.concatenate(
        [
            np.concatenate(roles),
            np.where(ghost_type == STUDENT, "学生志愿者", TEACHER).astype(object),
        ]
    )
    is_ghost = np.arange(len(host)) >= len(roster_host)
    count = len(host)
    student = person_type == STUDENT
    female = rng.random(count) < np.where(student, 0.5, 0.68)
    birth = _birth_dates(rng, tree, host, student)
    joined, left = _tenure(rng, cal, birth, student)
    joined[is_ghost] = rng.integers(0, cal.days, int(is_ghost.sum()))
    left[is_ghost] = NO_LEFT
    district = tree.district[host].astype(np.int64)
    local = rng.random(count) < 0.8
    community = np.where(
        local,
        district * communities_per_district + rng.integers(0, communities_per_district, count),
        rng.integers(0, communities_per_district * len(tree.district_codes), count),
    ).astype(np.int16)
    return People(
        pid=_person_numbers(rng, student, joined, cal),
        name=person_names(rng, female),
        female=female,
        person_type=person_type,
        is_candidate=(person_type == APPLICANT) & (rng.random(count) < 0.4),
        role=role,
        org=org.astype(np.int32),
        host=host,
        birth=birth,
        id_number=id_numbers(rng, birth, female),
        phone=phone_numbers(rng, count),
        joined=joined,
        left=left,
        community=community,
        is_ghost=is_ghost,
        activeness=rng.lognormal(0.0, ACTIVENESS_SIGMA, count),
    )


def _roles(
    rng: np.random.Generator,
    tree: Tree,
    host: int,
    kinds: np.ndarray,
    org: np.ndarray,
    branches: np.ndarray,
) -> np.ndarray:
    """Roles within one school or office; everyone gets one."""
    role = np.where(kinds == STUDENT, "学生志愿者", "").astype(object)
    students = np.flatnonzero(kinds == STUDENT)
    role[students[rng.random(len(students)) < 0.2]] = "学生干部"
    members = list(rng.permutation(np.flatnonzero(kinds == MEMBER)))
    for branch in branches:
        in_branch = [m for m in members if org[m] == branch]
        for title in (BRANCH_SECRETARY, COMMITTEE_MEMBER, COMMITTEE_MEMBER)[: len(in_branch)]:
            chosen = in_branch.pop()
            members.remove(chosen)
            role[chosen] = title
    office = tree.kind[host] == OFFICE
    heads = (PARTY_OFFICER, BRANCH_SECRETARY) if office else (SECRETARY, PRINCIPAL, PARTY_OFFICER)
    if not office and rng.random() < 0.5:
        heads = (*heads, PARTY_OFFICER)
    for title in heads[: len(members)]:
        role[members.pop()] = title
    free = np.flatnonzero((role == "") & (kinds != STUDENT))
    if office:
        role[free] = "机关干部"
        return role
    free_members = free[kinds[free] == MEMBER]
    free_others = free[kinds[free] != MEMBER]
    # fewer homeroom teachers where members are few, so that 83% of them are members
    homeroom = min(
        round(HOMEROOM_SHARE * np.count_nonzero(kinds != STUDENT)),
        int(len(free_members) / HOMEROOM_MEMBER_SHARE),
    )
    from_members = round(homeroom * HOMEROOM_MEMBER_SHARE)
    from_others = min(len(free_others), homeroom - from_members)
    role[rng.choice(free_members, from_members, replace=False)] = HOMEROOM
    role[rng.choice(free_others, from_others, replace=False)] = HOMEROOM
    rest = np.flatnonzero(role == "")
    roll = rng.random(len(rest))
    role[rest] = np.where(roll < 0.85, TEACHER, np.where(roll < 0.95, "行政人员", "后勤人员"))
    return role


def _birth_dates(
    rng: np.random.Generator, tree: Tree, host: np.ndarray, student: np.ndarray
) -> np.ndarray:
    count = len(host)
    adult_year = np.round(rng.triangular(1966, 1986, 2001, count)).astype(int)
    level = np.array(tree.level, dtype=object)[host]
    student_year = np.where(
        level == "primary",
        rng.integers(2014, 2018, count),
        np.where(
            level == "vocational", rng.integers(2007, 2011, count), rng.integers(2008, 2013, count)
        ),
    )
    year = np.where(student, student_year, adult_year)
    day_of_year = rng.integers(0, 365, count)
    starts = (year - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    return starts + day_of_year


def _tenure(
    rng: np.random.Generator, cal: Calendar, birth: np.ndarray, student: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Joined and left day indices: most people were there all along, some move."""
    count = len(birth)
    first = np.datetime64(FIRST_DATE)
    birth_year = birth.astype("datetime64[Y]").astype(int) + 1970
    start_year = np.maximum(birth_year + rng.integers(22, 27, count), 1988)
    start_year = np.minimum(start_year, 2024)
    september = (start_year - 1970).astype("datetime64[Y]").astype("datetime64[M]") + 8
    on_first = rng.random(count) < 0.6
    joined_date = np.where(
        on_first,
        september.astype("datetime64[D]"),
        september.astype("datetime64[D]") + rng.integers(-240, 60, count),
    )
    joined = (joined_date - first).astype(np.int64)
    joined = np.minimum(joined, -1)
    left = np.full(count, NO_LEFT, dtype=np.int64)
    roll = rng.random(count)
    moved_in = ~student & (roll < 0.04)
    moved_out = ~student & (roll >= 0.04) & (roll < 0.07)
    joined[moved_in] = rng.integers(20, cal.days - 20, int(moved_in.sum()))
    left[moved_out] = rng.integers(20, cal.days - 20, int(moved_out.sum()))
    joined[~student & (roll >= 0.90)] = NO_JOINED
    # students: graduates of 2025 and 2026, the ones staying, new intakes of 2025 and 2026
    cohort = rng.choice(5, count, p=(0.25, 0.25, 0.2, 0.15, 0.15))

    def day(iso: str) -> int:
        return int((np.datetime64(iso) - first).astype(int))

    cohort_joined = np.array(
        [
            day("2022-09-01"),
            day("2023-09-01"),
            day("2024-09-01"),
            day("2025-09-01"),
            day("2026-09-01"),
        ]
    )
    cohort_left = np.array([day("2025-06-30"), day("2026-06-30"), NO_LEFT, NO_LEFT, NO_LEFT])
    joined = np.where(student, cohort_joined[cohort], joined)
    left = np.where(student, cohort_left[cohort], left)
    return joined.astype(np.int32), left.astype(np.int32)


def _person_numbers(
    rng: np.random.Generator, student: np.ndarray, joined: np.ndarray, cal: Calendar
) -> np.ndarray:
    """Staff numbers T + 6 digits; student numbers X + entry year + 5 digits."""
    count = len(student)
    staff_numbers = rng.choice(900_000, count, replace=False) + 100_000
    student_serial = rng.choice(100_000, count, replace=False)
    entry_year = (
        np.datetime64(FIRST_DATE) + np.maximum(joined, -3650).astype("timedelta64[D]")
    ).astype("datetime64[Y]").astype(int) + 1970
    staff = np.char.add("T", staff_numbers.astype(str))
    pupil = np.char.add(
        np.char.add("X", entry_year.astype(str)), np.char.zfill(student_serial.astype(str), 5)
    )
    return np.where(student, pupil, staff).astype(object)
