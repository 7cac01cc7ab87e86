"""The demo's story: what a leader should see when the figures differ, and where.

A bureau's districts never take part equally. This fixed table (not drawn from the
seed, so every inbox tells the same story) gives each 协作区 its share of roster
members who take part in a month, from about 55% to 95%; February (寒假 and 春节)
is the weak month everywhere, August a little below term time; the fourth zone
improves through the 2025/26 school year; one school stops reporting for two
months; and some branches miss their activity day (党员活动日) more often than not,
more of them where participation is low.

These are targets for who *may* take part in a month (``demo.engagement``); the
logs reach them when they hold enough rows to give everyone chosen a session, as
the default 300,000 rows do. Smaller inboxes keep the shape at lower levels.
"""

from __future__ import annotations

import numpy as np

from demo.organizations import Tree
from demo.rhythm import FIRST_DATE, MONTHS, Calendar

# Share of a district's roster members who may take part in a term month.
PARTICIPATION: dict[str, float] = {
    "D01": 0.97,
    "D02": 0.84,
    "D03": 0.72,
    "D04": 0.55,  # before it improves, see IMPROVING
    "D05": 0.90,
    "D06": 0.60,
    "D07": 0.80,
    "D08": 0.66,
    "D09": 0.76,
}
# The district that improves month by month over a school year, from its value in
# PARTICIPATION to this one, then keeps it.
IMPROVING = "D04"
IMPROVING_FROM, IMPROVING_TO = "2025-09", "2026-06"
IMPROVED = 0.95
# Months of the year (1-12) when fewer take part, and by how much.
SEASON: dict[int, float] = {2: 0.62, 7: 0.95, 8: 0.86}
# A school that sends nothing for two consecutive months (its people take no part).
SILENT_SCHOOL = "S012"
SILENT_MONTHS = ("2025-11", "2025-12")
# Units (branches, schools without branches) that often skip the activity day: their
# share is (1 - participation) x WEAK_UNITS_PER_GAP, and they hold it this much less often.
WEAK_UNITS_PER_GAP = 1.0
WEAK_UNIT_SHARE_RANGE = (0.03, 0.5)
WEAK_UNIT_CHANCE = 0.45


def month_index(label: str) -> int:
    """The window's month number (0 for the first month) of ``YYYY-MM``."""
    return int((np.datetime64(label, "M") - np.datetime64(FIRST_DATE, "M")).astype(int))


def participation_targets(cal: Calendar, tree: Tree) -> np.ndarray:
    """Share of each district's roster who may take part, per [district, month]."""
    month_of_year = cal.month_of_year[cal.month_first_day[:-1]].astype(int)
    season = np.array([SEASON.get(int(m), 1.0) for m in month_of_year])
    targets = np.array([[PARTICIPATION[code]] * MONTHS for code in tree.district_codes])
    if IMPROVING in tree.district_codes:
        first, last = month_index(IMPROVING_FROM), month_index(IMPROVING_TO)
        progress = np.clip((np.arange(MONTHS) - first) / (last - first), 0.0, 1.0)
        start = PARTICIPATION[IMPROVING]
        targets[tree.district_codes.index(IMPROVING)] = start + (IMPROVED - start) * progress
    return np.clip(targets * season, 0.0, 1.0)


def silent_school(tree: Tree) -> int:
    """The organization index of the school that stops reporting (-1 if there is none)."""
    return tree.code.index(SILENT_SCHOOL) if SILENT_SCHOOL in tree.code else -1


def weak_unit_share(tree: Tree) -> np.ndarray:
    """Per district, the share of its units that often skip the activity day."""
    mean = np.array([PARTICIPATION[code] for code in tree.district_codes])
    if IMPROVING in tree.district_codes:
        where = tree.district_codes.index(IMPROVING)
        mean[where] = (PARTICIPATION[IMPROVING] + IMPROVED) / 2
    return np.clip((1 - mean) * WEAK_UNITS_PER_GAP, *WEAK_UNIT_SHARE_RANGE)
