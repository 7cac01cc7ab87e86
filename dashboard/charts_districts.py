"""The districts page's charts: rankings on any metric of the catalog, the district x
month heatmap, this period against last year, and participation.

A metric's figures are made from its kind, unit and decimals (``kernel.catalog``), so
a metric the catalog adds ranks here as soon as the frame holds its inputs."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n
from dashboard.chart_style import (
    LEGEND_BELOW,
    MUTED_COLOR,
    PLOT_WIDTH,
    TEXT_SIZE,
    UNKNOWN_COLOR,
    _base_layout,
    _district_labels,
    _max,
    _no_data,
    bar_text,
    columns_axis,
    district_colors,
    every_row,
    fits,
    rows_height,
    value_axis,
)
from kernel import catalog, formatting
from kernel.catalog import Metric


def _resolved(metric: str | Metric) -> Metric:
    """``metric`` itself, or the project catalog's metric of that key."""
    if isinstance(metric, Metric):
        return metric
    try:
        return catalog.metric(metric)
    except KeyError as error:
        raise ValueError(error.args[0]) from None


def _exact(frame: pd.DataFrame, metric: Metric) -> list[tuple[int, int]]:
    """Each row's value of ``metric`` as (numerator, denominator) of exact counts and
    minutes: minutes over 60 for hours, a ratio's inputs (its denominator scaled), a
    count over 1."""
    missing = [c for c in metric.inputs if c not in frame.columns]
    if missing:
        raise ValueError(f"metric {metric.key}: the frame has no column {', '.join(missing)}")
    if metric.kind == "additive_minutes":
        return [(int(m), 60) for m in frame[metric.minutes or ""]]
    if metric.kind == "ratio":
        scale = metric.denominator_scale
        pairs = zip(frame[metric.numerator or ""], frame[metric.denominator or ""], strict=True)
        return [(int(n), int(d) * scale) for n, d in pairs]
    return [(int(v), 1) for v in frame[metric.key]]


def metric_values(frame: pd.DataFrame, metric: str | Metric) -> list[float | None]:
    """The value of ``metric`` (a catalog key or a ``Metric``) for each row of a frame
    holding its inputs (``queries.by_district``): exact ratios from the counts of the
    row, None where the denominator is 0."""
    return [n / d if d else None for n, d in _exact(frame, _resolved(metric))]


def metric_labels(frame: pd.DataFrame, metric: str | Metric, lang: str) -> list[str]:
    """The figures of ``metric_values`` as the tiles write them, rounded once: hours
    from the minutes, shares in percent with one decimal, other ratios with the
    metric's decimals, counts in 万 in Chinese; ``—`` for an empty ratio."""
    found = _resolved(metric)
    exact = _exact(frame, found)
    if found.kind == "additive_minutes":
        return [formatting.format_hours(n, lang, found.decimals) for n, _ in exact]
    if found.unit == "share":
        return [formatting.format_percent(n, d) for n, d in exact]
    if found.kind == "ratio":
        return [formatting.format_ratio(n, d, found.decimals) for n, d in exact]
    return [formatting.format_count(n, lang) for n, _ in exact]


def metric_axis(metric: Metric, lang: str) -> str:
    """An axis title for ``metric``: its name, with ``(%)`` for a share (drawn x 100);
    the catalog's names of hours and counts already say their unit."""
    if metric.unit == "share":
        return i18n.t("unit.share_axis", lang, metric=metric.label(lang))
    return metric.label(lang)


def _shown(values: list[float | None], metric: Metric) -> list[float | None]:
    """Values as the axis draws them: shares x 100."""
    if metric.unit != "share":
        return values
    return [None if v is None else v * 100 for v in values]


