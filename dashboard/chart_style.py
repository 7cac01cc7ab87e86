"""What every chart shares: fonts, colours (one per district, on every page), the
value axis, the title and the empty state, hour labels and the "data as of" note."""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go

from dashboard import escape, i18n
from kernel import formatting

# Fonts that carry Chinese glyphs first (Debian: fonts-noto-cjk, fonts-wqy-microhei).
FONT_FAMILY = "Noto Sans CJK SC, WenQuanYi Micro Hei, Microsoft YaHei, sans-serif"
HOURS_COLOR = "#c0392b"
PERSON_TIMES_COLOR = "#2c7fb8"
VOLUNTEERS_COLOR = "#e69f00"
MUTED_COLOR = "#b0b7bf"
UNKNOWN_COLOR = "#8c8c8c"
# One colour per district, given in code order, so a district keeps its colour on every
# chart and page whatever the filters show (Okabe-Ito and Tableau hues, colour-blind
# friendly first); `unknown` is always grey.
DISTRICT_PALETTE = (
    "#0072b2",
    "#d55e00",
    "#009e73",
    "#cc79a7",
    "#e69f00",
    "#56b4e9",
    "#8c564b",
    "#f0e442",
    "#17becf",
    "#9467bd",
    "#bcbd22",
    "#7f7f7f",
)


def _nice_step(rough: float) -> float:
    """The round step (1, 2 or 5 times a power of ten) at or above ``rough``; no 2.5, whose
    multiples would not read exactly in 万 with one decimal (12,500 is not 1.3万)."""
    power = 10 ** math.floor(math.log10(rough))
    for factor in (1, 2, 5, 10):
        if rough <= factor * power:
            return factor * power
    return 10 * power


def value_axis(maximum: float, lang: str) -> dict:
    """Tick labels written as the page writes numbers: plotly would label 150,000 as
    150k; in Chinese from 10,000 on the ticks read 15万 (``i18n.format_count``), in
    English 150,000."""
    if lang != "zh" or maximum < 10_000:
        return {"tickformat": ",~r"}
    step = _nice_step(maximum / 5)
    ticks = [step * i for i in range(int(maximum // step) + 2)]
    return {
        "tickmode": "array",
        "tickvals": ticks,
        "ticktext": [formatting.format_count(round(v), lang) for v in ticks],
    }


def _max(values) -> float:
    numbers = [float(v) for v in values if v is not None and not pd.isna(v)]
    return max(numbers, default=0.0)


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
    return [formatting.format_hours(int(value), lang) for value in minutes]


def _horizontal_hours(
    labels: list[str], frame: pd.DataFrame, title: str, lang: str, color: str | list[str]
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
        xaxis={
            "title": {"text": i18n.t("unit.hours_axis", lang)},
            "rangemode": "tozero",
            **value_axis(_max(frame["hours"]), lang),
        },
        yaxis={"autorange": "reversed", "type": "category"},
        showlegend=False,
    )
    return figure


def _largest_first(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    return frame.sort_values(["total_minutes", key], ascending=[False, True], kind="stable")


# -- shared pieces ------------------------------------------------------------------


def district_colors(codes: Iterable[str]) -> dict[str, str]:
    """A colour per district code: the palette in code order, ``unknown`` grey.

    Pass every district of the snapshot (not only the ones on show) so a district
    keeps its colour whatever the filters pick.
    """
    known = sorted({str(code) for code in codes} - {"unknown"})
    colors = {code: DISTRICT_PALETTE[i % len(DISTRICT_PALETTE)] for i, code in enumerate(known)}
    colors["unknown"] = UNKNOWN_COLOR
    return colors


def add_note(figure: go.Figure, note: str) -> go.Figure:
    """``figure`` itself, given ``note`` (the "data as of" line) as its subtitle, so it
    is printed and downloaded with the chart. ``layout.chart`` passes the figure a
    page built for that one drawing: copying it first cost a second validation of
    every trace, the larger part of a page's script run."""
    figure.update_layout(
        title={"subtitle": {"text": note, "font": {"size": 11, "color": "#666666"}}},
        margin={"t": 110},
    )
    return figure


def _district_labels(frame: pd.DataFrame, lang: str) -> list[str]:
    """Each row's district as a chart shows it (escaped for Plotly)."""
    return [
        escape.plotly(i18n.district_label(str(code), name, lang))
        for code, name in zip(frame["district_code"], frame["district_name"], strict=True)
    ]
