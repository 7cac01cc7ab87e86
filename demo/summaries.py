"""Event summaries (活动汇总): three schools that report their activities as headcounts.

Many schools keep no person-level log for their volunteer work: each month they send
the bureau one row per activity held, with how many took part and for how long
(DESIGN.md, "event summary"). Three schools, one in each of three zones, do so here,
one file per month, each in its own shape:

- a CSV with 组织编码, 活动日期 and 总时长 (the total hours of all participants);
- a CSV with 学校, 年份 and 月份 (no day: one activity on the month's first day) and 总时长;
- a workbook with 学校, native Excel dates and 人均时长 (hours per participant).

Most rows are volunteer services; most months also hold one 党员活动日. The files come
from their own random generator (``stages.SUMMARIES``), so the other files of the
inbox are byte for byte what they were without them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa

from demo.catalog import VOLUNTEER, Catalog
from demo.organizations import SCHOOL, Tree
from demo.rhythm import Calendar
from demo.stages import SUMMARIES, stage_rng
from demo.writers import write_csv, write_workbook

FOLDER = "events"
ZONES = (1, 4, 7)  # D02, D05, D08: one reporting school in each
ACTIVITY_DAY = "activity_day"
ACTIVITY_DAY_CHANCE = 0.8  # months with a 党员活动日 row
BREAK_MONTHS = (1, 2, 7, 8)
HOURS_EACH = (Decimal("1.5"), Decimal("2"), Decimal("2.5"), Decimal("3"), Decimal("4"))
ACTIVITY_DAY_HOURS = (Decimal("1.5"), Decimal("2"), Decimal("2.5"), Decimal("3"))
NUMBERS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Shape:
    """How one school writes its summaries."""

    headers: tuple[str, ...]
    suffix: str
    by_month: bool = False  # 年份 + 月份 instead of a date
    hours_each: bool = False  # 人均时长 instead of 总时长
    org_column: str = "code"  # code | name


SHAPES = (
    Shape(("组织编码", "活动日期", "活动类型", "活动名称", "参与人数", "总时长"), ".csv"),
    Shape(
        ("学校", "年份", "月份", "活动类型", "活动名称", "参与人数", "总时长"),
        ".csv",
        by_month=True,
        org_column="name",
    ),
    Shape(
        ("学校", "活动日期", "活动类型", "活动名称", "参与人数", "人均时长"),
        ".xlsx",
        hours_each=True,
        org_column="name",
    ),
)


@dataclass(frozen=True)
class Row:
    """One activity held: its day, type label, title, headcount and hours per person."""

    day: dt.date
    label: str
    title: str
    participants: int
    hours_each: Decimal

    @property
    def hours(self) -> Decimal:
        return self.participants * self.hours_each


def reporting_schools(seed: int, tree: Tree) -> list[int]:
    """One school in each of ``ZONES``."""
    rng = stage_rng(seed, SUMMARIES)
    return [
        int(rng.choice(np.flatnonzero((tree.kind == SCHOOL) & (tree.district == zone))))
        for zone in ZONES
    ]


def _month_rows(
    rng: np.random.Generator, cal: Calendar, catalog: Catalog, month: int, by_month: bool
) -> list[Row]:
    first, end = cal.month_first_day[month], cal.month_first_day[month + 1]
    days = [d for d in range(first, end) if not cal.holiday[d]]
    volunteer = catalog.indices(VOLUNTEER)
    month_of_year = int(cal.month_of_year[first])
    count = (
        1 + int(rng.integers(0, 3))
        if month_of_year in BREAK_MONTHS
        else 2 + int(rng.integers(0, 5))
    )
    picked: list[tuple[int, int]] = []  # (type index, day index)
    if catalog.has(ACTIVITY_DAY) and rng.random() < ACTIVITY_DAY_CHANCE:
        weekdays = [d for d in days if cal.weekday[d] < 5] or days
        picked.append((catalog.index(ACTIVITY_DAY), int(rng.choice(weekdays))))
    for _ in range(count):
        picked.append((int(rng.choice(volunteer)), int(rng.choice(days))))
    rows: list[Row] = []
    seen: set[tuple[dt.date, str, str]] = set()
    for kind, day in sorted(picked, key=lambda p: (p[1], p[0])):
        activity = catalog.types[kind]
        titles = catalog.profile(kind).titles or (activity.name_zh,)
        title = str(rng.choice(titles))
        date = cal.dates[first if by_month else day].astype(dt.date)
        repeat = 1
        while (date, activity.name_zh, title) in seen:  # no two rows alike: no duplicates
            repeat += 1
            title = f"{title.split('（')[0]}（{NUMBERS[min(repeat, 10) - 1]}）"
        seen.add((date, activity.name_zh, title))
        each = ACTIVITY_DAY_HOURS if activity.code == ACTIVITY_DAY else HOURS_EACH
        rows.append(
            Row(
                day=date,
                label=activity.name_zh,
                title=title,
                participants=int(rng.integers(8, 41 if activity.code == ACTIVITY_DAY else 61)),
                hours_each=each[int(rng.integers(0, len(each)))],
            )
        )
    return rows


def _number(value: Decimal) -> str:
    """``90`` or ``37.5``: hours as a school types them."""
    return format(value.normalize(), "f")


def _cells(shape: Shape, org: str, row: Row) -> list[object]:
    when: list[object] = [row.day.year, row.day.month] if shape.by_month else [row.day]
    hours = row.hours_each if shape.hours_each else row.hours
    return [org, *when, row.label, row.title, row.participants, hours]


def _write(out: Path, path: str, shape: Shape, org: str, rows: list[Row]) -> None:
    cells = [_cells(shape, org, row) for row in rows]
    if shape.suffix == ".xlsx":
        values = [[float(c) if isinstance(c, Decimal) else c for c in line] for line in cells]
        write_workbook(out / path, "活动汇总", [list(shape.headers), *values], (28, 12, 12, 24))
        return
    columns = list(zip(*cells, strict=True))
    table = pa.table(
        {
            header: [_number(v) if isinstance(v, Decimal) else str(v) for v in column]
            for header, column in zip(shape.headers, columns, strict=True)
        }
    )
    write_csv(table, out / path, "utf-8-sig", eol="\r\n")


def _months(cal: Calendar) -> range:
    return range(len(cal.month_first_day) - 1)


def summary_paths(seed: int, tree: Tree, cal: Calendar) -> list[str]:
    """Where each school's monthly files go, relative to the inbox, in writing order."""
    paths = []
    for shape, school in zip(SHAPES, reporting_schools(seed, tree), strict=True):
        for month in _months(cal):
            first = cal.dates[cal.month_first_day[month]].astype(dt.date)
            paths.append(
                f"{FOLDER}/{tree.code[school]}_{tree.name[school]}/"
                f"{first.year}年{first.month:02d}月活动汇总{shape.suffix}"
            )
    return paths


def write_summaries(
    out: Path, seed: int, tree: Tree, cal: Calendar, catalog: Catalog
) -> list[dict[str, object]]:
    """Write every school's monthly summary file; describe each file written."""
    schools = reporting_schools(seed, tree)
    paths = iter(summary_paths(seed, tree, cal))
    written: list[dict[str, object]] = []
    for number, (shape, school) in enumerate(zip(SHAPES, schools, strict=True), start=1):
        rng = stage_rng(seed, SUMMARIES, number)
        org = tree.code[school] if shape.org_column == "code" else tree.name[school]
        for month in _months(cal):
            rows = _month_rows(rng, cal, catalog, month, shape.by_month)
            path = next(paths)
            _write(out, path, shape, org, rows)
            written.append({"path": path, "kind": "events", "rows": len(rows)})
    return written
