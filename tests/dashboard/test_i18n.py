"""The translation table and the number formats leaders read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard import i18n

DASHBOARD = Path(i18n.__file__).resolve().parent


def test_every_label_has_every_language() -> None:
    for key, entry in i18n.TRANSLATIONS.items():
        assert set(entry) == set(i18n.LANGUAGES), key
        placeholders = [set(re.findall(r"{(\w+)}", text)) for text in entry.values()]
        assert all(p == placeholders[0] for p in placeholders), f"{key}: placeholders differ"


def test_every_key_the_dashboard_uses_is_in_the_table() -> None:
    used: set[str] = set()
    for path in DASHBOARD.rglob("*.py"):
        used |= set(re.findall(r"""i18n\.t\(\s*["']([\w.]+)["']""", path.read_text("utf-8")))
    assert used, "the scan found no labels"
    assert used - set(i18n.TRANSLATIONS) == set()


def test_unknown_key_names_the_table() -> None:
    with pytest.raises(KeyError, match=r"dashboard/i18n\.py"):
        i18n.t("no.such.label")


def test_chinese_is_the_default_and_english_is_there() -> None:
    assert i18n.t("kpi.total_hours") == "总时长"
    assert i18n.t("kpi.total_hours", "en") == "Total hours"
    assert i18n.session_language({}) == "zh"
    assert i18n.session_language({"lang": "en"}) == "en"
    assert i18n.session_language({"lang": "fr"}) == "zh"


@pytest.mark.parametrize(
    ("value", "zh", "en"),
    [
        (0, "0", "0"),
        (13, "13", "13"),
        (9_999, "9,999", "9,999"),
        (10_000, "1万", "10,000"),
        (12_345, "1.2万", "12,345"),
        (15_000, "1.5万", "15,000"),  # half up
        (99_999_999, "1亿", "99,999,999"),  # 9,999.99999万 rounds up to the next unit
        (123_456_789, "1.2亿", "123,456,789"),
    ],
)
def test_counts(value: int, zh: str, en: str) -> None:
    assert i18n.format_count(value, "zh") == zh
    assert i18n.format_count(value, "en") == en


def test_hours_from_whole_minutes_round_half_up() -> None:
    assert i18n.format_hours(1458) == "24.30"
    assert i18n.format_hours(243) == "4.05"
    assert i18n.format_hours(1) == "0.02"  # 0.01666.. -> 0.02
    assert i18n.format_hours(3) == "0.05"  # exactly 0.05
    assert i18n.format_hours(60 * 1234 + 30, "en") == "1,234.50"
    assert i18n.format_hours(60 * 12_345) == "1.2万"
    assert str(i18n.hours_from_minutes(243)) == "4.05"


def test_percent_and_empty_rate() -> None:
    assert i18n.format_percent(6, 8) == "75.0%"
    assert i18n.format_percent(6, 7) == "85.7%"
    assert i18n.format_percent(1, 8) == "12.5%"
    assert i18n.format_percent(1, 16) == "6.3%"  # 6.25 half up
    assert i18n.format_percent(0, 0) == "—"


def test_months_and_periods() -> None:
    assert i18n.format_month("2025-03") == "2025年3月"
    assert i18n.format_month("2025-12", "en") == "Dec 2025"
    assert i18n.format_period("2025-01", "2025-03") == "2025年1月 – 2025年3月"
    assert i18n.format_period("2025-03", "2025-03") == "2025年3月"
    with pytest.raises(ValueError, match="YYYY-MM"):
        i18n.format_month("2025-13")


def test_labels_from_data() -> None:
    assert i18n.category_label("volunteer_service") == "志愿服务"
    assert i18n.category_label("brand_new") == "brand_new"
    assert i18n.district_label("unknown", "未知") == "未归属区域"
    assert i18n.district_label("unknown", "未知", "en") == "Unassigned"
    assert i18n.district_label("D01", "城东协作区", "en") == "城东协作区"
