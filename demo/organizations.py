"""The bureau's tree: 9 cooperation zones (协作区), 75 schools, their branches, two offices.

As in the source article, the bureau groups its 75 party organizations into 9
协作区 and has 17 demonstration sites (党建示范点). Branches (党支部) are built on
subject, grade or project groups and inherit their school's district.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from demo.names import OFFICES, branch_groups, district_name, school_names

SCHOOLS_PER_DISTRICT = (9, 8, 8, 8, 9, 8, 8, 9, 8)
DEMONSTRATION_SITES = 17
BRANCH_COUNTS = (0, 1, 2, 3, 4)
BRANCH_CHANCES = (0.15, 0.15, 0.30, 0.25, 0.15)
OFFICE_DISTRICT = 0  # the offices sit with the first zone

SCHOOL, BRANCH, OFFICE = 0, 1, 2


@dataclass(frozen=True)
class Tree:
    """Districts and organizations; organization arrays are indexed by organization."""

    district_codes: list[str]
    district_names: list[str]
    code: list[str]
    name: list[str]
    kind: np.ndarray  # SCHOOL, BRANCH or OFFICE
    type_label: list[str]  # 学校 / 党委 / 党总支, 党支部, 机关
    parent: np.ndarray  # parent organization, -1 for none
    district: np.ndarray  # district index, inherited by branches
    host: np.ndarray  # the school or office an organization belongs to (itself for those)
    level: list[str]  # secondary, primary, vocational, office
    is_demonstration_site: np.ndarray

    @property
    def size(self) -> int:
        return len(self.code)

    @property
    def hosts(self) -> np.ndarray:
        """Schools and offices: the organizations that hold people and volunteer."""
        return np.flatnonzero(self.kind != BRANCH)

    @property
    def units(self) -> np.ndarray:
        """Where party life happens: branches, schools without branches, offices."""
        has_branch = np.zeros(self.size, bool)
        has_branch[self.parent[self.kind == BRANCH]] = True
        return np.flatnonzero((self.kind == BRANCH) | ((self.kind != BRANCH) & ~has_branch))

    def branches_of(self, host: int) -> np.ndarray:
        return np.flatnonzero((self.parent == host) & (self.kind == BRANCH))


def build_tree(rng: np.random.Generator) -> Tree:
    """The districts, schools, branches and offices of the demo bureau."""
    district_codes = [f"D{i + 1:02d}" for i in range(len(SCHOOLS_PER_DISTRICT))]
    district_names = [district_name(i + 1) for i in range(len(SCHOOLS_PER_DISTRICT))]
    schools = school_names(rng, sum(SCHOOLS_PER_DISTRICT))
    code: list[str] = []
    name: list[str] = []
    kind: list[int] = []
    label: list[str] = []
    parent: list[int] = []
    district: list[int] = []
    level: list[str] = []
    school_number = 0
    for d, count in enumerate(SCHOOLS_PER_DISTRICT):
        for _ in range(count):
            school_name, school_level = schools[school_number]
            school_number += 1
            school = len(code)
            branches = int(rng.choice(BRANCH_COUNTS, p=BRANCH_CHANCES))
            code.append(f"S{school_number:03d}")
            name.append(school_name)
            kind.append(SCHOOL)
            roll = rng.random()
            if branches >= 2 and roll < 0.6:
                label.append("党委")
            elif branches >= 2 and roll < 0.7:
                label.append("党总支")
            else:
                label.append("学校")
            parent.append(-1)
            district.append(d)
            level.append(school_level)
            for b, group in enumerate(branch_groups(rng, school_level, branches)):
                code.append(f"S{school_number:03d}B{b + 1}")
                name.append(f"{school_name}{group}党支部")
                kind.append(BRANCH)
                label.append("党支部")
                parent.append(school)
                district.append(d)
                level.append(school_level)
    for o, office in enumerate(OFFICES):
        code.append(f"JG{o + 1:02d}")
        name.append(office)
        kind.append(OFFICE)
        label.append("机关")
        parent.append(-1)
        district.append(OFFICE_DISTRICT)
        level.append("office")
    kind_array = np.array(kind, dtype=np.int8)
    parent_array = np.array(parent, dtype=np.int32)
    host = np.where(parent_array >= 0, parent_array, np.arange(len(code))).astype(np.int32)
    demo = np.zeros(len(code), bool)
    school_ids = np.flatnonzero(kind_array == SCHOOL)
    branch_ids = np.flatnonzero(kind_array == BRANCH)
    demo[rng.choice(school_ids, 10, replace=False)] = True
    demo[rng.choice(branch_ids, DEMONSTRATION_SITES - 10, replace=False)] = True
    return Tree(
        district_codes=district_codes,
        district_names=district_names,
        code=code,
        name=name,
        kind=kind_array,
        type_label=label,
        parent=parent_array,
        district=np.array(district, dtype=np.int16),
        host=host,
        level=level,
        is_demonstration_site=demo,
    )
