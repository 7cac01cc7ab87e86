"""The people and activities pages' charts: the hours distribution, monthly stacks
(one person, categories, types), communities served and rejects by reason."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from dashboard import escape, i18n
from dashboard.chart_style import (
    HOURS_COLOR,
    VOLUNTEERS_COLOR,
    _base_layout,
    _horizontal_hours,
    _largest_first,
    _max,
    _no_data,
    bar_text,
    column_text,
    columns_axis,
    every_row,
    legend_height,
    month_grid,
    rows_height,
    type_colors,
    value_axis,
)
from kernel import formatting

# Hours per volunteer in the period: [lower, upper) in hours; the last bin is open.
HOUR_BINS = (0, 2, 5, 10, 20, 50)


def hour_bins(frame: pd.DataFrame) -> pd.DataFrame:
    """Volunteers per bin of hours (``HOUR_BINS``), every bin present, from whole
    minutes (exact edges: 120 minutes is in [2, 5)). ``frame``: ``queries.person_hours``."""
    edges = [edge * 60 for edge in HOUR_BINS]
    counts = [0] * len(edges)
    for minutes in frame["total_minutes"]:
        index = max(i for i, edge in enumerate(edges) if int(minutes) >= edge)
        counts[index] += 1
    lowers = list(HOUR_BINS)
    uppers: list[int | None] = [*HOUR_BINS[1:], None]
    return pd.DataFrame({"lower": lowers, "upper": uppers, "volunteers": counts})


def hours_distribution(frame: pd.DataFrame, lang: str = i18n.DEFAULT_LANGUAGE) -> go.Figure:
    """How many volunteers gave how many hours in the period (``hour_bins``)."""
    figure = _base_layout(go.Figure(), i18n.t("chart.distribution.title", lang))
    if frame.empty:
        return _no_data(figure, lang)
    bins = hour_bins(frame)
    labels = [
        i18n.t("chart.distribution.bin", lang, lower=int(lo), upper=int(up))
        if up is not None and not pd.isna(up)
        else i18n.t("chart.distribution.open_bin", lang, lower=int(lo))
        for lo, up in zip(bins["lower"], bins["upper"], strict=True)
    ]
    figure.add_trace(
        go.Bar(
            x=labels,
            y=[int(v) for v in bins["volunteers"]],
            marker_color=VOLUNTEERS_COLOR,
            **column_text(
                bins["volunteers"],
                [formatting.format_count(int(v), lang) for v in bins["volunteers"]],
                len(labels),
            ),
            hovertemplate="%{x}: %{text}<extra></extra>",
        )
    )
    figure.update_layout(
        xaxis=columns_axis(labels, i18n.t("chart.distribution.axis", lang)),
        yaxis={
            "title": {"text": i18n.t("unit.people_count_axis", lang)},
            "rangemode": "tozero",
            **value_axis(_max(bins["volunteers"]), lang),
        },
        showlegend=False,
    )
    return figure


def _stacked_months(
    frame: pd.DataFrame,
    key: str,
    labels: Mapping[str, str],
    colors: Mapping[str, str],
    title: str,
    lang: str,
    months: list[str] | None = None,
) -> go.Figure:
    """Hours per month stacked by ``key``; ``frame`` has ``month``, ``key``,
    ``total_minutes``. Every month of ``months`` (default: from the frame's first
    month to its last) is drawn, 0 where the frame has none, so a gap reads as a gap."""
    figure = _base_layout(go.Figure(), title)
    if frame.empty:
        return _no_data(figure, lang)
    found = sorted({str(m) for m in frame["month"]})
    months = sorted({*month_grid(found[0], found[-1]), *(months or [])})
    grouped = frame.groupby(["month", key], as_index=False)["total_minutes"].sum()
    totals = grouped.groupby(key)["total_minutes"].sum().sort_values(ascending=False)
    shown = [formatting.format_month(m, lang) for m in months]
    for code in sorted(totals.index, key=lambda c: (-int(totals[c]), str(c))):
        part = grouped[grouped[key] == code].set_index("month")["total_minutes"]
        minutes = [int(part.get(m, 0)) for m in months]
        figure.add_trace(
            go.Bar(
                x=shown,
                y=[m / 60 for m in minutes],
                name=escape.plotly(labels.get(str(code), str(code))),
                marker_color=colors.get(str(code)),
                customdata=[formatting.format_hours(m, lang) for m in minutes],
                hovertemplate="%{x}<br>%{fullData.name}: %{customdata}<extra></extra>",
            )
        )
    figure.update_layout(
        barmode="stack",
        showlegend=True,  # one category too: the legend names it
        xaxis=columns_axis(shown, i18n.t("chart.month_axis", lang)),
        height=legend_height(len(totals)),
        yaxis={
            "title": {"text": i18n.t("unit.hours_axis", lang)},
            "rangemode": "tozero",
            **value_axis(_max(grouped.groupby("month")["total_minutes"].sum() / 60), lang),
        },
    )
    return figure


CATEGORY_COLORS = {
    "volunteer_service": "#c0392b",
    "organizational_life": "#2c7fb8",
    "study_training": "#e69f00",
    "other": "#8c8c8c",
}


def person_history(frame: pd.DataFrame, lang: str = i18n.DEFAULT_LANGUAGE) -> go.Figure:
    """One person's hours per month, stacked by category (``queries.person_history``),
    every month from their first to their last (0 in a month without activity)."""
    labels = {code: i18n.category_label(code, lang) for code in CATEGORY_COLORS}
    return _stacked_months(
        frame,
        "activity_category",
        labels,
        CATEGORY_COLORS,
        i18n.t("chart.person_history.title", lang),
        lang,
    )


def category_trend(
    frame: pd.DataFrame,
    lang: str = i18n.DEFAULT_LANGUAGE,
    months: list[str] | None = None,
) -> go.Figure:
    """Hours per month stacked by activity category (``queries.type_months``), every
    month of ``months`` (the period's: ``month_grid``) drawn, 0 where nothing was done."""
    labels = {code: i18n.category_label(code, lang) for code in CATEGORY_COLORS}
    return _stacked_months(
        frame,
        "activity_category",
        labels,
        CATEGORY_COLORS,
        i18n.t("chart.category_trend.title", lang),
        lang,
        months,
    )


def type_trend(
    frame: pd.DataFrame,
    type_names: Mapping[str, str],
    lang: str = i18n.DEFAULT_LANGUAGE,
    months: list[str] | None = None,
) -> go.Figure:
    """Hours per month stacked by activity type (``queries.type_months``), each type in
    its own colour (``type_colors`` of every type in ``type_names``: the snapshot's),
    every month of ``months`` drawn, the legend right of the plot."""
    return _stacked_months(
        frame,
        "activity_type_code",
        type_names,
        type_colors(type_names),
        i18n.t("chart.type_trend.title", lang),
        lang,
        months,
    )


def communities(frame: pd.DataFrame, lang: str = i18n.DEFAULT_LANGUAGE) -> go.Figure:
    """Hours per 双报到 community served, largest first (``queries.communities``)."""
    ordered = _largest_first(frame, "community")
    return _horizontal_hours(
        [escape.plotly(c) for c in ordered["community"]],
        ordered,
        i18n.t("chart.communities.title", lang),
        lang,
        HOURS_COLOR,
    )


def rejects_by_reason(frame: pd.DataFrame, lang: str = i18n.DEFAULT_LANGUAGE) -> go.Figure:
    """Rejected rows per reason code over every file (``queries.data_quality`` rejects)."""
    figure = _base_layout(go.Figure(), i18n.t("chart.rejects.title", lang))
    if frame.empty:
        return _no_data(figure, lang)
    totals = frame.groupby("reason_code", as_index=False)["rejected_rows"].sum()
    totals = totals.sort_values(["rejected_rows", "reason_code"], ascending=[False, True])
    reasons = [escape.plotly(i18n.reason_label(str(code), lang)) for code in totals["reason_code"]]
    figure.add_trace(
        go.Bar(
            x=[int(v) for v in totals["rejected_rows"]],
            y=reasons,
            orientation="h",
            marker_color=HOURS_COLOR,
            **bar_text(
                totals["rejected_rows"],
                [formatting.format_count(int(v), lang) for v in totals["rejected_rows"]],
            ),
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    figure.update_layout(
        xaxis={
            "title": {"text": i18n.t("unit.rows_axis", lang)},
            "rangemode": "tozero",
            "tickformat": ",~r",
        },
        yaxis=every_row(reasons),
        height=rows_height(len(reasons)),
        showlegend=False,
    )
    return figure
