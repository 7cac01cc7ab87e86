"""The demo's calendar: a fixed 24-month window, school breaks, holidays and day weights.

The window ends on ``REFERENCE_DATE``, a constant, never today's date, so the output
does not depend on when it is generated. Weights are relative chances that an event
falls on a day; they give the year its rhythm: quiet summer and winter breaks, a peak
around 3月5日 (学雷锋纪念日) and the activity days around 7月1日.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

REFERENCE_DATE = dt.date(2026, 10, 31)
"""The last day with activity: the end of the last full month before the data cut-off."""
MONTHS = 24
FIRST_DATE = dt.date(2024, 11, 1)

# School breaks (寒假, 暑假): few school activities, more home visits and community duty.
BREAKS: tuple[tuple[str, str, str], ...] = (
    ("winter", "2025-01-18", "2025-02-16"),
    ("summer", "2025-07-12", "2025-08-31"),
    ("winter", "2026-01-24", "2026-03-01"),
    ("summer", "2026-07-11", "2026-08-31"),
)
# Public holidays outside the breaks (元旦, 清明, 劳动节, 端午, 国庆).
HOLIDAYS: tuple[tuple[str, str], ...] = (
    ("2025-01-01", "2025-01-01"),
    ("2025-04-04", "2025-04-06"),
    ("2025-05-01", "2025-05-05"),
    ("2025-05-31", "2025-06-02"),
    ("2025-10-01", "2025-10-08"),
    ("2026-01-01", "2026-01-03"),
    ("2026-04-04", "2026-04-06"),
    ("2026-05-01", "2026-05-05"),
    ("2026-06-19", "2026-06-21"),
    ("2026-10-01", "2026-10-07"),
)


@dataclass(frozen=True)
class Calendar:
    """One entry per day of the window, and where months and quarters start."""

    dates: np.ndarray  # datetime64[D]
    month: np.ndarray  # 0 .. MONTHS-1
    month_of_year: np.ndarray  # 1 .. 12
    day_of_month: np.ndarray  # 1 .. 31
    weekday: np.ndarray  # 0 = Monday
    winter: np.ndarray  # bool: winter break
    summer: np.ndarray  # bool: summer break
    holiday: np.ndarray  # bool: public holiday
    month_first_day: np.ndarray  # day index where each month starts, plus the end
    quarter: np.ndarray  # quarter index per day
    quarter_labels: tuple[str, ...]  # e.g. "2025Q1"

    @property
    def days(self) -> int:
        return len(self.dates)

    @property
    def is_break(self) -> np.ndarray:
        return self.winter | self.summer

    @property
    def is_weekend(self) -> np.ndarray:
        return self.weekday >= 5

    def mask(self, first: str, last: str) -> np.ndarray:
        """Days from ``first`` to ``last`` (ISO dates, inclusive)."""
        return (self.dates >= np.datetime64(first)) & (self.dates <= np.datetime64(last))

    def same_day_each_year(self, month: int, day: int) -> np.ndarray:
        return (self.month_of_year == month) & (self.day_of_month == day)

    def day_index(self, iso: str) -> int:
        return int((np.datetime64(iso) - self.dates[0]).astype(int))


def build_calendar() -> Calendar:
    """The fixed window from ``FIRST_DATE`` to ``REFERENCE_DATE``."""
    dates = np.arange(
        np.datetime64(FIRST_DATE), np.datetime64(REFERENCE_DATE) + 1, dtype="datetime64[D]"
    )
    months = dates.astype("datetime64[M]")
    years = months.astype("datetime64[Y]").astype(int) + 1970
    month_of_year = months.astype(int) % 12 + 1
    day_of_month = (dates - months.astype("datetime64[D]")).astype(int) + 1
    month = (months - months[0]).astype(int)
    # 1970-01-01 was a Thursday (weekday 3).
    weekday = (dates.astype(int) + 3) % 7
    quarter_keys = years * 4 + (month_of_year - 1) // 3
    unique_keys, quarter = np.unique(quarter_keys, return_inverse=True)
    labels = tuple(f"{k // 4}Q{k % 4 + 1}" for k in unique_keys)
    cal = Calendar(
        dates=dates,
        month=month.astype(np.int16),
        month_of_year=month_of_year.astype(np.int8),
        day_of_month=day_of_month.astype(np.int8),
        weekday=weekday.astype(np.int8),
        winter=np.zeros(len(dates), bool),
        summer=np.zeros(len(dates), bool),
        holiday=np.zeros(len(dates), bool),
        month_first_day=np.searchsorted(month, np.arange(MONTHS + 1)).astype(np.int32),
        quarter=quarter.astype(np.int16),
        quarter_labels=labels,
    )
    for kind, first, last in BREAKS:
        getattr(cal, kind)[cal.mask(first, last)] = True
    for first, last in HOLIDAYS:
        cal.holiday[cal.mask(first, last)] = True
    return cal


def break_share_by_month(cal: Calendar) -> np.ndarray:
    """The share of each month's days that fall in a school break."""
    counts = np.bincount(cal.month, minlength=MONTHS)
    return np.bincount(cal.month, weights=cal.is_break, minlength=MONTHS) / counts


