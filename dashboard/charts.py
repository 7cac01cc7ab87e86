"""Chart builders: pure functions from a query's DataFrame to a plotly Figure.

They read nothing but their arguments (no Streamlit, no snapshot), so tests call them
directly. This module draws the overview's charts and is the one surface pages and
tests use: the other pages' charts live in ``charts_districts``, ``charts_units`` and
``charts_people``, what they share in ``chart_style``. Every title, axis and trace
name comes from the translation table in ``lang``; bar labels are the exact figures
formatted as the tiles format them. A name from data (a district, a unit, a community,
an activity type) goes in through ``escape.plotly``, so Plotly shows it as text, never
as a tag of its HTML subset.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from dashboard import escape, i18n
from dashboard.chart_style import (
    DISTRICT_PALETTE,
    FONT_FAMILY,
    HOURS_COLOR,
    LEGEND_BELOW,
    MUTED_COLOR,
    PERSON_TIMES_COLOR,
    TYPE_PALETTE,
    UNKNOWN_COLOR,
    VOLUNTEERS_COLOR,
    _base_layout,
    _district_labels,
    _horizontal_hours,
    _hour_labels,
    _largest_first,
    _max,
    _no_data,
    add_note,
    column_text,
    columns_axis,
    district_colors,
    month_grid,
    positive_axis,
    type_colors,
    value_axis,
)
from dashboard.charts_districts import (
    district_heatmap,
    district_ranking,
    metric_axis,
    metric_labels,
    metric_values,
    participation,
    year_over_year,
)
from dashboard.charts_people import (
    CATEGORY_COLORS,
    HOUR_BINS,
    category_trend,
    communities,
    hour_bins,
    hours_distribution,
    person_history,
    rejects_by_reason,
    type_trend,
)
from dashboard.charts_units import (
    compliance_grid,
    quota_attainment,
)
from kernel import formatting

__all__ = [
    "CATEGORY_COLORS",
    "DISTRICT_PALETTE",
    "FONT_FAMILY",
    "HOURS_COLOR",
    "HOUR_BINS",
    "MUTED_COLOR",
    "PERSON_TIMES_COLOR",
    "TYPE_PALETTE",
    "UNKNOWN_COLOR",
    "VOLUNTEERS_COLOR",
    "add_note",
    "category_trend",
    "communities",
    "compliance_grid",
    "district_colors",
    "district_heatmap",
    "district_ranking",
    "hour_bins",
    "hours_by_category",
    "hours_by_district",
    "hours_distribution",
    "metric_axis",
    "metric_labels",
    "metric_values",
    "month_grid",
    "monthly_trend",
    "participation",
    "person_history",
    "quota_attainment",
    "rejects_by_reason",
    "type_colors",
    "type_trend",
    "value_axis",
    "year_over_year",
]


def monthly_trend(frame: pd.DataFrame, lang: str = i18n.DEFAULT_LANGUAGE) -> go.Figure:
    """Hours as bars (left axis) and person-times and volunteers as lines (right axis).

    ``frame``: one row per month, in order, with ``month`` (YYYY-MM), ``total_minutes``,
    ``hours``, ``person_times`` and ``volunteers`` (as ``queries.monthly`` returns it).
    """
    figure = _base_layout(go.Figure(), i18n.t("chart.monthly.title", lang))
    if frame.empty:
        return _no_data(figure, lang)
    months = [formatting.format_month(str(month), lang) for month in frame["month"]]
    figure.add_trace(
        go.Bar(
            x=months,
            y=frame["hours"].tolist(),
            name=i18n.t("chart.monthly.hours", lang),
            marker_color=HOURS_COLOR,
            **column_text(frame["hours"], _hour_labels(frame["total_minutes"], lang), len(months)),
            hovertemplate="%{x}<br>%{fullData.name}: %{text}<extra></extra>",
        )
    )
    for column, key, color in (
        ("person_times", "chart.monthly.person_times", PERSON_TIMES_COLOR),
        ("volunteers", "chart.monthly.volunteers", VOLUNTEERS_COLOR),
    ):
        figure.add_trace(
            go.Scatter(
                x=months,
                y=[int(value) for value in frame[column]],
                name=i18n.t(key, lang),
                mode="lines+markers",
                yaxis="y2",
                line={"color": color},
                customdata=[formatting.format_count(int(value), lang) for value in frame[column]],
                hovertemplate="%{x}<br>%{fullData.name}: %{customdata}<extra></extra>",
            )
        )
    # the bars in the lower half, the lines in the upper half: a bar's label never sits
    # under a line's marker (each axis labelled from 0 to its largest value only)
    hours_max = _max(frame["hours"]) or 1.0
    people_max = _max([*frame["person_times"], *frame["volunteers"]]) or 1.0
    figure.update_layout(
        xaxis=columns_axis(months, i18n.t("chart.month_axis", lang)),
        yaxis={
            "title": {"text": i18n.t("unit.hours_axis", lang)},
            "range": [0, hours_max * 2.1],
            **positive_axis(hours_max, lang),
        },
        yaxis2={
            "title": {"text": i18n.t("unit.people_axis", lang)},
            "overlaying": "y",
            "side": "right",
            "automargin": True,
            "range": [-people_max * 1.15, people_max * 1.1],
            "showgrid": False,
            **positive_axis(people_max, lang),
        },
        legend=LEGEND_BELOW,
    )
    return figure


def hours_by_district(
    frame: pd.DataFrame,
    lang: str = i18n.DEFAULT_LANGUAGE,
    colors: Mapping[str, str] | None = None,
) -> go.Figure:
    """Hours per district, largest first, each bar in its district's colour.

    ``frame``: ``district_code``, ``district_name``, ``total_minutes``, ``hours``;
    ``colors``: ``district_colors`` of every district (default: of the frame's).
    """
    ordered = _largest_first(frame, "district_code")
    labels = _district_labels(ordered, lang)
    palette = colors if colors is not None else district_colors(frame["district_code"])
    bar_colors = [palette.get(str(code), UNKNOWN_COLOR) for code in ordered["district_code"]]
    return _horizontal_hours(
        labels, ordered, i18n.t("chart.by_district.title", lang), lang, bar_colors
    )


def hours_by_category(frame: pd.DataFrame, lang: str = i18n.DEFAULT_LANGUAGE) -> go.Figure:
    """Hours per activity category, largest first.

    ``frame``: ``activity_category``, ``total_minutes``, ``hours``.
    """
    ordered = _largest_first(frame, "activity_category")
    labels = [
        escape.plotly(i18n.category_label(str(code), lang)) for code in ordered["activity_category"]
    ]
    return _horizontal_hours(
        labels, ordered, i18n.t("chart.by_category.title", lang), lang, PERSON_TIMES_COLOR
    )