def district_ranking(
    frame: pd.DataFrame,
    metric: str | Metric,
    lang: str = i18n.DEFAULT_LANGUAGE,
    colors: Mapping[str, str] | None = None,
) -> go.Figure:
    """Districts ranked on ``metric`` (a catalog key or a ``Metric`` whose inputs
    ``frame`` holds), best at the top; a district whose figure is empty (a ratio over
    0) goes last. ``frame``: ``queries.by_district``."""
    found = _resolved(metric)
    title = i18n.t("chart.ranking.title", lang, metric=found.label(lang))
    figure = _base_layout(go.Figure(), title)
    if frame.empty:
        return _no_data(figure, lang)
    ranked = frame.assign(
        _value=metric_values(frame, found), _label=metric_labels(frame, found, lang)
    )
    ranked = ranked.assign(_missing=ranked["_value"].isna()).sort_values(
        ["_missing", "_value", "district_code"], ascending=[True, False, True], kind="stable"
    )
    palette = colors if colors is not None else district_colors(frame["district_code"])
    values = _shown([None if pd.isna(v) else float(v) for v in ranked["_value"]], found)
    figure.add_trace(
        go.Bar(
            x=values,
            y=_district_labels(ranked, lang),
            orientation="h",
            marker_color=[palette.get(str(c), UNKNOWN_COLOR) for c in ranked["district_code"]],
            **bar_text(values, ranked["_label"]),
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    labels = _district_labels(ranked, lang)
    figure.update_layout(
        xaxis={
            "title": {"text": metric_axis(found, lang)},
            "rangemode": "tozero",
            **(value_axis(_max(values), lang) if found.unit != "share" else {}),
        },
        yaxis=every_row(labels),
        height=rows_height(len(labels)),
        showlegend=False,
    )
    return figure


def district_heatmap(
    frame: pd.DataFrame, metric: str | Metric, lang: str = i18n.DEFAULT_LANGUAGE
) -> go.Figure:
    """District x month, coloured by ``metric`` (a catalog key or a ``Metric`` whose
    inputs ``frame`` holds; the page offers ``queries.ACTIVITY``: hours, person-times,
    volunteers). ``frame``: ``queries.district_months`` (every district, every month)."""
    found = _resolved(metric)
    title = i18n.t("chart.heatmap.title", lang, metric=found.label(lang))
    figure = _base_layout(go.Figure(), title)
    if frame.empty:
        return _no_data(figure, lang)
    months = sorted({str(m) for m in frame["month"]})
    districts = frame.drop_duplicates("district_code").sort_values("district_code")
    # each cell by (district, month): one pass over the frame, not a lookup per cell
    cells = list(zip(frame["district_code"], (str(m) for m in frame["month"]), strict=True))
    value_of = dict(zip(cells, _shown(metric_values(frame, found), found), strict=True))
    label_of = dict(zip(cells, metric_labels(frame, found, lang), strict=True))
    rows, texts = [], []
    for code in districts["district_code"]:
        values = [value_of[(code, month)] for month in months]
        rows.append([None if v is None or pd.isna(v) else v for v in values])
        texts.append([str(label_of[(code, month)]) for month in months])
    labels = _district_labels(districts, lang)
    # each cell's figure when every one fits its cell (left of the colour bar), else none
    cell = (PLOT_WIDTH - 80) / len(months)
    shown = fits((text for row in texts for text in row), cell)
    figure.add_trace(
        go.Heatmap(
            z=rows,
            x=[formatting.format_month(m, lang) for m in months],
            y=labels,
            text=texts,
            texttemplate="%{text}" if shown else "",
            textfont={"size": TEXT_SIZE},
            colorscale="Reds",
            colorbar={"title": {"text": metric_axis(found, lang)}},
            hovertemplate="%{y} %{x}: %{text}<extra></extra>",
        )
    )
    figure.update_layout(
        xaxis=columns_axis(
            [formatting.format_month(m, lang) for m in months],
            i18n.t("chart.month_axis", lang),
            PLOT_WIDTH - 80,
        ),
        yaxis=every_row(labels),
        height=rows_height(len(labels)),
    )
    return figure


def _paired_rows(
    figure: go.Figure,
    labels: list[str],
    pairs: list[tuple[str, str | list[str], list[float], list[str]]],
    axis_title: str,
    axis: dict,
) -> go.Figure:
    """Two bars per district row (``pairs``: name, colour, values, labels), the first
    on top: rows, not columns, so every district is labelled and each bar's label has
    the row's width whatever the chart's (the districts page draws two side by side)."""
    for name, color, values, texts in pairs:
        figure.add_trace(
            go.Bar(
                x=values,
                y=labels,
                orientation="h",
                name=name,
                marker_color=color,
                **bar_text(values, texts),
                hovertemplate="%{y}<br>%{fullData.name}: %{text}<extra></extra>",
            )
        )
    figure.update_layout(
        barmode="group",
        xaxis={"title": {"text": axis_title}, "rangemode": "tozero", **axis},
        yaxis=every_row(labels),
        height=rows_height(2 * len(labels)),
        legend=LEGEND_BELOW,
    )
    return figure


def year_over_year(
    current: pd.DataFrame,
    last_year: pd.DataFrame,
    lang: str = i18n.DEFAULT_LANGUAGE,
    colors: Mapping[str, str] | None = None,
) -> go.Figure:
    """Hours per district in the period (district colours) against the same months a
    year earlier (grey), a row per district. Both frames: ``queries.by_district``."""
    figure = _base_layout(go.Figure(), i18n.t("chart.yoy.title", lang))
    if current.empty:
        return _no_data(figure, lang)
    ordered = current.sort_values("district_code", kind="stable")
    earlier = last_year.set_index("district_code")["total_minutes"].to_dict()
    palette = colors if colors is not None else district_colors(current["district_code"])
    before = [int(earlier.get(code, 0)) for code in ordered["district_code"]]
    now = [int(m) for m in ordered["total_minutes"]]
    return _paired_rows(
        figure,
        _district_labels(ordered, lang),
        [
            (
                i18n.t("chart.yoy.this_period", lang),
                [palette.get(str(c), UNKNOWN_COLOR) for c in ordered["district_code"]],
                [m / 60 for m in now],
                [formatting.format_hours(m, lang) for m in now],
            ),
            (
                i18n.t("chart.yoy.last_year", lang),
                MUTED_COLOR,
                [m / 60 for m in before],
                [formatting.format_hours(m, lang) for m in before],
            ),
        ],
        i18n.t("unit.hours_axis", lang),
        value_axis(_max([m / 60 for m in [*before, *now]]), lang),
    )


def participation(
    frame: pd.DataFrame,
    lang: str = i18n.DEFAULT_LANGUAGE,
    colors: Mapping[str, str] | None = None,
) -> go.Figure:
    """Active members (district colours, the rate on the bar) against the roster size
    (grey), a row per district. ``frame``: ``queries.by_district``."""
    figure = _base_layout(go.Figure(), i18n.t("chart.participation.title", lang))
    if frame.empty:
        return _no_data(figure, lang)
    ordered = frame.sort_values("district_code", kind="stable")
    palette = colors if colors is not None else district_colors(frame["district_code"])
    active = [int(v) for v in ordered["active_members"]]
    roster = [int(v) for v in ordered["roster_size"]]
    return _paired_rows(
        figure,
        _district_labels(ordered, lang),
        [
            (
                i18n.t("chart.participation.active", lang),
                [palette.get(str(c), UNKNOWN_COLOR) for c in ordered["district_code"]],
                [float(v) for v in active],
                [formatting.format_percent(a, r) for a, r in zip(active, roster, strict=True)],
            ),
            (
                i18n.t("chart.participation.roster", lang),
                MUTED_COLOR,
                [float(v) for v in roster],
                [formatting.format_count(v, lang) for v in roster],
            ),
        ],
        i18n.t("unit.people_count_axis", lang),
        value_axis(_max(roster), lang),
    )
