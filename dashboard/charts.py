"""Chart builders: pure functions from a query's DataFrame to a plotly Figure.

They read nothing but their arguments (no Streamlit, no snapshot), so tests call them
directly. Every title, axis and trace name comes from the translation table in
``lang``; bar labels are the exact figures formatted as the tiles format them.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n

# Fonts that carry Chinese glyphs first (Debian: fonts-noto-cjk, fonts-wqy-microhei).
FONT_FAMILY = "Noto Sans CJK SC, WenQuanYi Micro Hei, Microsoft YaHei, sans-serif"
HOURS_COLOR = "#c0392b"
PERSON_TIMES_COLOR = "#2c7fb8"
VOLUNTEERS_COLOR = "#e69f00"


def _base_layout(figure: go.Figure, title: str) -> go.Figure:
    figure.update_layout(
        title={"text": title},
        font={"family": FONT_FAMILY},
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
        hovermode="closest",
    )
    return figure


def _no_data(figure: go.Figure, lang: str) -> go.Figure:
    figure.add_annotation(
        text=i18n.t("chart.no_data", lang),
        showarrow=False,
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
    )
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return figure


def _hour_labels(minutes: pd.Series, lang: str) -> list[str]:
    return [i18n.format_hours(int(value), lang) for value in minutes]


def monthly_trend(frame: pd.DataFrame, lang: str = i18n.DEFAULT_LANGUAGE) -> go.Figure:
    """Hours as bars (left axis) and person-times and volunteers as lines (right axis).

    ``frame``: one row per month, in order, with ``month`` (YYYY-MM), ``total_minutes``,
    ``hours``, ``person_times`` and ``volunteers`` (as ``queries.monthly`` returns it).
    """
    figure = _base_layout(go.Figure(), i18n.t("chart.monthly.title", lang))
    if frame.empty:
        return _no_data(figure, lang)
    months = [i18n.format_month(str(month), lang) for month in frame["month"]]
    figure.add_trace(
        go.Bar(
            x=months,
            y=frame["hours"].tolist(),
            name=i18n.t("chart.monthly.hours", lang),
            marker_color=HOURS_COLOR,
            text=_hour_labels(frame["total_minutes"], lang),
            textposition="auto",
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
                customdata=[i18n.format_count(int(value), lang) for value in frame[column]],
                hovertemplate="%{x}<br>%{fullData.name}: %{customdata}<extra></extra>",
            )
        )
    figure.update_layout(
        xaxis={"title": {"text": i18n.t("chart.month_axis", lang)}, "type": "category"},
        yaxis={"title": {"text": i18n.t("unit.hours_axis", lang)}, "rangemode": "tozero"},
        yaxis2={
            "title": {"text": i18n.t("unit.people_axis", lang)},
            "overlaying": "y",
            "side": "right",
            "tickmode": "auto",  # its own ticks, not the hours axis' grid
            "tickformat": ",~r",
            "rangemode": "tozero",
            "showgrid": False,
        },
    )
    return figure


def _horizontal_hours(
    labels: list[str], frame: pd.DataFrame, title: str, lang: str, color: str
) -> go.Figure:
    """Bars of hours, largest at the top."""
    figure = _base_layout(go.Figure(), title)
    if frame.empty:
        return _no_data(figure, lang)
    figure.add_trace(
        go.Bar(
            x=frame["hours"].tolist(),
            y=labels,
            orientation="h",
            name=i18n.t("unit.hours_axis", lang),
            marker_color=color,
            text=_hour_labels(frame["total_minutes"], lang),
            textposition="auto",
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    figure.update_layout(
        xaxis={"title": {"text": i18n.t("unit.hours_axis", lang)}, "rangemode": "tozero"},
        yaxis={"autorange": "reversed", "type": "category"},
        showlegend=False,
    )
    return figure


def _largest_first(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    return frame.sort_values(["total_minutes", key], ascending=[False, True], kind="stable")


def hours_by_district(frame: pd.DataFrame, lang: str = i18n.DEFAULT_LANGUAGE) -> go.Figure:
    """Hours per district, largest first.

    ``frame``: ``district_code``, ``district_name``, ``total_minutes``, ``hours``.
    """
    ordered = _largest_first(frame, "district_code")
    labels = [
        i18n.district_label(str(code), name, lang)
        for code, name in zip(ordered["district_code"], ordered["district_name"], strict=True)
    ]
    return _horizontal_hours(
        labels, ordered, i18n.t("chart.by_district.title", lang), lang, HOURS_COLOR
    )


def hours_by_category(frame: pd.DataFrame, lang: str = i18n.DEFAULT_LANGUAGE) -> go.Figure:
    """Hours per activity category, largest first.

    ``frame``: ``activity_category``, ``total_minutes``, ``hours``.
    """
    ordered = _largest_first(frame, "activity_category")
    labels = [i18n.category_label(str(code), lang) for code in ordered["activity_category"]]
    return _horizontal_hours(
        labels, ordered, i18n.t("chart.by_category.title", lang), lang, PERSON_TIMES_COLOR
    )
