"""The files that describe the bureau: districts, organizations, and one roster per zone.

The rosters are .xlsx workbooks (sheet 花名册) as zones keep them: some with a title
row above the header, some with native Excel dates and some with dates typed as
text, person types written as 党员 or 中共党员, 群众 or 教职工.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa

from demo.organizations import BRANCH, SCHOOL, Tree
from demo.people import APPLICANT, NO_JOINED, NO_LEFT, People
from demo.rhythm import FIRST_DATE, REFERENCE_DATE
from demo.writers import write_csv, write_workbook

DISTRICTS_FILE = "districts.csv"
ORGANIZATIONS_FILE = "organizations.csv"

ROSTER_HEADERS = (
    (
        "人员编号",
        "姓名",
        "性别",
        "人员类别",
        "职务",
        "组织编码",
        "组织名称",
        "加入日期",
        "离开日期",
        "身份证号",
        "手机号",
    ),
    (
        "工号",
        "姓名",
        "性别",
        "人员类型",
        "岗位",
        "单位编码",
        "单位名称",
        "入职日期",
        "调离日期",
        "身份证号码",
        "联系电话",
    ),
)
TYPE_WORDS = (
    ("党员", "预备党员", "入党积极分子", "群众", "学生"),
    ("中共党员", "中共预备党员", "入党积极分子", "教职工", "学生"),
)
CANDIDATE_WORD = "发展对象"
TITLED_ZONES = ("D01", "D04", "D07")


def write_districts(out: Path, tree: Tree) -> str:
    table = pa.table(
        {
            "协作区编码": tree.district_codes,
            "协作区": tree.district_names,
            "区域类型": ["协作区"] * len(tree.district_codes),
        }
    )
    write_csv(table, out / DISTRICTS_FILE, "utf-8")
    return DISTRICTS_FILE


def write_organizations(out: Path, tree: Tree) -> str:
    parent = [tree.code[p] if p >= 0 else None for p in tree.parent]
    district = [
        None if tree.kind[i] == BRANCH else tree.district_codes[tree.district[i]]
        for i in range(tree.size)
    ]
    flag = [
        "是" if tree.is_demonstration_site[i] else ("否" if tree.kind[i] == SCHOOL else None)
        for i in range(tree.size)
    ]
    table = pa.table(
        {
            "组织编码": tree.code,
            "组织名称": tree.name,
            "组织类型": tree.type_label,
            "上级组织编码": pa.array(parent, pa.string()),
            "协作区编码": pa.array(district, pa.string()),
            "是否示范点": pa.array(flag, pa.string()),
        }
    )
    write_csv(table, out / ORGANIZATIONS_FILE, "utf-8-sig", eol="\r\n")
    return ORGANIZATIONS_FILE


def _date(day: int) -> dt.date:
    return FIRST_DATE + dt.timedelta(days=int(day))


def roster_paths(tree: Tree) -> list[str]:
    """Where each zone's roster goes, relative to the inbox."""
    return [
        f"roster/{zone}_{tree.district_names[d]}花名册.xlsx"
        for d, zone in enumerate(tree.district_codes)
    ]


def write_rosters(out: Path, tree: Tree, people: People) -> list[tuple[str, int]]:
    """One workbook per zone with the people of its schools (the offices go with D01)."""
    written = []
    paths = roster_paths(tree)
    roster = people.roster
    zone_of_person = tree.district[people.host[roster]]
    for d, zone in enumerate(tree.district_codes):
        variant = d % 2
        native_dates = d % 3 != 1
        phone_as_number = d in (2, 5)
        headers = ROSTER_HEADERS[variant]
        rows: list[list[object]] = []
        if zone in TITLED_ZONES:
            rows.append(
                [
                    f"{tree.district_names[d]}教职工及学生志愿者花名册（截至{REFERENCE_DATE:%Y年%m月%d日}）"
                ]
            )
        rows.append(list(headers))
        for i in roster[zone_of_person == d]:
            kind = int(people.person_type[i])
            word = TYPE_WORDS[variant][kind]
            if kind == APPLICANT and people.is_candidate[i]:
                word = CANDIDATE_WORD
            joined = None if people.joined[i] == NO_JOINED else _date(people.joined[i])
            left = None if people.left[i] == NO_LEFT else _date(people.left[i])
            org = int(people.org[i])
            rows.append(
                [
                    people.pid[i],
                    people.name[i],
                    "女" if people.female[i] else "男",
                    word,
                    people.role[i],
                    tree.code[org],
                    tree.name[org],
                    _cell_date(joined, native_dates, variant),
                    _cell_date(left, native_dates, variant),
                    people.id_number[i],
                    int(people.phone[i]) if phone_as_number else people.phone[i],
                ]
            )
        widths = (12, 8, 6, 12, 10, 10, 28, 12, 12, 20, 14)
        write_workbook(out / paths[d], "花名册", rows, widths=widths)
        people_rows = len(rows) - 1 - (zone in TITLED_ZONES)
        written.append((paths[d], people_rows))
    return written


def _cell_date(value: dt.date | None, native: bool, variant: int) -> object:
    if value is None:
        return None
    if native:
        return value
    return f"{value.year}/{value.month}/{value.day}" if variant else value.isoformat()
