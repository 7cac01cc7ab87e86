"""The districts page's charts: rankings on any district metric, the district x month
heatmap, this period against last year, and participation."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n
from dashboard.chart_style import (
    MUTED_COLOR,
    UNKNOWN_COLOR,
    _base_layout,
    _district_labels,
    _max,
    _no_data,
    district_colors,
    value_axis,
)
from kernel import formatting

# The district metrics a ranking can sort on: key -> (label key, unit key).
METRICS = ("hours", "person_times", "volunteers", "participation", "avg_hours")


def metric_values(frame: pd.DataFrame, metric: str) -> list[float | None]:
    """The value of ``metric`` for each row of a ``queries.by_district`` frame: exact
    ratios from the counts of the row (None where the denominator is 0)."""
    if metric == "hours":
        return [int(m) / 60 for m in frame["total_minutes"]]
    if metric in ("person_times", "volunteers"):
        return [float(int(v)) for v in frame[metric]]
    if metric == "participation":
        return [
            (int(a) / int(r) if int(r) else None)
            for a, r in zip(frame["active_members"], frame["roster_size"], strict=True)
        ]
    if metric == "avg_hours":
        return [
            (int(m) / 60 / int(v) if int(v) else None)
            for m, v in zip(frame["total_minutes"], frame["volunteers"], strict=True)
        ]
    raise ValueError(f"no metric {metric!r}: one of {', '.join(METRICS)}")


def metric_labels(frame: pd.DataFrame, metric: str, lang: str) -> list[str]:
    """The exact figures of ``metric_values`` as the tiles write them."""
    if metric == "hours":
        return [formatting.format_hours(int(m), lang) for m in frame["total_minutes"]]
    if metric in ("person_times", "volunteers"):
        return [formatting.format_count(int(v), lang) for v in frame[metric]]
    if metric == "participation":
        return [
            formatting.format_percent(int(a), int(r))
            for a, r in zip(frame["active_members"], frame["roster_size"], strict=True)
        ]
    if metric == "avg_hours":
        return [
            formatting.format_ratio_hours(int(m), int(v))
            for m, v in zip(frame["total_minutes"], frame["volunteers"], strict=True)
        ]
    raise ValueError(f"no metric {metric!r}: one of {', '.join(METRICS)}")


def _metric_axis(metric: str, lang: str) -> str:
    return i18n.t(f"metric.{metric}.axis", lang)


def district_ranking(
    frame: pd.DataFrame,
    metric: str,
    lang: str = i18n.DEFAULT_LANGUAGE,
    colors: Mapping[str, str] | None = None,
) -> go.Figure:
    """Districts ranked on ``metric`` (``METRICS``), best at the top; a district whose
    figure is empty (a ratio over 0) goes last. ``frame``: ``queries.by_district``."""
    if metric not in METRICS:
        raise ValueError(f"no metric {metric!r}: one of {', '.join(METRICS)}")
    title = i18n.t("chart.ranking.title", lang, metric=i18n.t(f"metric.{metric}", lang))
    figure = _base_layout(go.Figure(), title)
    if frame.empty:
        return _no_data(figure, lang)
    ranked = frame.assign(
        _value=metric_values(frame, metric), _label=metric_labels(frame, metric, lang)
    )
    ranked = ranked.assign(_missing=ranked["_value"].isna()).sort_values(
        ["_missing", "_value", "district_code"], ascending=[True, False, True], kind="stable"
    )
    palette = colors if colors is not None else district_colors(frame["district_code"])
    values = [None if pd.isna(v) else float(v) for v in ranked["_value"]]
    if metric == "participation":
        values = [None if v is None else v * 100 for v in values]
    figure.add_trace(
        go.Bar(
            x=values,
            y=_district_labels(ranked, lang),
            orientation="h",
            marker_color=[palette.get(str(c), UNKNOWN_COLOR) for c in ranked["district_code"]],
            text=list(ranked["_label"]),
            textposition="auto",
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    figure.update_layout(
        xaxis={
            "title": {"text": _metric_axis(metric, lang)},
            "rangemode": "tozero",
            **(value_axis(_max(values), lang) if metric != "participation" else {}),
        },
        yaxis={"autorange": "reversed", "type": "category"},
        showlegend=False,
    )
    return figure


_HEATMAP_METRICS = ("hours", "person_times", "volunteers")


def district_heatmap(
    frame: pd.DataFrame, metric: str, lang: str = i18n.DEFAULT_LANGUAGE
) -> go.Figure:
    """District x month, coloured by ``metric`` (hours, person_times or volunteers).
    ``frame``: ``queries.district_months`` (every district for every month)."""
    if metric not in _HEATMAP_METRICS:
        raise ValueError(f"no heatmap of {metric!r}: one of {', '.join(_HEATMAP_METRICS)}")
    title = i18n.t("chart.heatmap.title", lang, metric=i18n.t(f"metric.{metric}", lang))
    figure = _base_layout(go.Figure(), title)
    if frame.empty:
        return _no_data(figure, lang)
    months = sorted({str(m) for m in frame["month"]})
    districts = frame.drop_duplicates("district_code").sort_values("district_code")
    rows, texts = [], []
    for code in districts["district_code"]:
        part = frame[frame["district_code"] == code].set_index("month")
        row, text = [], []
        for month in months:
            if metric == "hours":
                minutes = int(part.loc[month, "total_minutes"])
                row.append(minutes / 60)
                text.append(formatting.format_hours(minutes, lang))
            else:
                value = int(part.loc[month, metric])
                row.append(value)
                text.append(formatting.format_count(value, lang))
        rows.append(row)
        texts.append(text)
    figure.add_trace(
        go.Heatmap(
            z=rows,
            x=[formatting.format_month(m, lang) for m in months],
            y=_district_labels(districts, lang),
            text=texts,
            texttemplate="%{text}",
            colorscale="Reds",
            colorbar={"title": {"text": _metric_axis(metric, lang)}},
            hovertemplate="%{y} %{x}: %{text}<extra></extra>",
        )
    )
    figure.update_layout(
        xaxis={"title": {"text": i18n.t("chart.month_axis", lang)}, "type": "category"},
        yaxis={"autorange": "reversed", "type": "category"},
    )
    return figure


def year_over_year(
    current: pd.DataFrame,
    last_year: pd.DataFrame,
    lang: str = i18n.DEFAULT_LANGUAGE,
    colors: Mapping[str, str] | None = None,
) -> go.Figure:
    """Hours per district in the period (district colours) against the same months a
    year earlier (grey). Both frames: ``queries.by_district``."""
    figure = _base_layout(go.Figure(), i18n.t("chart.yoy.title", lang))
    if current.empty:
        return _no_data(figure, lang)
    ordered = current.sort_values("district_code", kind="stable")
    earlier = last_year.set_index("district_code")["total_minutes"].to_dict()
    labels = _district_labels(ordered, lang)
    palette = colors if colors is not None else district_colors(current["district_code"])
    before = [int(earlier.get(code, 0)) for code in ordered["district_code"]]
    figure.add_trace(
        go.Bar(
            x=labels,
            y=[m / 60 for m in before],
            name=i18n.t("chart.yoy.last_year", lang),
            marker_color=MUTED_COLOR,
            text=[formatting.format_hours(m, lang) for m in before],
            textposition="auto",
            hovertemplate="%{x}<br>%{fullData.name}: %{text}<extra></extra>",
        )
    )
    figure.add_trace(
        go.Bar(
            x=labels,
            y=[int(m) / 60 for m in ordered["total_minutes"]],
            name=i18n.t("chart.yoy.this_period", lang),
            marker_color=[palette.get(str(c), UNKNOWN_COLOR) for c in ordered["district_code"]],
            text=[formatting.format_hours(int(m), lang) for m in ordered["total_minutes"]],
            textposition="auto",
            hovertemplate="%{x}<br>%{fullData.name}: %{text}<extra></extra>",
        )
    )
    figure.update_layout(
        barmode="group",
        xaxis={"type": "category"},
        yaxis={
            "title": {"text": i18n.t("unit.hours_axis", lang)},
            "rangemode": "tozero",
            **value_axis(_max([m / 60 for m in [*before, *ordered["total_minutes"]]]), lang),
        },
    )
    return figure


def participation(
    frame: pd.DataFrame,
    lang: str = i18n.DEFAULT_LANGUAGE,
    colors: Mapping[str, str] | None = None,
) -> go.Figure:
    """Roster size (grey) against active members (district colours) per district, the
    rate on the bar. ``frame``: ``queries.by_district``."""
    figure = _base_layout(go.Figure(), i18n.t("chart.participation.title", lang))
    if frame.empty:
        return _no_data(figure, lang)
    ordered = frame.sort_values("district_code", kind="stable")
    labels = _district_labels(ordered, lang)
    palette = colors if colors is not None else district_colors(frame["district_code"])
    figure.add_trace(
        go.Bar(
            x=labels,
            y=[int(v) for v in ordered["roster_size"]],
            name=i18n.t("chart.participation.roster", lang),
            marker_color=MUTED_COLOR,
            text=[formatting.format_count(int(v), lang) for v in ordered["roster_size"]],
            textposition="auto",
        )
    )
    figure.add_trace(
        go.Bar(
            x=labels,
            y=[int(v) for v in ordered["active_members"]],
            name=i18n.t("chart.participation.active", lang),
            marker_color=[palette.get(str(c), UNKNOWN_COLOR) for c in ordered["district_code"]],
            text=[
                formatting.format_percent(int(a), int(r))
                for a, r in zip(ordered["active_members"], ordered["roster_size"], strict=True)
            ],
            textposition="auto",
        )
    )
    figure.update_layout(
        barmode="group",
        xaxis={"type": "category"},
        yaxis={
            "title": {"text": i18n.t("unit.people_count_axis", lang)},
            "rangemode": "tozero",
            **value_axis(_max(ordered["roster_size"]), lang),
        },
    )
    return figure
