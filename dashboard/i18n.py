"""The dashboard's one translation table, and how numbers, months and rates are written.

Every label a page or chart shows is a key of ``TRANSLATIONS``; Chinese is the default
and English is complete, so the language switch can arrive without touching a page.
Pages read the language from Streamlit's session state under ``LANGUAGE_KEY``
(``session_language``); everything else takes ``lang`` as a parameter.

Numbers are rounded half up (as the exports are), from exact values: hours are given
as whole minutes, rates as a numerator and a denominator. In Chinese a large figure
reads in 万 or 亿 (12,345 -> 1.2万), a month reads 2025年3月.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
LANGUAGE_KEY = "lang"

TRANSLATIONS: dict[str, dict[str, str]] = {
    # the app and its navigation; sections group pages as more of them arrive
    "app.title": {"zh": "志愿服务数据看板", "en": "Volunteer activity dashboard"},
    "nav.section.overview": {"zh": "总览", "en": "Overview"},
    "nav.overview": {"zh": "总览", "en": "Overview"},
    # the overview page
    "overview.title": {"zh": "志愿服务总览", "en": "Volunteer activity overview"},
    "overview.scope": {
        "zh": "统计期间：{period}　区域：{districts}",
        "en": "Period: {period}   Districts: {districts}",
    },
    "overview.participation_detail": {
        "zh": "参与率：在册 {roster} 人中 {active} 人在期间内参加过活动",
        "en": "Participation: {active} of {roster} roster members took part in the period",
    },
    "overview.pending": {
        "zh": "另有 {pending} 条待审核记录，未计入以上数字",
        "en": "{pending} pending sessions are not counted in these figures",
    },
    "overview.snapshot": {
        "zh": "数据截至 {as_of}（快照 {digest}，生成于 {built_at}）",
        "en": "Data as of {as_of} (snapshot {digest}, built {built_at})",
    },
    "overview.no_data": {
        "zh": "当前快照中还没有已认定的活动记录。",
        "en": "The current snapshot holds no approved sessions yet.",
    },
    # the tiles
    "kpi.total_hours": {"zh": "总时长", "en": "Total hours"},
    "kpi.total_hours.help": {
        "zh": "已认定记录的时长之和（分钟 ÷ 60），已去除完全重复的记录",
        "en": "Sum of approved session minutes ÷ 60, exact duplicates removed",
    },
    "kpi.person_times": {"zh": "人次", "en": "Person-times"},
    "kpi.person_times.help": {
        "zh": "已认定的活动记录条数（一人参加一次活动为一人次）",
        "en": "Number of approved sessions (one person at one activity)",
    },
    "kpi.volunteers": {"zh": "志愿者人数", "en": "Volunteers"},
    "kpi.volunteers.help": {
        "zh": "期间内在所选区域有已认定记录的不同人数（按人去重，不是各月相加）",
        "en": "Distinct people with an approved session in the selected districts "
        "in the period (not a sum of monthly counts)",
    },
    "kpi.participation": {"zh": "参与率", "en": "Participation rate"},
    "kpi.participation.help": {
        "zh": "所选区域期间内在册人员中，期间内任何地方有已认定记录的比例",
        "en": "Share of the selected districts' roster members in the period "
        "with an approved session anywhere in it",
    },
    # units
    "unit.hours": {"zh": "{value} 小时", "en": "{value} h"},
    "unit.hours_axis": {"zh": "时长（小时）", "en": "Hours"},
    "unit.people_axis": {"zh": "人数 / 人次", "en": "People / person-times"},
    # the sidebar filters
    "filters.title": {"zh": "筛选", "en": "Filters"},
    "filters.months": {"zh": "统计月份", "en": "Months"},
    "filters.single_month": {"zh": "统计月份：{month}", "en": "Month: {month}"},
    "filters.districts": {"zh": "区域", "en": "Districts"},
    "filters.districts.placeholder": {"zh": "全部区域", "en": "All districts"},
    "filters.all_districts": {"zh": "全部区域", "en": "All districts"},
    "filters.list_separator": {"zh": "、", "en": ", "},
    # charts
    "chart.monthly.title": {"zh": "月度趋势", "en": "Monthly trend"},
    "chart.monthly.hours": {"zh": "时长（小时）", "en": "Hours"},
    "chart.monthly.person_times": {"zh": "人次", "en": "Person-times"},
    "chart.monthly.volunteers": {"zh": "志愿者人数", "en": "Volunteers"},
    "chart.month_axis": {"zh": "月份", "en": "Month"},
    "chart.by_district.title": {"zh": "各区域服务时长", "en": "Hours by district"},
    "chart.by_category.title": {"zh": "各活动类别时长", "en": "Hours by activity category"},
    "chart.no_data": {"zh": "所选范围内没有数据", "en": "No data in the selected range"},
    # activity categories (dim_activity_types.activity_category)
    "category.volunteer_service": {"zh": "志愿服务", "en": "Volunteer service"},
    "category.organizational_life": {"zh": "组织生活", "en": "Organizational life"},
    "category.study_training": {"zh": "学习培训", "en": "Study and training"},
    "category.other": {"zh": "其他", "en": "Other"},
    # the `unknown` district collects organizations that cannot be placed
    "district.unknown": {"zh": "未归属区域", "en": "Unassigned"},
    # when there is nothing to read
    "snapshot.missing": {
        "zh": "还没有发布的数据快照。请先导入数据并运行 `make build`，然后刷新本页。",
        "en": "No data snapshot has been published yet. Load data and run `make build`, "
        "then reload this page.",
    },
    "value.empty": {"zh": "—", "en": "—"},
}

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Chinese large-number units, largest first
_ZH_UNITS = (("亿", Decimal(100_000_000)), ("万", Decimal(10_000)))


def session_language(state: Mapping[str, Any]) -> str:
    """The language a session chose (``state[LANGUAGE_KEY]``), else the default."""
    chosen = state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The label ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``."""
    try:
        entry = TRANSLATIONS[key]
    except KeyError:
        raise KeyError(f"no translation for {key!r}: add it to dashboard/i18n.py") from None
    text = entry[lang] if lang in entry else entry[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text


def _round(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _grouped(value: Decimal, decimals: int) -> str:
    return f"{_round(value, decimals):,.{decimals}f}"


def _zh_large(value: Decimal) -> str | None:
    """12,345 -> 1.2万; 123,456,789 -> 1.2亿; None below 1万."""
    for unit, size in _ZH_UNITS:
        if abs(value) >= size:
            scaled = _round(value / size, 1)
            if unit == "万" and abs(scaled) >= 10_000:  # 9,999.96万 rounds up to 1亿
                return _zh_large(Decimal(100_000_000).copy_sign(value))
            text = f"{scaled:.1f}".removesuffix(".0")
            return f"{text}{unit}"
    return None


def format_count(value: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """A count: ``13``, ``1,234``; from 10,000 on ``1.2万`` in Chinese, ``12,345`` in English."""
    number = Decimal(int(value))
    if lang == "zh":
        large = _zh_large(number)
        if large is not None:
            return large
    return _grouped(number, 0)


def hours_from_minutes(minutes: int) -> Decimal:
    """Exact hours from whole minutes, rounded half up to 2 decimals (243 -> 4.05)."""
    return _round(Decimal(int(minutes)) / 60, 2)


def format_hours(minutes: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """Hours from whole minutes: ``24.30``, ``1,234.50``; ``1.2万`` from 10,000 h in Chinese."""
    hours = Decimal(int(minutes)) / 60
    if lang == "zh":
        large = _zh_large(hours)
        if large is not None:
            return large
    return _grouped(hours, 2)


def format_percent(numerator: int, denominator: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """``numerator / denominator`` as a percentage with one decimal; ``—`` when it is 0/0."""
    if denominator == 0:
        return t("value.empty", lang)
    percent = _round(Decimal(int(numerator)) * 100 / Decimal(int(denominator)), 1)
    return f"{percent:.1f}%"


def format_month(month: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """``2025-03`` as ``2025年3月`` (Chinese) or ``Mar 2025`` (English)."""
    match = _MONTH.match(month)
    if match is None:
        raise ValueError(f"not a month in YYYY-MM form: {month!r}")
    year, number = int(match[1]), int(match[2])
    if lang == "zh":
        return f"{year}年{number}月"
    return f"{_EN_MONTHS[number - 1]} {year}"


def format_period(month_from: str, month_to: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A range of months: ``2025年1月 – 2025年3月``; one month when both ends agree."""
    if month_from == month_to:
        return format_month(month_from, lang)
    return f"{format_month(month_from, lang)} – {format_month(month_to, lang)}"


def category_label(category: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """An activity category's label; an unlisted category shows its code."""
    key = f"category.{category}"
    return t(key, lang) if key in TRANSLATIONS else category


def district_label(code: str, name: str | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """A district's name from the data; the ``unknown`` district gets a translated label."""
    if code == "unknown":
        return t("district.unknown", lang)
    return name or code
