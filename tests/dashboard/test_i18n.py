"""The translation table and the number formats leaders read."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from dashboard import i18n
from kernel import formatting

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
    assert i18n.t("kpi.total_hours") == "总时长(小时)"
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
    assert formatting.format_count(value, "zh") == zh
    assert formatting.format_count(value, "en") == en


def test_hours_from_whole_minutes_round_half_up() -> None:
    assert formatting.format_hours(1458) == "24.30"
    assert formatting.format_hours(243) == "4.05"
    assert formatting.format_hours(1) == "0.02"  # 0.01666.. -> 0.02
    assert formatting.format_hours(3) == "0.05"  # exactly 0.05
    assert formatting.format_hours(60 * 1234 + 30, "en") == "1,234.50"
    assert formatting.format_hours(60 * 12_345) == "1.2万"


def test_percent_and_empty_rate() -> None:
    assert formatting.format_percent(6, 8) == "75.0%"
    assert formatting.format_percent(6, 7) == "85.7%"
    assert formatting.format_percent(1, 8) == "12.5%"
    assert formatting.format_percent(1, 16) == "6.3%"  # 6.25 half up
    assert formatting.format_percent(0, 0) == "—"


def test_months_and_periods() -> None:
    assert formatting.format_month("2025-03") == "2025年3月"
    assert formatting.format_month("2025-12", "en") == "Dec 2025"
    assert formatting.format_period("2025-01", "2025-03") == "2025年1月 – 2025年3月"
    assert formatting.format_period("2025-03", "2025-03") == "2025年3月"
    with pytest.raises(ValueError, match="YYYY-MM"):
        formatting.format_month("2025-13")


def test_labels_from_data() -> None:
    assert i18n.category_label("volunteer_service") == "志愿服务"
    assert i18n.category_label("brand_new") == "brand_new"
    assert i18n.district_label("unknown", "未知") == "未归属区域"
    assert i18n.district_label("unknown", "未知", "en") == "Unassigned"
    assert i18n.district_label("D01", "城东协作区", "en") == "城东协作区"


def test_changes_against_the_previous_period() -> None:
    assert formatting.format_change(1458, 1166) == "+25.0%"  # 292/1166 = 25.04%
    assert formatting.format_change(9, 12) == "-25.0%"
    assert formatting.format_change(13, 13) == "0.0%"  # no sign: no arrow up or down
    assert formatting.format_change(5, 0) is None  # nothing to compare with
    # 6/8 = 75% against 1/2 = 50%: 25 points; 6/7 = 85.714..% against 2/3 = 66.666..%
    assert i18n.format_points((6, 8), (1, 2)) == "+25.0 个百分点"
    assert i18n.format_points((6, 7), (2, 3), "en") == "+19.0 pts"
    assert i18n.format_points((6, 8), (0, 0)) is None


def test_periods_and_labels_from_codes() -> None:
    assert i18n.format_period_code("2025-Q2") == "2025年第2季度"
    assert i18n.format_period_code("2025-Q2", "en") == "Q2 2025"
    assert i18n.format_period_code("2025-03") == "2025年3月"
    assert formatting.format_ratio_hours(735, 5) == "2.45"
    assert formatting.format_ratio_hours(0, 0) == "—"
    # a ratio rounded once, half up, from the exact value: 255 / 120 = 2.125 -> 2.13
    assert formatting.format_ratio(255, 120, 2) == "2.13"
    assert formatting.format_ratio(1, 0, 2) == "—"
    assert formatting.format_hours(90, "en", 1) == "1.5"
    assert i18n.person_type_label("student") == "学生"
    assert i18n.person_type_label("student", "en") == "Student"
    assert i18n.reason_label("bad_date") == "日期无效"
    assert i18n.quota_label("new_quota") == "new_quota"


CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
# Streamlit calls whose first argument a reader sees
UI_CALLS = {
    "title",
    "header",
    "subheader",
    "caption",
    "markdown",
    "info",
    "warning",
    "error",
    "success",
    "metric",
    "selectbox",
    "multiselect",
    "radio",
    "toggle",
    "checkbox",
    "select_slider",
    "button",
}


# the modules that draw what a reader sees (besides every page)
UI_MODULES = (
    "app.py",
    "charts.py",
    "chart_style.py",
    "charts_districts.py",
    "charts_units.py",
    "charts_people.py",
    "filters.py",
    "layout.py",
)


def _ui_literals(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in UI_CALLS
            and node.args
            and isinstance(node.args[0], ast.Constant | ast.JoinedStr)
        ):
            found.append(f"{path.name}:{node.lineno}")
    return found


def test_no_hard_coded_ui_strings_outside_the_table() -> None:
    offenders = []
    ui_files = [DASHBOARD / name for name in UI_MODULES] + sorted(
        (DASHBOARD / "pages").glob("*.py")
    )
    for path in ui_files:
        offenders += _ui_literals(path)
        tree = ast.parse(path.read_text("utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and CJK.search(node.value)
            ):
                offenders.append(f"{path.name}:{node.lineno} {node.value!r}")
    assert offenders == []


def test_the_scan_finds_a_hard_coded_label(tmp_path: Path) -> None:
    page = tmp_path / "page.py"
    page.write_text('import streamlit as st\nst.title("Overview")\nst.caption(i18n.t("x"))\n')
    assert _ui_literals(page) == ["page.py:2"]
