"""What every chart shares: fonts, colours (one per district, on every page), the
value axis, the title and the empty state, hour labels and the "data as of" note."""

from __future__ import annotations

import colorsys
import csv
import math
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

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


# One colour per activity type (Kelly's colours of maximum contrast, then Tableau hues):
# the seed's types take them in the seed's order (seeds/activity_types.csv), types an
# inbox adds take the next ones in code order, so no two types of a chart share one.
TYPE_PALETTE = (
    "#0067a5",
    "#e25822",
    "#008856",
    "#be0032",
    "#875692",
    "#f3c300",
    "#a1caf1",
    "#654522",
    "#8db600",
    "#e68fac",
    "#604e97",
    "#f38400",
    "#2b3d26",
    "#c2b280",
    "#b3446c",
    "#17becf",
    "#882d17",
    "#f99379",
    "#dcd300",
    "#1f77b4",
    "#9467bd",
    "#2ca02c",
)
SEED_TYPES = Path(__file__).resolve().parent.parent / "seeds" / "activity_types.csv"

# Sizes: text never under MIN_TEXT_SIZE px (bar labels that would need smaller type are
# left out: Plotly's uniformtext "hide"), a category row ROW_HEIGHT px high, so a chart
# with many rows grows to label every one; CHROME_HEIGHT is what title, note, axis
# title and margins take.
TEXT_SIZE = 12
MIN_TEXT_SIZE = 10
ROW_HEIGHT = 28
CHROME_HEIGHT = 200
DEFAULT_HEIGHT = 450
# The width a full-width chart's plot area has at the least (a 1,280 px screen with the
# sidebar open), to decide which cell labels fit; a narrower cell is left unlabelled.
PLOT_WIDTH = 760


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


# the legend right of the plot, its top on the plot's top: outside the plot, under the
# title and its note, never over them (Plotly widens the right margin to hold it)
LEGEND_RIGHT = {
    "orientation": "v",
    "x": 1.02,
    "xanchor": "left",
    "y": 1.0,
    "yanchor": "top",
    "font": {"size": TEXT_SIZE},
}

# a chart whose right side holds an axis: the legend in one row under the plot, in the
# figure's bottom margin (below the x axis' title), outside the plot as well
LEGEND_BELOW = {
    "orientation": "h",
    "x": 0,
    "xanchor": "left",
    "yref": "container",
    "y": 0,
    "yanchor": "bottom",
    "font": {"size": TEXT_SIZE},
}


def _base_layout(figure: go.Figure, title: str) -> go.Figure:
    figure.update_layout(
        title={"text": title},
        font={"family": FONT_FAMILY, "size": TEXT_SIZE},
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        legend=LEGEND_RIGHT,
        uniformtext={"minsize": MIN_TEXT_SIZE, "mode": "hide"},
        # margins grow to hold the tick labels, so an axis title never sits on them
        # (Plotly's own default, and Streamlit's template's, do not)
        xaxis={"automargin": True},
        yaxis={"automargin": True},
        hovermode="closest",
    )
    return figure


def rows_height(rows: int) -> int:
    """A chart's height for ``rows`` category rows: ROW_HEIGHT each, never under
    Plotly's default."""
    return max(DEFAULT_HEIGHT, CHROME_HEIGHT + rows * ROW_HEIGHT)


def every_row(labels: Sequence[str]) -> dict:
    """A category axis (rows top-down) with a tick label on every row: Plotly drops
    every other label when it thinks they crowd; the chart's height (``rows_height``)
    gives them the room."""
    return {
        "autorange": "reversed",
        "type": "category",
        "tickmode": "array",
        "tickvals": list(labels),
        "ticktext": list(labels),
        "automargin": True,
        "tickfont": {"size": TEXT_SIZE},
    }


def columns_axis(
    labels: Sequence[str], title: str | None = None, width: float = PLOT_WIDTH
) -> dict:
    """A category axis of columns (months, districts) whose labels stand upright when
    one does not fit its column's width: slanted labels' boxes would overlap."""
    column = width / max(len(labels), 1)
    axis: dict = {
        "type": "category",
        "tickangle": 0 if fits(labels, column) else -90,
        "automargin": True,
    }
    if title is not None:
        axis["title"] = {"text": title}
    return axis


# A bar's label: inside the bar when it fits there at TEXT_SIZE or more, else past the
# bar's end at full size; one that fits neither way (``uniformtext``) is left out. A bar
# of 0 (or of no value) has its label past its end too: Plotly's "auto" would draw
# none, and a 0 would look like missing data.
_TEXT_STYLE = {"textfont": {"size": TEXT_SIZE}, "constraintext": "inside", "cliponaxis": False}


