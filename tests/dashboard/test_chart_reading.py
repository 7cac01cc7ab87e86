"""Charts that read at a glance, on the figure objects: a colour per activity type, every
row labelled, zero drawn as zero with its label, every month of the period drawn, and
the tiles' changes "—" when the earlier period has no data. The same charts drawn in
chromium: test_chart_text.py."""

from __future__ import annotations

import pandas as pd

from dashboard import changes, charts
from dashboard.chart_style import TYPE_PALETTE, type_colors
from dashboard.queries import Kpis

SEED_CODES = [  # seeds/activity_types.csv, in its order
    "activity_day",
    "member_meeting",
    "committee_meeting",
    "group_meeting",
    "party_lecture",
    "community_convenience",
    "poverty_relief",
    "public_safety",
    "culture_sports",
    "traffic_safety",
    "environmental_protection",
    "education_consulting",
    "community_report",
    "home_visit",
    "pairing_support",
    "supporting_teaching",
    "visits_talks",
    "training",
]


def test_every_activity_type_has_a_colour_of_its_own() -> None:
    inbox_types = ["tree_planting", "blood_drive", "a_new_one", "zz_more", "zz_most"]
    colors = type_colors([*SEED_CODES, *inbox_types])
    assert len(colors) == 23
    assert len(set(colors.values())) == 23  # past the 22 of the palette too
    # the seed's types take the palette in the seed's order
    assert [colors[code] for code in SEED_CODES] == list(TYPE_PALETTE[:18])
    # the pairs that shared a colour do not any more
    assert colors["activity_day"] == "#0067a5"
    assert colors["training"] == "#f99379"
    assert colors["community_convenience"] == "#f3c300"
    assert colors["visits_talks"] == "#882d17"
    # then the inbox's types in code order: a_new_one, blood_drive, tree_planting, zz_more
    assert colors["a_new_one"] == TYPE_PALETTE[18]
    assert colors["tree_planting"] == TYPE_PALETTE[20]
    # a seed type keeps its colour whatever the snapshot adds
    assert type_colors(SEED_CODES)["visits_talks"] == colors["visits_talks"]


def _type_months(rows: list[tuple[str, str, str, int]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month": [r[0] for r in rows],
            "activity_type_code": [r[1] for r in rows],
            "activity_category": [r[2] for r in rows],
            "person_times": [1] * len(rows),
            "total_minutes": [r[3] for r in rows],
            "hours": [r[3] / 60 for r in rows],
        }
    )


TYPE_MONTHS = _type_months(
    [
        ("2025-01", "activity_day", "organizational_life", 120),
        ("2025-03", "activity_day", "organizational_life", 90),
        ("2025-03", "training", "study_training", 300),
        ("2025-01", "community_convenience", "volunteer_service", 60),
        ("2025-03", "visits_talks", "volunteer_service", 30),
    ]
)
NAMES = {
    "activity_day": "党员活动日",
    "training": "集中培训",
    "community_convenience": "便民利民",
    "visits_talks": "走访慰问",
}


def test_type_trend_draws_every_month_of_the_period_and_a_legend_outside() -> None:
    period = charts.month_grid("2024-12", "2025-04")
    assert period == ["2024-12", "2025-01", "2025-02", "2025-03", "2025-04"]
    figure = charts.type_trend(TYPE_MONTHS, NAMES, "zh", period)
    # largest first: training 300, activity day 210, convenience 60, visits 30
    assert [t.name for t in figure.data] == ["集中培训", "党员活动日", "便民利民", "走访慰问"]
    day = figure.data[1]
    assert list(day.x) == ["2024年12月", "2025年1月", "2025年2月", "2025年3月", "2025年4月"]
    assert list(day.y) == [0.0, 2.0, 0.0, 1.5, 0.0]
    assert list(day.customdata) == ["0.00", "2.00", "0.00", "1.50", "0.00"]
    assert [t.marker.color for t in figure.data] == ["#f99379", "#0067a5", "#f3c300", "#882d17"]
    # the legend right of the plot, its top at the plot's top: under the title and note
    legend = figure.layout.legend
    assert (legend.orientation, legend.x, legend.xanchor, legend.y, legend.yanchor) == (
        "v",
        1.02,
        "left",
        1.0,
        "top",
    )


def test_category_trend_fills_the_months_without_activity() -> None:
    figure = charts.category_trend(TYPE_MONTHS, "en", charts.month_grid("2025-01", "2025-03"))
    volunteer = next(t for t in figure.data if t.name == "Volunteer service")
    assert list(volunteer.x) == ["Jan 2025", "Feb 2025", "Mar 2025"]
    assert list(volunteer.y) == [1.0, 0.0, 0.5]


def test_person_history_shows_the_months_between_as_zero() -> None:
    frame = pd.DataFrame(
        {
            "month": ["2024-11", "2025-02", "2025-02"],
            "org_code": ["B011"] * 3,
            "org_name": ["语文组"] * 3,
            "activity_category": ["volunteer_service", "volunteer_service", "study_training"],
            "person_times": [1, 1, 1],
            "total_minutes": [90, 60, 45],
            "hours": [1.5, 1.0, 0.75],
        }
    )
    figure = charts.person_history(frame, "en")
    service = next(t for t in figure.data if t.name == "Volunteer service")
    assert list(service.x) == ["Nov 2024", "Dec 2024", "Jan 2025", "Feb 2025"]
    assert list(service.y) == [1.5, 0.0, 0.0, 1.0]
    assert figure.layout.showlegend is True


