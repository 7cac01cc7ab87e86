"""Chart builders: pure functions from a query's DataFrame to a plotly Figure.

They read nothing but their arguments (no Streamlit, no snapshot), so tests call them
directly. Every title, axis and trace name comes from the translation table in
``lang``; bar labels are the exact figures formatted as the tiles format them. A name
from data (a district, a unit, a community, an activity type) goes in through
``escape.plotly``, so Plotly shows it as text, never as a tag of its HTML subset.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

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
                customdata=[formatting.format_count(int(value), lang) for value in frame[column]],
                hovertemplate="%{x}<br>%{fullData.name}: %{customdata}<extra></extra>",
            )
        )
    figure.update_layout(
        xaxis={"title": {"text": i18n.t("chart.month_axis", lang)}, "type": "category"},
        yaxis={
            "title": {"text": i18n.t("unit.hours_axis", lang)},
            "rangemode": "tozero",
            **value_axis(_max(frame["hours"]), lang),
        },
        yaxis2={
            "title": {"text": i18n.t("unit.people_axis", lang)},
            "overlaying": "y",
            "side": "right",
            "tickmode": "auto",  # its own ticks, not the hours axis' grid
            "rangemode": "tozero",
            "showgrid": False,
            **value_axis(_max([*frame["person_times"], *frame["volunteers"]]), lang),
        },
    )
    return figure


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
    every trace, the larger part of a page's script run (issue 16, item 7)."""
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


# -- districts ----------------------------------------------------------------------


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


# -- units --------------------------------------------------------------------------

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
    rows, texts = [], []
    for code in units["org_code"]:
        statuses = part[part["org_code"] == code].set_index("period")["compliance_status"]
        row = [_STATUS_VALUE.get(str(statuses.get(p))) for p in periods]
        rows.append(row)
        texts.append(
            [
                i18n.t(f"compliance.{statuses.get(p)}", lang) if p in statuses else ""
                for p in periods
            ]
        )
    labels = [
        escape.plotly(names.get(str(code), str(n)))
        for code, n in zip(units["org_code"], units["org_name"], strict=True)
    ]
    figure.add_trace(
        go.Heatmap(
            z=rows,
            x=[i18n.format_period_code(p, lang) for p in periods],
            y=labels,
            text=texts,
            texttemplate="%{text}",
            zmin=0,
            zmax=1,
            colorscale=_STATUS_SCALE,
            showscale=False,
            xgap=2,
            ygap=2,
            hovertemplate="%{y} %{x}: %{text}<extra></extra>",
        )
    )
    figure.update_layout(
        xaxis={"title": {"text": i18n.t("chart.period_axis", lang)}, "type": "category"},
        yaxis={"autorange": "reversed", "type": "category"},
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
    figure.add_trace(
        go.Bar(
            x=[m * 100 / s for m, s in zip(met, scope, strict=True)],
            y=labels,
            orientation="h",
            marker_color=PERSON_TIMES_COLOR,
            text=[
                i18n.t(
                    "chart.quota.label",
                    lang,
                    rate=formatting.format_percent(m, s),
                    met=formatting.format_count(m, lang),
                    total=formatting.format_count(s, lang),
                )
                for m, s in zip(met, scope, strict=True)
            ],
            textposition="auto",
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    figure.update_layout(
        xaxis={"title": {"text": i18n.t("unit.percent_axis", lang)}, "range": [0, 100]},
        yaxis={"autorange": "reversed", "type": "category"},
        showlegend=False,
    )
    return figure


# -- people -------------------------------------------------------------------------

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
            text=[formatting.format_count(int(v), lang) for v in bins["volunteers"]],
            textposition="auto",
            hovertemplate="%{x}: %{text}<extra></extra>",
        )
    )
    figure.update_layout(
        xaxis={"title": {"text": i18n.t("chart.distribution.axis", lang)}, "type": "category"},
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
) -> go.Figure:
    """Hours per month stacked by ``key``; ``frame`` has ``month``, ``key``,
    ``total_minutes``. Months are those of the frame, in order."""
    figure = _base_layout(go.Figure(), title)
    if frame.empty:
        return _no_data(figure, lang)
    months = sorted({str(m) for m in frame["month"]})
    grouped = frame.groupby(["month", key], as_index=False)["total_minutes"].sum()
    totals = grouped.groupby(key)["total_minutes"].sum().sort_values(ascending=False)
    for code in sorted(totals.index, key=lambda c: (-int(totals[c]), str(c))):
        part = grouped[grouped[key] == code].set_index("month")["total_minutes"]
        minutes = [int(part.get(m, 0)) for m in months]
        figure.add_trace(
            go.Bar(
                x=[formatting.format_month(m, lang) for m in months],
                y=[m / 60 for m in minutes],
                name=escape.plotly(labels.get(str(code), str(code))),
                marker_color=colors.get(str(code)),
                customdata=[formatting.format_hours(m, lang) for m in minutes],
                hovertemplate="%{x}<br>%{fullData.name}: %{customdata}<extra></extra>",
            )
        )
    figure.update_layout(
        barmode="stack",
        xaxis={"title": {"text": i18n.t("chart.month_axis", lang)}, "type": "category"},
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
    """One person's hours per month, stacked by category (``queries.person_history``)."""
    labels = {code: i18n.category_label(code, lang) for code in CATEGORY_COLORS}
    return _stacked_months(
        frame,
        "activity_category",
        labels,
        CATEGORY_COLORS,
        i18n.t("chart.person_history.title", lang),
        lang,
    )


def category_trend(frame: pd.DataFrame, lang: str = i18n.DEFAULT_LANGUAGE) -> go.Figure:
    """Hours per month stacked by activity category (``queries.type_months``)."""
    labels = {code: i18n.category_label(code, lang) for code in CATEGORY_COLORS}
    return _stacked_months(
        frame,
        "activity_category",
        labels,
        CATEGORY_COLORS,
        i18n.t("chart.category_trend.title", lang),
        lang,
    )


_TYPE_PALETTE = (*DISTRICT_PALETTE, "#e377c2", "#2ca02c", "#ff7f0e", "#1f77b4", "#d62728")


def type_trend(
    frame: pd.DataFrame,
    type_names: Mapping[str, str],
    lang: str = i18n.DEFAULT_LANGUAGE,
) -> go.Figure:
    """Hours per month stacked by activity type (``queries.type_months``); a type keeps
    its colour by its place in ``type_names`` (every type of the snapshot, in order)."""
    colors = {
        code: _TYPE_PALETTE[i % len(_TYPE_PALETTE)] for i, code in enumerate(sorted(type_names))
    }
    return _stacked_months(
        frame,
        "activity_type_code",
        type_names,
        colors,
        i18n.t("chart.type_trend.title", lang),
        lang,
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
    figure.add_trace(
        go.Bar(
            x=[int(v) for v in totals["rejected_rows"]],
            y=[escape.plotly(i18n.reason_label(str(code), lang)) for code in totals["reason_code"]],
            orientation="h",
            marker_color=HOURS_COLOR,
            text=[formatting.format_count(int(v), lang) for v in totals["rejected_rows"]],
            textposition="auto",
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    figure.update_layout(
        xaxis={
            "title": {"text": i18n.t("unit.rows_axis", lang)},
            "rangemode": "tozero",
            "tickformat": ",~r",
        },
        yaxis={"autorange": "reversed", "type": "category"},
        showlegend=False,
    )
    return figure
