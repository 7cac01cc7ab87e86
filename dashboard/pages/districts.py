"""区域 (districts): a ranking on any metric, a district x month heatmap, this period
against the same months last year, and participation against the roster.

Each district keeps its colour (``charts.district_colors`` over every district of the
snapshot); every figure is computed per district from the finest grain.
"""

from __future__ import annotations

import streamlit as st

from dashboard import charts, i18n, layout, queries
from kernel import catalog, formatting

METRIC_KEY = "districts.metric"
HEATMAP_KEY = "districts.heatmap_metric"
DEFAULT_METRIC = "total_hours"


def render(snapshot: queries.Snapshot, filters: queries.Filters, lang: str) -> None:
    scope = layout.scope()
    # colours from every district (not only those in scope), so each keeps its own
    colors = charts.district_colors(queries.district_codes(snapshot))
    by_district = queries.by_district(snapshot, filters, scope=scope)

    # the ranking offers every metric of the catalog the marts can serve, in the
    # catalog's order, total hours preselected
    ranked = {m.key: m for m in queries.served()}
    keys = list(ranked)
    metric = st.selectbox(
        i18n.t("districts.metric", lang),
        options=keys,
        index=keys.index(DEFAULT_METRIC) if DEFAULT_METRIC in ranked else 0,
        format_func=lambda key: ranked[key].label(lang),
        key=METRIC_KEY,
    )
    layout.chart(
        charts.district_ranking(by_district, ranked[metric], lang, colors),
        "districts.ranking",
        snapshot,
        lang,
    )

    heatmap_metric = st.radio(
        i18n.t("districts.heatmap_metric", lang),
        options=list(queries.ACTIVITY),
        format_func=lambda key: catalog.label(key, lang),
        key=HEATMAP_KEY,
        horizontal=True,
    )
    layout.chart(
        charts.district_heatmap(
            queries.district_months(snapshot, filters, scope=scope), heatmap_metric, lang
        ),
        "districts.heatmap",
        snapshot,
        lang,
    )

    last_year = filters.last_year()
    st.caption(
        i18n.t(
            "districts.yoy_caption",
            lang,
            period=formatting.format_period(filters.month_from, filters.month_to, lang),
            last_year=formatting.format_period(last_year.month_from, last_year.month_to, lang),
        )
    )
    left, right = st.columns(2)
    layout.chart(
        charts.year_over_year(
            by_district, queries.by_district(snapshot, last_year, scope=scope), lang, colors
        ),
        "districts.yoy",
        snapshot,
        lang,
        left,
    )
    layout.chart(
        charts.participation(by_district, lang, colors),
        "districts.participation",
        snapshot,
        lang,
        right,
    )


layout.run_page(render, "districts.title")
