"""Every chart of the dashboard drawn by Plotly in Debian's chromium, on frames as large
as the demo's (12 districts, 30 branches, 24 months, every activity type, 40
communities): no two texts of a chart overlap, none is drawn under 10 px, every row has
its label, the legend stays under the title and its note.

Each figure is drawn alone, at the width the pages give it (a full-width chart 1,000 px,
a half-width one 560 px), with the plotly.js of the installed plotly package; the pages
themselves are checked in ``test_browser.py``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import plotly.offline
import pytest
from playwright.sync_api import sync_playwright

from bench.browser import CHROMIUM, CHROMIUM_ARGS
from dashboard import charts
from dashboard.chart_style import MIN_TEXT_SIZE, month_grid
from tests.dashboard.text_boxes import TEXT_BOXES_JS, overlapping, too_small

pytestmark = [pytest.mark.browser]

MONTHS = month_grid("2024-01", "2025-12")
DISTRICTS = [(f"D{i:02d}", f"第{i}协作区") for i in range(1, 12)] + [("unknown", "未知")]
SEED_TYPES = [
    ("activity_day", "党员活动日", "organizational_life"),
    ("member_meeting", "支部党员大会", "organizational_life"),
    ("committee_meeting", "支委会", "organizational_life"),
    ("group_meeting", "党小组会", "organizational_life"),
    ("party_lecture", "党课", "organizational_life"),
    ("community_convenience", "便民利民", "volunteer_service"),
    ("poverty_relief", "扶贫帮困", "volunteer_service"),
    ("public_safety", "治安维稳", "volunteer_service"),
    ("culture_sports", "文体娱乐", "volunteer_service"),
    ("traffic_safety", "交通安全", "volunteer_service"),
    ("environmental_protection", "环境保护", "volunteer_service"),
    ("education_consulting", "教育咨询", "volunteer_service"),
    ("community_report", "双报到", "volunteer_service"),
    ("home_visit", "家访", "volunteer_service"),
    ("pairing_support", "结对帮扶", "volunteer_service"),
    ("supporting_teaching", "支教", "volunteer_service"),
    ("visits_talks", "走访慰问", "volunteer_service"),
    ("training", "集中培训", "study_training"),
]


def _monthly() -> pd.DataFrame:
    minutes = [60 * (40_000 + 997 * i) + 30 for i in range(len(MONTHS))]
    return pd.DataFrame(
        {
            "month": MONTHS,
            "total_minutes": minutes,
            "hours": [m / 60 for m in minutes],
            "person_times": [20_000 + 311 * i for i in range(len(MONTHS))],
            "volunteers": [4_000 + 37 * i for i in range(len(MONTHS))],
        }
    )


def _by_district() -> pd.DataFrame:
    rows = []
    for i, (code, name) in enumerate(DISTRICTS):
        minutes = 0 if i == 5 else 60 * (74_450 + 3_000 * i) + 30
        rows.append(
            {
                "district_code": code,
                "district_name": name,
                "total_minutes": minutes,
                "hours": minutes / 60,
                "person_times": minutes // 90,
                "volunteers": 600 + 7 * i,
                "roster_size": 0 if code == "unknown" else 700 + 9 * i,
                "active_members": 0 if code == "unknown" else 650 + 8 * i,
            }
        )
    return pd.DataFrame(rows)


def _district_months() -> pd.DataFrame:
    rows = []
    for i, (code, name) in enumerate(DISTRICTS):
        for j, month in enumerate(MONTHS):
            minutes = 60 * (7_000 + 131 * i + 17 * j)
            rows.append(
                {
                    "district_code": code,
                    "district_name": name,
                    "month": month,
                    "total_minutes": minutes,
                    "hours": minutes / 60,
                    "person_times": minutes // 90,
                    "volunteers": 300 + i + j,
                }
            )
    return pd.DataFrame(rows)


def _type_months() -> pd.DataFrame:
    rows = []
    for i, (code, _, category) in enumerate(SEED_TYPES):
        for j, month in enumerate(MONTHS[:12]):
            if (i + j) % 5 == 0:  # months without this type
                continue
            minutes = 60 * (500 + 97 * i + 13 * j)
            rows.append(
                {
                    "month": month,
                    "activity_type_code": code,
                    "activity_category": category,
                    "person_times": minutes // 90,
                    "total_minutes": minutes,
                    "hours": minutes / 60,
                }
            )
    return pd.DataFrame(rows)


def _compliance() -> pd.DataFrame:
    rows = []
    statuses = ("met", "missed", "in_progress")
    for b in range(30):
        for j, month in enumerate(MONTHS):
            rows.append(
                {
                    "org_code": f"B{b:03d}",
                    "org_name": f"第{b // 3 + 1}中学第{b % 3 + 1}党支部",
                    "district_code": DISTRICTS[b % 11][0],
                    "activity_type_code": "activity_day",
                    "cadence": "monthly",
                    "period": month,
                    "meetings_held": (b + j) % 2,
                    "min_meetings_held": 1,
                    "compliance_status": statuses[(b * 7 + j) % 3],
                }
            )
    return pd.DataFrame(rows)


def _quota() -> pd.DataFrame:
    rows = []
    for i, (code, name) in enumerate(DISTRICTS[:11]):
        for year in (2024, 2025):
            for quota in ("member_hours", "student_hours"):
                rows.append(
                    {
                        "district_code": code,
                        "district_name": name,
                        "year": year,
                        "quota_code": quota,
                        "person_type_code": "member",
                        "people_in_scope": 120 + i,
                        "people_meeting": 0 if (i + year) % 4 == 0 else 60 + i,
                        "is_year_complete": year == 2024,
                    }
                )
    return pd.DataFrame(rows)


def _communities() -> pd.DataFrame:
    minutes = [60 * (9_000 - 200 * i) for i in range(40)]
    return pd.DataFrame(
        {
            "community": [f"{name}社区" for name in _COMMUNITY_NAMES],
            "organizations": [1 + i % 4 for i in range(40)],
            "person_times": [m // 90 for m in minutes],
            "total_minutes": minutes,
            "hours": [m / 60 for m in minutes],
        }
    )


_COMMUNITY_NAMES = [f"{a}{b}" for a in "东南西北中" for b in "山河湖海林园桥港"]


def _person_history() -> pd.DataFrame:
    months = ["2024-02", "2024-03", "2024-07", "2025-01"]
    return pd.DataFrame(
        {
            "month": months,
            "org_code": ["B001"] * 4,
            "org_name": ["一支部"] * 4,
            "activity_category": ["volunteer_service"] * 4,
            "person_times": [1, 2, 1, 3],
            "total_minutes": [120, 240, 90, 360],
            "hours": [2.0, 4.0, 1.5, 6.0],
        }
    )


def _rejects() -> pd.DataFrame:
    codes = ["bad_date", "bad_minutes", "unknown_org", "duplicate", "empty_name", "bad_code"]
    return pd.DataFrame(
        {"reason_code": codes, "rejected_rows": [1_234, 870, 311, 0, 5, 77], "file": ["a"] * 6}
    )


def figures(lang: str) -> dict[str, tuple[go.Figure, int]]:
    """Every chart of the pages, by name, with the width a page gives it."""
    by_district = _by_district()
    colors = charts.district_colors(by_district["district_code"])
    types = {code: (zh if lang == "zh" else code.replace("_", " ")) for code, zh, _ in SEED_TYPES}
    months = _type_months()
    return {
        "monthly": (charts.monthly_trend(_monthly(), lang), 1000),
        "by_district": (charts.hours_by_district(by_district, lang, colors), 560),
        "by_category": (
            charts.hours_by_category(
                months.groupby("activity_category", as_index=False)[
                    ["total_minutes", "hours"]
                ].sum(),
                lang,
            ),
            560,
        ),
        "ranking": (charts.district_ranking(by_district, "total_hours", lang, colors), 1000),
        "ranking_rate": (
            charts.district_ranking(by_district, "participation_rate", lang, colors),
            1000,
        ),
        "heatmap": (charts.district_heatmap(_district_months(), "total_hours", lang), 1000),
        "yoy": (charts.year_over_year(by_district, by_district, lang, colors), 460),
        "participation": (charts.participation(by_district, lang, colors), 460),
        "compliance": (charts.compliance_grid(_compliance(), "activity_day", lang), 1000),
        "quota": (charts.quota_attainment(_quota(), lang), 1000),
        "distribution": (
            charts.hours_distribution(pd.DataFrame({"total_minutes": [0, 150, 700, 4000]}), lang),
            1000,
        ),
        "category_trend": (charts.category_trend(months, lang, MONTHS[:12]), 1000),
        "type_trend": (charts.type_trend(months, types, lang, MONTHS[:12]), 1000),
        "communities": (charts.communities(_communities(), lang), 1000),
        "person_history": (charts.person_history(_person_history(), lang), 1000),
        "rejects": (charts.rejects_by_reason(_rejects(), lang), 1000),
    }


NOTE = "数据截至 2025-12-31 08:00（构建于 2026-01-02 09:30，快照 0123456789ab）"


def _page(drawn: dict[str, tuple[go.Figure, int]], folder: Path) -> Path:
    """One HTML page with each figure in a box of its width, plotly.js inline."""
    script = folder / "plotly.min.js"
    script.write_text(plotly.offline.get_plotlyjs(), encoding="utf-8")
    parts = ['<html><head><meta charset="utf-8"><script src="plotly.min.js"></script></head>']
    parts.append("<body style='margin:0'><script>window.plots = [];</script>")
    for name, (figure, width) in drawn.items():
        charts.add_note(figure, NOTE)
        parts.append(f"<div id='{name}' style='width:{width}px'></div>")
        parts.append(
            f"<script>(() => {{ const f = {figure.to_json()};"
            f" window.plots.push(Plotly.newPlot('{name}', f.data, f.layout)); }})();</script>"
        )
    parts.append("</body></html>")
    page = folder / "charts.html"
    page.write_text("\n".join(parts), encoding="utf-8")
    return page


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Per language: the figures, and each chart's text boxes as the browser drew them."""
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: run `make setup` (apt-get install chromium)")
    found: dict[str, dict] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            for lang in ("zh", "en"):
                made = figures(lang)
                folder = tmp_path_factory.mktemp(f"charts-{lang}")
                page = browser.new_page(viewport={"width": 1100, "height": 900})
                page.goto(_page(made, folder).as_uri())
                # every plot drawn, its margins grown to fit its labels (a second pass)
                page.evaluate("() => Promise.all(window.plots).then(() => true)")
                page.wait_for_timeout(3000)
                page.screenshot(path=str(folder / "charts.png"), full_page=True)
                boxes = page.evaluate(TEXT_BOXES_JS)
                found[lang] = {
                    "figures": made,
                    "boxes": dict(zip(made, boxes, strict=True)),
                    "folder": folder,
                }
                page.close()
        finally:
            browser.close()
    return found


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_two_texts_of_a_chart_overlap(drawn: dict, lang: str) -> None:
    boxes = drawn[lang]["boxes"]
    assert {name: overlapping([b]) for name, b in boxes.items()} == {name: [] for name in boxes}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_text_under_ten_pixels(drawn: dict, lang: str) -> None:
    boxes = drawn[lang]["boxes"]
    assert {name: too_small([b], MIN_TEXT_SIZE) for name, b in boxes.items()} == {
        name: [] for name in boxes
    }
