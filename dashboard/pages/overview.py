"""总览 (overview): the headline figures, the monthly trend and hours by district and
by activity category, for a range of months and a choice of districts (sidebar).

Every figure comes from ``dashboard.queries`` (the published snapshot, computed from
the finest grain), every chart from ``dashboard.charts``, every label from
``dashboard.i18n``.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from dashboard import charts, i18n, queries
from publish.snapshot import NoSnapshot

MONTHS_KEY = "overview.months"
DISTRICTS_KEY = "overview.districts"
DEFAULT_MONTHS = 12  # the range opens on the last 12 months with data (or all of them)
PLOTLY_CONFIG = {"displaylogo": False}


def _month_range(months: Sequence[str], lang: str) -> tuple[str, str]:
    """The sidebar's range of months; the whole of one month when there is only one."""
    if len(months) == 1:
        st.caption(i18n.t("filters.single_month", lang, month=i18n.format_month(months[0], lang)))
        return months[0], months[0]
    chosen = st.session_state.get(MONTHS_KEY)
    if chosen is not None and not all(month in months for month in chosen):
        del st.session_state[MONTHS_KEY]  # a rebuild changed the months on offer
    first, last = st.select_slider(
        i18n.t("filters.months", lang),
        options=list(months),
        value=(months[max(0, len(months) - DEFAULT_MONTHS)], months[-1]),
        format_func=lambda month: i18n.format_month(month, lang),
        key=MONTHS_KEY,
    )
    return first, last


def _district_choice(districts: pd.DataFrame, lang: str) -> tuple[str, ...] | None:
    """The districts picked in the sidebar; None (all) when none is picked."""
    codes = [str(code) for code in districts["district_code"]]
    names = dict(zip(codes, districts["district_name"], strict=True))
    chosen = st.session_state.get(DISTRICTS_KEY)
    if chosen is not None and not all(code in codes for code in chosen):
        st.session_state[DISTRICTS_KEY] = [code for code in chosen if code in codes]
    picked = st.multiselect(
        i18n.t("filters.districts", lang),
        options=codes,
        format_func=lambda code: i18n.district_label(code, names[code], lang),
        placeholder=i18n.t("filters.districts.placeholder", lang),
        key=DISTRICTS_KEY,
    )
    return tuple(picked) or None


def _scope_caption(filters: queries.Filters, districts: pd.DataFrame, lang: str) -> str:
    if filters.districts is None:
        chosen = i18n.t("filters.all_districts", lang)
    else:
        names = dict(zip(districts["district_code"], districts["district_name"], strict=True))
        chosen = i18n.t("filters.list_separator", lang).join(
            i18n.district_label(code, names[code], lang) for code in filters.districts
        )
    period = i18n.format_period(filters.month_from, filters.month_to, lang)
    return i18n.t("overview.scope", lang, period=period, districts=chosen)


def _tiles(figures: queries.Kpis, lang: str) -> None:
    tiles = (
        (
            "kpi.total_hours",
            i18n.t("unit.hours", lang, value=i18n.format_hours(figures.total_minutes, lang)),
        ),
        ("kpi.person_times", i18n.format_count(figures.person_times, lang)),
        ("kpi.volunteers", i18n.format_count(figures.volunteers, lang)),
        (
            "kpi.participation",
            i18n.format_percent(figures.active_members, figures.roster_size, lang),
        ),
    )
    for column, (key, value) in zip(st.columns(len(tiles)), tiles, strict=True):
        column.metric(i18n.t(key, lang), value, help=i18n.t(f"{key}.help", lang), border=True)
    st.caption(
        i18n.t(
            "overview.participation_detail",
            lang,
            active=i18n.format_count(figures.active_members, lang),
            roster=i18n.format_count(figures.roster_size, lang),
        )
    )
    if figures.pending_sessions:
        st.caption(
            i18n.t(
                "overview.pending", lang, pending=i18n.format_count(figures.pending_sessions, lang)
            )
        )


def render(lang: str) -> None:
    """The page for one run: resolve the snapshot once and read everything from it."""
    st.title(i18n.t("overview.title", lang))
    snapshot = queries.current_snapshot()
    months = queries.available_months(snapshot)
    if not months:
        st.info(i18n.t("overview.no_data", lang))
        return
    districts = queries.districts(snapshot)
    with st.sidebar:
        st.header(i18n.t("filters.title", lang))
        month_from, month_to = _month_range(months, lang)
        chosen = _district_choice(districts, lang)
    filters = queries.Filters(month_from, month_to, chosen)

    st.caption(_scope_caption(filters, districts, lang))
    _tiles(queries.kpis(snapshot, filters), lang)

    st.plotly_chart(
        charts.monthly_trend(queries.monthly(snapshot, filters), lang),
        key="overview.monthly",
        config=PLOTLY_CONFIG,
    )
    left, right = st.columns(2)
    left.plotly_chart(
        charts.hours_by_district(queries.hours_by_district(snapshot, filters), lang),
        key="overview.by_district",
        config=PLOTLY_CONFIG,
    )
    right.plotly_chart(
        charts.hours_by_category(queries.hours_by_category(snapshot, filters), lang),
        key="overview.by_category",
        config=PLOTLY_CONFIG,
    )
    st.caption(
        i18n.t(
            "overview.snapshot",
            lang,
            as_of=snapshot.as_of[:16].replace("T", " "),
            built_at=snapshot.built_at[:16].replace("T", " "),
            digest=snapshot.digest[:12],
        )
    )


def main() -> None:
    lang = i18n.session_language(st.session_state)
    try:
        render(lang)
    except NoSnapshot:
        st.warning(i18n.t("snapshot.missing", lang), icon=":material/database:")
    except queries.SnapshotChanged:
        st.rerun()  # `make build` published a new snapshot mid-run: start again on it


main()
