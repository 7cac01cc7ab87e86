"""The units page's charts: branch compliance per period and quota attainment."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from dashboard import escape, i18n
from dashboard.chart_style import (
    PERSON_TIMES_COLOR,
    PLOT_WIDTH,
    TEXT_SIZE,
    _base_layout,
    _no_data,
    bar_text,
    columns_axis,
    every_row,
    fits,
    rows_height,
    unique_labels,
)
from kernel import formatting

# met 1, in progress 0.5, missed 0; a discrete scale so each status has one colour
_STATUS_VALUE = {"met": 1.0, "in_progress": 0.5, "missed": 0.0}
_STATUS_SCALE = [
    [0.0, "#d73027"],
    [0.33, "#d73027"],
    [0.33, "#fee08b"],
    [0.66, "#fee08b"],
    [0.66, "#1a9850"],
    [1.0, "#1a9850"],
]
_STATUS_COLOR = {"met": "#1a9850", "in_progress": "#fee08b", "missed": "#d73027"}
# what a cell too narrow for the status' word shows (the legend spells the words out)
_STATUS_MARK = {"met": "✓", "in_progress": "…", "missed": "✗"}
_CELL_GAP = 2


def compliance_grid(
    frame: pd.DataFrame,
    activity_type_code: str,
    lang: str = i18n.DEFAULT_LANGUAGE,
    unit_names: Mapping[str, str] | None = None,
) -> go.Figure:
    """Unit x period for one required activity (党员活动日, 支委会 …): met (green),
    missed (red), in progress (yellow). ``frame``: ``queries.compliance``."""
    name = i18n.t(f"activity.{activity_type_code}", lang)
    figure = _base_layout(go.Figure(), i18n.t("chart.compliance.title", lang, activity=name))
    part = frame[frame["activity_type_code"] == activity_type_code]
    if part.empty:
        return _no_data(figure, lang)
    periods = sorted({str(p) for p in part["period"]})
    units = part.drop_duplicates("org_code").sort_values(["district_code", "org_code"])
    names = unit_names or {}
    words = {status: i18n.t(f"compliance.{status}", lang) for status in _STATUS_VALUE}
    # the status' word in each cell if every word fits the narrowest cell, else its mark
    cell = PLOT_WIDTH / len(periods) - _CELL_GAP
    shown = words if fits(words.values(), cell) else _STATUS_MARK
    rows, texts, hovers = [], [], []
    for code in units["org_code"]:
        statuses = part[part["org_code"] == code].set_index("period")["compliance_status"]
        found = [str(statuses.get(p)) if p in statuses else None for p in periods]
        rows.append([_STATUS_VALUE.get(str(status)) for status in found])
        texts.append([shown.get(str(status), "") for status in found])
        hovers.append([words.get(str(status), "") for status in found])
    labels = unique_labels(
        [
            escape.plotly(names.get(str(code), str(n)))
            for code, n in zip(units["org_code"], units["org_name"], strict=True)
        ],
        [escape.plotly(str(code)) for code in units["org_code"]],
    )
    columns = [i18n.format_period_code(p, lang) for p in periods]
    figure.add_trace(
        go.Heatmap(
            z=rows,
            x=columns,
            y=labels,
            text=texts,
            texttemplate="%{text}",
            textfont={"size": TEXT_SIZE},
            customdata=hovers,
            zmin=0,
            zmax=1,
            colorscale=_STATUS_SCALE,
            showscale=False,
            xgap=_CELL_GAP,
            ygap=_CELL_GAP,
            hovertemplate="%{y} %{x}: %{customdata}<extra></extra>",
        )
    )
    for status in ("met", "in_progress", "missed"):  # the legend: what each colour says
        figure.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={"symbol": "square", "size": 12, "color": _STATUS_COLOR[status]},
                name=f"{_STATUS_MARK[status]} {words[status]}",
                hoverinfo="skip",
            )
        )
    figure.update_layout(
        xaxis=columns_axis(columns, i18n.t("chart.period_axis", lang)),
        yaxis=every_row(labels),
        height=rows_height(len(labels)),
        showlegend=True,
    )
    return figure


def quota_attainment(frame: pd.DataFrame, lang: str = i18n.DEFAULT_LANGUAGE) -> go.Figure:
    """Share of the people a quota applies to who met it, per district, year and quota.
    ``frame``: ``queries.quota`` (rows with nobody in scope are left out)."""
    figure = _base_layout(go.Figure(), i18n.t("chart.quota.title", lang))
    part = frame[frame["people_in_scope"] > 0]
    if part.empty:
        return _no_data(figure, lang)
    ordered = part.sort_values(["district_code", "year", "quota_code"], kind="stable")
    labels = [
        i18n.t(
            "chart.quota.row",
            lang,
            district=escape.plotly(i18n.district_label(str(code), name, lang)),
            year=int(year),
            quota=escape.plotly(i18n.quota_label(str(quota), lang)),
        )
        for code, name, year, quota in zip(
            ordered["district_code"],
            ordered["district_name"],
            ordered["year"],
            ordered["quota_code"],
            strict=True,
        )
    ]
    met = [int(v) for v in ordered["people_meeting"]]
    scope = [int(v) for v in ordered["people_in_scope"]]
    rates = [m * 100 / s for m, s in zip(met, scope, strict=True)]
    texts = [
        i18n.t(
            "chart.quota.label",
            lang,
            rate=formatting.format_percent(m, s),
            met=formatting.format_count(m, lang),
            total=formatting.format_count(s, lang),
        )
        for m, s in zip(met, scope, strict=True)
    ]
    figure.add_trace(
        go.Bar(
            x=rates,
            y=labels,
            orientation="h",
            marker_color=PERSON_TIMES_COLOR,
            # a 0 % row shows its label at 0, past the bar it does not have
            **bar_text(rates, texts),
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    figure.update_layout(
        xaxis={"title": {"text": i18n.t("unit.percent_axis", lang)}, "range": [0, 100]},
        yaxis=every_row(labels),
        height=rows_height(len(labels)),
        showlegend=False,
    )
    return figure
