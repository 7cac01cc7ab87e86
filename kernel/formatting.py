"""Numbers and months as people read them, for the dashboard and the exports alike.

Every figure is rounded once, half up, from its exact value (whole minutes, counts);
Chinese large numbers read in 万 or 亿 (12,345 -> 1.2万) on tiles and charts, while a
table column writes every figure in full (``table_count``, ``table_hours``), so one
column never mixes the two; a month reads 2025年3月 or Mar 2025. Month arithmetic on
``YYYY-MM`` strings lives here too.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

EMPTY = "—"  # a figure that does not exist (a ratio of 0 / 0)
HOURS = "0.01"

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Chinese large-number units, largest first
_ZH_UNITS = (("亿", Decimal(100_000_000)), ("万", Decimal(10_000)))


# -- text ----------------------------------------------------------------------------


def text_width(text: str) -> int:
    """The columns ``text`` takes on a terminal or in a spreadsheet's character units: a
    wide (CJK) character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# -- rounding -------------------------------------------------------------------------


def half_up(value: Decimal, decimals: int) -> Decimal:
    """``value`` rounded half up to ``decimals`` places (2.345 -> 2.35)."""
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def ratio(numerator: int, denominator: int, places: str) -> Decimal | None:
    """numerator / denominator rounded half up to ``places``; None when denominator is 0."""
    if denominator == 0:
        return None
    value = Decimal(numerator) / Decimal(denominator)
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def percent(numerator: int, denominator: int) -> str:
    """A share as a percentage with 2 decimals (half up from the exact value), or ''."""
    value = ratio(numerator * 100, denominator, HOURS)
    return "" if value is None else f"{value}%"


# -- numbers as text --------------------------------------------------------------------


def _grouped(value: Decimal, decimals: int) -> str:
    return f"{half_up(value, decimals):,.{decimals}f}"


def _zh_large(value: Decimal) -> str | None:
    """12,345 -> 1.2万; 123,456,789 -> 1.2亿; None below 1万."""
    for unit, size in _ZH_UNITS:
        if abs(value) >= size:
            scaled = half_up(value / size, 1)
            if unit == "万" and abs(scaled) >= 10_000:  # 9,999.96万 rounds up to 1亿
                return _zh_large(Decimal(100_000_000).copy_sign(value))
            text = f"{scaled:.1f}".removesuffix(".0")
            return f"{text}{unit}"
    return None


def format_count(value: int, lang: str = "zh") -> str:
    """A count: ``13``, ``1,234``; from 10,000 on ``1.2万`` in Chinese, ``12,345`` in English."""
    number = Decimal(int(value))
    if lang == "zh":
        large = _zh_large(number)
        if large is not None:
            return large
    return _grouped(number, 0)


def format_hours(minutes: int, lang: str = "zh", decimals: int = 2) -> str:
    """Hours from whole minutes with ``decimals`` places: ``24.30``, ``1,234.50``;
    ``1.2万`` from 10,000 h in Chinese."""
    hours = Decimal(int(minutes)) / 60
    if lang == "zh":
        large = _zh_large(hours)
        if large is not None:
            return large
    return _grouped(hours, decimals)


def table_count(value: int) -> str:
    """A count in a table column: every figure in full with thousands separators
    (``12,345``), in either language, so a column never mixes ``1.2万`` and ``9,876``."""
    return _grouped(Decimal(int(value)), 0)


def table_hours(minutes: int, decimals: int = 2) -> str:
    """Hours in a table column, from whole minutes: in full, grouped, with ``decimals``
    places (``6,060.50``, ``12,345.00``), in either language."""
    return _grouped(Decimal(int(minutes)) / 60, decimals)


def format_percent(numerator: int, denominator: int) -> str:
    """``numerator / denominator`` as a percentage with one decimal; ``—`` when it is 0/0."""
    if denominator == 0:
        return EMPTY
    share = half_up(Decimal(int(numerator)) * 100 / Decimal(int(denominator)), 1)
    return f"{share:.1f}%"


# -- months -----------------------------------------------------------------------------


def format_month(month: str, lang: str = "zh") -> str:
    """``2025-03`` as ``2025年3月`` (Chinese) or ``Mar 2025`` (English)."""
    match = _MONTH.match(month)
    if match is None:
        raise ValueError(f"not a month in YYYY-MM form: {month!r}")
    year, number = int(match[1]), int(match[2])
    if lang == "zh":
        return f"{year}年{number}月"
    return f"{_EN_MONTHS[number - 1]} {year}"


def format_period(month_from: str, month_to: str, lang: str = "zh") -> str:
    """A range of months: ``2025年1月 – 2025年3月``; one month when both ends agree."""
    if month_from == month_to:
        return format_month(month_from, lang)
    return f"{format_month(month_from, lang)} – {format_month(month_to, lang)}"


def shift_month(month: str, months: int) -> str:
    """``YYYY-MM`` moved by ``months`` (negative: earlier)."""
    year, number = int(month[:4]), int(month[5:7])
    index = year * 12 + number - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def previous_month(month: str) -> str:
    """The month before ``month`` (``2026-01`` -> ``2025-12``)."""
    return shift_month(month, -1)


def month_count(month_from: str, month_to: str) -> int:
    """How many months ``month_from..month_to`` spans, both ends included."""
    start = int(month_from[:4]) * 12 + int(month_from[5:7])
    end = int(month_to[:4]) * 12 + int(month_to[5:7])
    return end - start + 1


def months_between(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` (YYYY-MM), both included."""
    return [shift_month(first, step) for step in range(max(month_count(first, last), 0))]


def quarter_of(month: str) -> str:
    """``2026-05`` as ``2026-Q2``."""
    return f"{month[:4]}-Q{(int(month[5:]) - 1) // 3 + 1}"


# -- changes ----------------------------------------------------------------------------


def signed(value: Decimal) -> str:
    """``+2.5``, ``-2.5``, and ``0.0`` without a sign (no change is neither up nor down)."""
    return "0.0" if value == 0 else f"{value:+.1f}"


def format_change(current: int, previous: int) -> str | None:
    """The change from ``previous`` to ``current`` in percent, one decimal, signed
    (``+25.0%``, ``-10.0%``); None when there is nothing to compare with (0 before)."""
    if previous == 0:
        return None
    change = half_up((Decimal(int(current)) - int(previous)) * 100 / int(previous), 1)
    return f"{signed(change)}%"


def points_change(current: tuple[int, int], previous: tuple[int, int]) -> str | None:
    """The change of a rate (numerator, denominator) in percentage points, one decimal,
    signed, from the exact rates; None when either rate is empty."""
    if current[1] == 0 or previous[1] == 0:
        return None
    now = Decimal(int(current[0])) * 100 / int(current[1])
    before = Decimal(int(previous[0])) * 100 / int(previous[1])
    return signed(half_up(now - before, 1))


def format_ratio(numerator: int, denominator: int, decimals: int) -> str:
    """``numerator / denominator`` with ``decimals`` places, rounded half up once from
    the exact value (1830 / 360 -> ``5.08``); ``—`` when the denominator is 0."""
    if denominator == 0:
        return EMPTY
    return _grouped(Decimal(int(numerator)) / Decimal(int(denominator)), decimals)


def format_ratio_hours(minutes: int, people: int) -> str:
    """Hours per person from whole minutes, 2 decimals; ``—`` when there is nobody."""
    return format_ratio(int(minutes), int(people) * 60, 2)