def _compliance(branches: int) -> pd.DataFrame:
    rows = []
    for b in range(branches):
        for month in ("2025-01", "2025-02"):
            rows.append(
                {
                    "org_code": f"B{b:03d}",
                    # two branches of every school share the name 第一党支部
                    "org_name": "第一党支部" if b < 2 else f"第{b}中学党支部",
                    "district_code": "D01",
                    "activity_type_code": "activity_day",
                    "cadence": "monthly",
                    "period": month,
                    "meetings_held": 1,
                    "min_meetings_held": 1,
                    "compliance_status": "met",
                }
            )
    return pd.DataFrame(rows)


def test_compliance_grid_labels_every_branch_in_a_chart_as_high_as_it_needs() -> None:
    figure = charts.compliance_grid(_compliance(30), "activity_day", "zh")
    cells = figure.data[0]
    labels = ["第一党支部 (B000)", "第一党支部 (B001)", *(f"第{b}中学党支部" for b in range(2, 30))]
    assert list(cells.y) == labels
    assert list(figure.layout.yaxis.tickvals) == labels  # a tick label on every row
    assert figure.layout.height == 200 + 30 * 28
    assert cells.textfont.size == 12
    assert [list(row) for row in cells.text][:1] == [["达标", "达标"]]
    # the legend says what each colour means
    assert [t.name for t in figure.data[1:]] == ["✓ 达标", "… 进行中", "✗ 未达标"]


def test_compliance_grid_marks_cells_too_narrow_for_the_words() -> None:
    frame = _compliance(2)
    many = pd.concat(
        [frame.assign(period=f"2024-{m:02d}") for m in range(1, 13)], ignore_index=True
    ).drop_duplicates(["org_code", "period"])
    figure = charts.compliance_grid(many, "activity_day", "en")
    # 12 cells in 760 px: 61 px each, too narrow for "In progress" -> marks
    assert {text for row in figure.data[0].text for text in row} == {"✓"}
    assert list(figure.data[0].customdata[0])[:1] == ["Met"]  # the hover spells it out


def test_a_zero_quota_row_is_drawn_with_its_label() -> None:
    frame = pd.DataFrame(
        {
            "district_code": ["D01", "D02"],
            "district_name": ["城东协作区", "城西协作区"],
            "year": [2025, 2025],
            "quota_code": ["member_community_report"] * 2,
            "person_type_code": ["member"] * 2,
            "people_in_scope": [5, 4],
            "people_meeting": [0, 3],
            "is_year_complete": [False, False],
        }
    )
    (bars,) = charts.quota_attainment(frame, "zh").data
    assert list(bars.x) == [0.0, 75.0]
    assert list(bars.text) == ["0.0%（0/5 人）", "75.0%（3/4 人）"]
    # past the bar it does not have (Plotly's "auto" would draw no label on a 0 bar)
    assert list(bars.textposition) == ["outside", "auto"]
    assert bars.constraintext == "inside"


def test_communities_label_every_row() -> None:
    names = [f"社区{i:02d}" for i in range(40)]
    minutes = [60 * (400 - i) for i in range(39)] + [0]
    frame = pd.DataFrame(
        {
            "community": names,
            "organizations": [1] * 40,
            "person_times": [1] * 40,
            "total_minutes": minutes,
            "hours": [m / 60 for m in minutes],
        }
    )
    figure = charts.communities(frame, "zh")
    assert list(figure.layout.yaxis.tickvals) == names
    assert figure.layout.height == 200 + 40 * 28
    assert figure.data[0].text[-1] == "0.00"
    assert figure.data[0].textposition[-1] == "outside"


def test_monthly_trend_keeps_bars_under_the_lines() -> None:
    frame = pd.DataFrame(
        {
            "month": ["2025-01", "2025-02"],
            "total_minutes": [600, 0],
            "hours": [10.0, 0.0],
            "person_times": [8, 0],
            "volunteers": [4, 0],
        }
    )
    figure = charts.monthly_trend(frame, "en")
    # bars in the lower half (hours up to 2.1 x the largest), lines in the upper half
    assert list(figure.layout.yaxis.range) == [0, 21.0]
    assert list(figure.layout.yaxis2.range) == [-8 * 1.15, 8 * 1.1]
    assert list(figure.layout.yaxis2.tickvals) == [0, 2, 4, 6, 8]
    bars = figure.data[0]
    assert list(bars.text) == ["10.00", "0.00"]
    assert list(bars.textposition) == ["auto", "outside"]
    # the legend under the plot, in the figure's margin: the right side holds an axis
    assert (figure.layout.legend.orientation, figure.layout.legend.yref) == ("h", "container")


def test_changes_are_a_dash_without_an_earlier_period() -> None:
    assert changes.change(1458, 1166, True) == "+25.0%"
    assert changes.change(5, 0, True) == "—"  # 0 before: no percentage
    assert changes.change(5, 4, False) == "—"  # nothing logged before
    # the roster of an empty period gave 0 of 8 active: not "+75.0 个百分点"
    assert changes.points((6, 8), (0, 8), False, "zh") == "—"
    assert changes.points((6, 8), (3, 8), True, "zh") == "+37.5 个百分点"
    assert changes.points((6, 8), (3, 0), True, "en") == "—"
    assert changes.metric_style("—") == {"delta_color": "off", "delta_arrow": "off"}
    assert changes.metric_style("0.0%") == {"delta_color": "off", "delta_arrow": "off"}
    assert changes.metric_style("-3.0%") == {"delta_color": "normal", "delta_arrow": "auto"}


def test_a_period_has_activity_when_a_session_was_approved() -> None:
    assert Kpis(0, 0, 0, 8, 0, 3).has_activity is False  # a roster and pending ones only
    assert Kpis(60, 1, 1, 8, 1, 0).has_activity is True