def volunteer_day_weight(cal: Calendar) -> np.ndarray:
    """How likely a volunteer service falls on each day, before per-type adjustments."""
    weight = np.where(cal.is_weekend, 1.3, 1.0)
    weight = np.where(cal.is_break, np.where(cal.is_weekend, 0.40, 0.35), weight)
    weight = np.where(cal.holiday, 0.45, weight)
    lei_feng = (cal.month_of_year == 3) & (cal.day_of_month <= 10)
    weight = np.where(lei_feng, weight * 2.5, weight)
    weight = np.where(cal.same_day_each_year(3, 5), weight * 2.2, weight)
    july_first = ((cal.month_of_year == 6) & (cal.day_of_month >= 28)) | (
        (cal.month_of_year == 7) & (cal.day_of_month <= 3)
    )
    weight = np.where(july_first, weight * 1.6, weight)
    return np.where(cal.same_day_each_year(12, 5), weight * 2.5, weight)


def type_day_factor(cal: Calendar, code: str) -> np.ndarray:
    """Per-type adjustments to the volunteer rhythm (home visits in the breaks ...)."""
    factor = np.ones(cal.days)
    term_weekday = ~cal.is_break & ~cal.holiday & ~cal.is_weekend
    if code in ("home_visit", "pairing_support"):
        factor = np.where(cal.is_break, 3.5, np.where(cal.is_weekend, 0.8, 1.0))
    elif code == "community_report":
        factor = np.where(cal.winter, 2.5, np.where(cal.is_weekend | cal.holiday, 1.5, 1.0))
    elif code == "traffic_safety":
        factor = np.where(term_weekday, 1.8, 0.1)
    elif code == "supporting_teaching":
        factor = np.where(term_weekday, 1.5, 0.05)
    elif code == "culture_sports":
        factor = np.where(cal.is_weekend, 1.5, 1.0)
    elif code == "environmental_protection":
        factor = np.where(cal.same_day_each_year(3, 12), 3.0, 1.0)
        factor = np.where(cal.same_day_each_year(6, 5), 2.0, factor)
    elif code == "education_consulting":
        consulting = ((cal.month_of_year == 6) & (cal.day_of_month >= 20)) | (
            (cal.month_of_year == 7) & (cal.day_of_month <= 10)
        )
        factor = np.where(consulting, 2.0, 1.0)
    elif code == "visits_talks":
        double_ninth = cal.mask("2025-10-29", "2025-10-29") | cal.mask("2026-10-18", "2026-10-18")
        factor = np.where(cal.winter, 2.0, 1.0)
        factor = np.where(double_ninth, 3.0, factor)
    elif code == "poverty_relief":
        factor = np.where(cal.same_day_each_year(10, 17), 3.0, 1.0)
    return factor


def org_life_day_weight(cal: Calendar, code: str) -> np.ndarray:
    """How likely a meeting of type ``code`` falls on each day of its month."""
    weight = np.where(cal.is_weekend, 0.05, 1.0)
    weight = np.where(cal.is_break, np.where(cal.is_weekend, 0.02, 0.08), weight)
    weight = np.where(cal.holiday, 0.0, weight)
    if code == "activity_day":
        first_week = cal.day_of_month <= 10
        weight = np.where(first_week, weight * 2.5, weight)
        late_june = (cal.month_of_year == 6) & (cal.day_of_month >= 26)
        weight = np.where(late_june, weight * 4.0, weight)
        # 7月1日 itself, whatever weekday it falls on.
        weight = np.where(cal.same_day_each_year(7, 1), 30.0, weight)
        lei_feng = (cal.month_of_year == 3) & (cal.day_of_month >= 3) & (cal.day_of_month <= 6)
        weight = np.where(lei_feng, weight * 3.0, weight)
    return weight


def training_day_weight(cal: Calendar) -> np.ndarray:
    """Training: term weekdays, some Saturdays, and the late-August summer courses."""
    weight = np.where(cal.weekday == 5, 0.2, np.where(cal.weekday == 6, 0.02, 1.0))
    weight = np.where(cal.is_break, 0.1, weight)
    summer_course = (cal.month_of_year == 8) & (cal.day_of_month >= 15) & (cal.weekday < 5)
    weight = np.where(summer_course, 8.0, weight)
    return np.where(cal.holiday, 0.0, weight)