def bar_text(values: Iterable[float | None], texts: Iterable[str]) -> dict:
    """The text properties of a bar trace: ``texts`` on the bars of ``values``."""
    positions = ["outside" if v is None or pd.isna(v) or v == 0 else "auto" for v in values]
    return {"text": list(texts), "textposition": positions, **_TEXT_STYLE}


def column_text(
    values: Iterable[float | None],
    texts: Iterable[str],
    columns: int,
    bars: int = 1,
    width: float = PLOT_WIDTH,
) -> dict:
    """``bar_text`` of upright bars, ``bars`` side by side in each of ``columns``
    columns: the labels stand upright when one is wider than its bar, so the labels
    of neighbouring bars (past a short bar's top) never meet."""
    shown = bar_text(values, texts)
    bar = width / max(columns, 1) * 0.8 / bars
    if not fits(shown["text"], bar):  # else Plotly's own angle
        shown["textangle"] = -90
    return shown


def legend_height(entries: int) -> int:
    """A chart's height whose plot holds a legend of ``entries`` rows at its right."""
    return max(DEFAULT_HEIGHT, CHROME_HEIGHT + entries * 21)


def unique_labels(labels: Sequence[str], codes: Sequence[str]) -> list[str]:
    """``labels``, a repeated one followed by its row's code (``第一党支部 (B0412)``): a
    category axis draws equal labels as one row, so two units of one name would share
    a row and one of them would go unlabelled."""
    seen: dict[str, int] = {}
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
    return [
        f"{label} ({code})" if seen[label] > 1 else label
        for label, code in zip(labels, codes, strict=True)
    ]


def positive_axis(maximum: float, lang: str, ticks: int = 5) -> dict:
    """Tick values and labels from 0 to ``maximum`` only (written as ``value_axis``
    writes them), for an axis whose range reaches below 0 to lift its drawing."""
    step = _nice_step(maximum / ticks) if maximum > 0 else 1
    values = [step * i for i in range(math.ceil(maximum / step) + 1)]  # to the first >= max
    return {
        "tickmode": "array",
        "tickvals": values,
        "ticktext": [formatting.format_count(round(v), lang) for v in values],
    }


def text_width(text: str, size: float = TEXT_SIZE) -> float:
    """About how wide ``text`` is drawn at ``size`` px: a CJK glyph is as wide as the
    type is high, a Latin glyph or digit about 0.62 of it."""
    return sum(size if ord(ch) >= 0x2E80 else 0.62 * size for ch in text)


def fits(labels: Iterable[str], width: float, size: float = TEXT_SIZE) -> bool:
    """Whether every label is drawn in ``width`` px at ``size`` px, with a little air."""
    return all(text_width(label, size) + 4 <= width for label in labels)


def month_grid(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` (YYYY-MM), both included."""
    year, month = int(first[:4]), int(first[5:7])
    end = (int(last[:4]), int(last[5:7]))
    months = []
    while (year, month) <= end:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


@cache
def _seed_type_order() -> tuple[str, ...]:
    try:
        with SEED_TYPES.open(encoding="utf-8", newline="") as seed:
            return tuple(row["activity_type_code"] for row in csv.DictReader(seed))
    except OSError:
        return ()


def _extra_color(index: int) -> str:
    """A colour past the palette's end: hues a golden angle apart, never repeating."""
    hue = (index * 137.508) % 360
    lightness = 0.45 if index % 2 else 0.6
    red, green, blue = (round(255 * c) for c in colorsys.hls_to_rgb(hue / 360, lightness, 0.55))
    return f"#{red:02x}{green:02x}{blue:02x}"


def type_colors(codes: Iterable[str]) -> dict[str, str]:
    """A distinct colour per activity type code: the seed's types in the seed's order
    (each keeps its colour whatever the snapshot adds), then the other codes given, in
    code order. Pass every type of the snapshot."""
    seeded = _seed_type_order()
    extra = sorted({str(code) for code in codes} - set(seeded))
    colors = {}
    for index, code in enumerate((*seeded, *extra)):
        colors[code] = TYPE_PALETTE[index] if index < len(TYPE_PALETTE) else _extra_color(index)
    return colors


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
            **bar_text(frame["hours"], _hour_labels(frame["total_minutes"], lang)),
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    figure.update_layout(
        xaxis={
            "title": {"text": i18n.t("unit.hours_axis", lang)},
            "rangemode": "tozero",
            **value_axis(_max(frame["hours"]), lang),
        },
        yaxis=every_row(labels),
        height=rows_height(len(labels)),
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
