"""Chart builders, called directly on small frames: no Streamlit, no snapshot."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from dashboard import charts
from tests.conftest import REPO

# The frames below are the shapes the queries return, with the first slice's figures
# for 2025-01..2025-03 and all districts (see test_overview.py for the reasoning).
MONTHLY = pd.DataFrame(
    {
        "month": ["2025-01", "2025-02", "2025-03"],
        "total_minutes": [540, 363, 555],
        "hours": [540 / 60, 363 / 60, 555 / 60],
        "person_times": [4, 3, 6],
        "volunteers": [4, 3, 6],
    }
)
BY_DISTRICT = pd.DataFrame(
    {
        "district_code": ["D01", "D02", "D03", "unknown"],
        "district_name": ["城东协作区", "城西协作区", "高新协作区", "未归属区域"],
        "total_minutes": [603, 735, 0, 120],
        "hours": [603 / 60, 735 / 60, 0.0, 120 / 60],
    }
)
BY_CATEGORY = pd.DataFrame(
    {
        "activity_category": [
            "organizational_life",
            "other",
            "study_training",
            "volunteer_service",
        ],
        "total_minutes": [453, 120, 180, 705],
        "hours": [453 / 60, 120 / 60, 180 / 60, 705 / 60],
    }
)


def test_builders_do_not_need_streamlit() -> None:
    # A fresh interpreter builds every chart without importing Streamlit at all.
    script = (
        "import sys, pandas as pd\n"
        "from dashboard import charts\n"
        "frame = pd.DataFrame({'month': ['2025-01'], 'total_minutes': [60], 'hours': [1.0],"
        " 'person_times': [1], 'volunteers': [1]})\n"
        "charts.monthly_trend(frame)\n"
        "assert 'streamlit' not in sys.modules, 'charts imported streamlit'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_monthly_trend_has_hours_bars_and_count_lines() -> None:
    figure = charts.monthly_trend(MONTHLY)
    assert figure.layout.title.text == "月度趋势"
    assert [type(trace).__name__ for trace in figure.data] == ["Bar", "Scatter", "Scatter"]
    hours, person_times, volunteers = figure.data
    assert hours.name == "时长（小时）"
    assert list(hours.x) == ["2025年1月", "2025年2月", "2025年3月"]
    assert list(hours.y) == [9.0, 6.05, 9.25]
    assert list(hours.text) == ["9.00", "6.05", "9.25"]
    assert (person_times.name, list(person_times.y), person_times.yaxis) == (
        "人次",
        [4, 3, 6],
        "y2",
    )
    assert (volunteers.name, list(volunteers.y), volunteers.yaxis) == (
        "志愿者人数",
        [4, 3, 6],
        "y2",
    )
    assert figure.layout.xaxis.title.text == "月份"
    assert figure.layout.yaxis.title.text == "时长（小时）"
    assert figure.layout.yaxis2.title.text == "人数 / 人次"
    assert figure.layout.yaxis2.overlaying == "y"


def test_monthly_trend_in_english() -> None:
    figure = charts.monthly_trend(MONTHLY, "en")
    assert figure.layout.title.text == "Monthly trend"
    assert list(figure.data[0].x) == ["Jan 2025", "Feb 2025", "Mar 2025"]
    assert [trace.name for trace in figure.data] == ["Hours", "Person-times", "Volunteers"]
    assert figure.layout.yaxis.title.text == "Hours"


def test_monthly_trend_formats_large_counts_in_wan() -> None:
    big = pd.DataFrame(
        {
            "month": ["2025-01"],
            "total_minutes": [60 * 12_345],
            "hours": [12_345.0],
            "person_times": [23_456],
            "volunteers": [9_999],
        }
    )
    figure = charts.monthly_trend(big)
    assert list(figure.data[0].text) == ["1.2万"]
    assert list(figure.data[1].customdata) == ["2.3万"]
    assert list(figure.data[2].customdata) == ["9,999"]
    # the axes read the same way: 12,345 h in steps of 12,345 / 5 -> 5,000
    assert list(figure.layout.yaxis.tickvals) == [0, 5_000, 10_000, 15_000]
    assert list(figure.layout.yaxis.ticktext) == ["0", "5,000", "1万", "1.5万"]
    # 23,456 person-times: steps of 5,000 up to 25,000
    assert list(figure.layout.yaxis2.ticktext)[-2:] == ["2万", "2.5万"]
    english = charts.monthly_trend(big, "en")
    # 15,000, not plotly's 15k; from 0 up only (the axes reach below 0 to part bars and lines)
    assert list(english.layout.yaxis.ticktext) == ["0", "5,000", "10,000", "15,000"]


def test_hours_by_district_largest_first_with_unknown_labelled() -> None:
    figure = charts.hours_by_district(BY_DISTRICT)
    assert figure.layout.title.text == "各区域服务时长"
    (bars,) = figure.data
    assert bars.orientation == "h"
    assert list(bars.y) == ["城西协作区", "城东协作区", "未归属区域", "高新协作区"]
    assert list(bars.x) == [12.25, 10.05, 2.0, 0.0]
    assert list(bars.text) == ["12.25", "10.05", "2.00", "0.00"]
    assert figure.layout.xaxis.title.text == "时长（小时）"
    assert figure.layout.yaxis.autorange == "reversed"  # the first bar at the top


def test_hours_by_category_translates_categories() -> None:
    figure = charts.hours_by_category(BY_CATEGORY)
    assert figure.layout.title.text == "各活动类别时长"
    (bars,) = figure.data
    assert list(bars.y) == ["志愿服务", "组织生活", "学习培训", "其他"]
    assert list(bars.x) == [11.75, 7.55, 3.0, 2.0]
    assert list(bars.text) == ["11.75", "7.55", "3.00", "2.00"]
    english = charts.hours_by_category(BY_CATEGORY, "en")
    assert english.layout.title.text == "Hours by activity category"
    assert list(english.data[0].y) == [
        "Volunteer service",
        "Organizational life",
        "Study and training",
        "Other",
    ]


def test_empty_frames_give_a_titled_figure_saying_no_data() -> None:
    for builder, frame in (
        (charts.monthly_trend, MONTHLY.iloc[0:0]),
        (charts.hours_by_district, BY_DISTRICT.iloc[0:0]),
        (charts.hours_by_category, BY_CATEGORY.iloc[0:0]),
    ):
        figure = builder(frame)
        assert figure.data == ()
        assert figure.layout.title.text
        assert [a.text for a in figure.layout.annotations] == ["所选范围内没有数据"]


def test_builders_leave_their_input_alone() -> None:
    before = BY_DISTRICT.copy()
    charts.hours_by_district(BY_DISTRICT)
    pd.testing.assert_frame_equal(BY_DISTRICT, before)


BY_DISTRICT_FULL = pd.DataFrame(
    {
        # the first slice, 2025-01..2025-03 (test_districts_page.py's docstring)
        "district_code": ["D01", "D02", "D03", "unknown"],
        "district_name": ["城东协作区", "城西协作区", "高新协作区", "未归属区域"],
        "total_minutes": [603, 735, 0, 120],
        "hours": [603 / 60, 735 / 60, 0.0, 2.0],
        "person_times": [5, 7, 0, 1],
        "volunteers": [3, 5, 0, 1],
        "roster_size": [4, 3, 0, 1],
        "active_members": [3, 3, 0, 0],
    }
)


def test_district_colours_are_stable_whatever_is_shown() -> None:
    colors = charts.district_colors(["D02", "unknown", "D01", "D03"])
    assert colors == {
        "D01": charts.DISTRICT_PALETTE[0],
        "D02": charts.DISTRICT_PALETTE[1],
        "D03": charts.DISTRICT_PALETTE[2],
        "unknown": charts.UNKNOWN_COLOR,
    }
    # D02 shown alone keeps the colour it has among all districts
    alone = charts.hours_by_district(BY_DISTRICT_FULL.iloc[[1]], colors=colors)
    assert list(alone.data[0].marker.color) == [charts.DISTRICT_PALETTE[1]]


@pytest.mark.parametrize(
    ("metric", "order", "labels"),
    [
        (
            "total_hours",
            ["城西协作区", "城东协作区", "未归属区域", "高新协作区"],
            ["12.25", "10.05", "2.00", "0.00"],
        ),
        (
            "volunteers",
            ["城西协作区", "城东协作区", "未归属区域", "高新协作区"],
            ["5", "3", "1", "0"],
        ),
        # 603/60/3 = 3.35, 735/60/5 = 2.45, 2.00; D03 has no volunteer: empty, last
        (
            "avg_hours_per_volunteer",
            ["城东协作区", "城西协作区", "未归属区域", "高新协作区"],
            ["3.35", "2.45", "2.00", "—"],
        ),
        (
            "participation_rate",
            ["城西协作区", "城东协作区", "未归属区域", "高新协作区"],
            ["100.0%", "75.0%", "0.0%", "—"],
        ),
    ],
)
def test_ranking_on_any_metric(metric: str, order: list[str], labels: list[str]) -> None:
    figure = charts.district_ranking(BY_DISTRICT_FULL, metric)
    (bars,) = figure.data
    assert list(bars.y) == order
    assert list(bars.text) == labels


def test_ranking_refuses_an_unknown_metric() -> None:
    with pytest.raises(ValueError, match="no metric 'speed'"):
        charts.district_ranking(BY_DISTRICT_FULL, "speed")


def test_heatmap_of_district_months() -> None:
    frame = pd.DataFrame(
        {
            "district_code": ["D01", "D01", "D02", "D02"],
            "district_name": ["城东协作区", "城东协作区", "城西协作区", "城西协作区"],
            "month": ["2025-01", "2025-02", "2025-01", "2025-02"],
            "total_minutes": [360, 243, 180, 0],
            "hours": [6.0, 4.05, 3.0, 0.0],
            "person_times": [3, 2, 1, 0],
            "volunteers": [3, 2, 1, 0],
        }
    )
    figure = charts.district_heatmap(frame, "total_hours", "en")
    (cells,) = figure.data
    assert figure.layout.title.text == "Total hours by district and month"
    assert list(cells.x) == ["Jan 2025", "Feb 2025"]
    assert [list(row) for row in cells.z] == [[6.0, 4.05], [3.0, 0.0]]
    assert [list(row) for row in cells.text] == [["6.00", "4.05"], ["3.00", "0.00"]]


def test_hour_bins_use_exact_minute_edges() -> None:
    # 119 min is under 2 h; 120 is 2 h exactly (next bin); 3000 min = 50 h, the open bin
    frame = pd.DataFrame({"total_minutes": [0, 119, 120, 299, 300, 3000, 10_000]})
    bins = charts.hour_bins(frame)
    assert bins["volunteers"].tolist() == [2, 2, 1, 0, 0, 2]
    figure = charts.hours_distribution(frame)
    assert list(figure.data[0].x)[-1] == "50 小时以上"


def test_compliance_grid_colours_met_and_missed() -> None:
    frame = pd.DataFrame(
        {
            "org_code": ["B011", "B011", "B012", "B012"],
            "org_name": ["语文组", "语文组", "数学组", "数学组"],
            "district_code": ["D01"] * 4,
            "activity_type_code": ["activity_day"] * 4,
            "cadence": ["monthly"] * 4,
            "period": ["2025-01", "2025-02", "2025-01", "2025-02"],
            "meetings_held": [1, 0, 0, 0],
            "min_meetings_held": [1] * 4,
            "compliance_status": ["met", "missed", "missed", "in_progress"],
        }
    )
    figure = charts.compliance_grid(frame, "activity_day")
    cells = figure.data[0]  # then the legend's three entries
    assert figure.layout.title.text == "党员活动日落实情况"
    assert [list(row) for row in cells.z] == [[1.0, 0.0], [0.0, 0.5]]
    assert [list(row) for row in cells.text] == [["达标", "未达标"], ["未达标", "进行中"]]
    assert charts.compliance_grid(frame, "party_lecture").data == ()


def test_a_page_notes_the_figure_it_built_without_copying_it() -> None:
    figure = charts.monthly_trend(MONTHLY)
    noted = charts.add_note(figure, "数据截至 2025-04-01 08:00")
    assert noted is figure  # no second validation of every trace
    assert figure.layout.title.text == "月度趋势"
    assert figure.layout.title.subtitle.text == "数据截至 2025-04-01 08:00"
    assert figure.layout.title.subtitle.font.size == 11
    assert figure.layout.margin.t == 110
