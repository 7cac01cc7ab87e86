"""总览 (overview): headline tiles with their change against the previous period (活动场次
among them), the event summaries' own figures (另据活动汇总表) apart from the
person-level ones, the monthly trend, the activity-category mix, and the top and
bottom districts.

Every figure comes from ``dashboard.queries`` (the published snapshot's pre-aggregated
marts, distinct counts from the finest grain), every chart from ``dashboard.charts``,
every label from ``dashboard.i18n``; the sidebar filters from ``dashboard.filters``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import changes, charts, event_figures, i18n, layout, queries
from kernel import formatting

TOP = 3  # districts in each of the top and bottom lists


def _events_tile(
    events: queries.EventFigures | None, before: queries.EventFigures | None, lang: str
) -> tuple[str, str, str | None]:
    """活动场次, logs and summaries together; "—" when a person type is chosen."""
    if events is None or before is None:
        return ("kpi.events_held", event_figures.EMPTY, None)
    return (
        "kpi.events_held",
        formatting.format_count(events.events_held, lang),
        changes.change(events.events_held, before.events_held, before.events_held > 0),
    )


def _tiles(
    figures: queries.Kpis,
    before: queries.Kpis,
    events: tuple[queries.EventFigures | None, queries.EventFigures | None],
    lang: str,
) -> None:
    earlier = before.has_activity  # else every change is "—", not a jump from nothing
    tiles = (
        (
            "kpi.total_hours",
            formatting.format_hours(figures.total_minutes, lang),
            changes.change(figures.total_minutes, before.total_minutes, earlier),
        ),
        (
            "kpi.person_times",
            formatting.format_count(figures.person_times, lang),
            changes.change(figures.person_times, before.person_times, earlier),
        ),
        (
            "kpi.volunteers",
            formatting.format_count(figures.volunteers, lang),
            changes.change(figures.volunteers, before.volunteers, earlier),
        ),
        (
            "kpi.participation",
            formatting.format_percent(figures.active_members, figures.roster_size),
            changes.points(
                (figures.active_members, figures.roster_size),
                (before.active_members, before.roster_size),
                earlier,
                lang,
            ),
        ),
        _events_tile(*events, lang),
    )
    for column, (key, value, delta) in zip(st.columns(len(tiles)), tiles, strict=True):
        column.metric(
            i18n.t(key, lang),
            value,
            delta=delta,
            **(changes.metric_style(delta) if delta is not None else {}),
            help=i18n.t(f"{key}.help", lang),
            border=True,
        )


def _district_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            i18n.t("table.district", lang): [
                i18n.district_label(str(c), n, lang)
                for c, n in zip(frame["district_code"], frame["district_name"], strict=True)
            ],
            i18n.t("table.hours", lang): [
                formatting.table_hours(int(m)) for m in frame["total_minutes"]
            ],
            i18n.t("table.person_times", lang): [
                formatting.table_count(int(v)) for v in frame["person_times"]
            ],
            i18n.t("table.volunteers", lang): [
                formatting.table_count(int(v)) for v in frame["volunteers"]
            ],
        }
    )


def top_and_bottom(frame: pd.DataFrame, count: int = TOP) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The known districts with the most and the fewest hours (ties by code)."""
    known = frame[frame["district_code"] != "unknown"]
    ranked = known.sort_values(
        ["total_minutes", "district_code"], ascending=[False, True], kind="stable"
    )
    bottom = known.sort_values(
        ["total_minutes", "district_code"], ascending=[True, True], kind="stable"
    )
    return ranked.head(count), bottom.head(count)


def render(snapshot: queries.Snapshot, filters: queries.Filters, lang: str) -> None:
    scope = layout.scope()
    previous = filters.previous()
    figures = queries.kpis(snapshot, filters, scope=scope)
    events = queries.event_totals(snapshot, filters, scope=scope)
    events_before = queries.event_totals(snapshot, previous, scope=scope)
    _tiles(figures, queries.kpis(snapshot, previous, scope=scope), (events, events_before), lang)
    st.caption(
        i18n.t(
            "overview.compared_with",
            lang,
            period=formatting.format_period(previous.month_from, previous.month_to, lang),
        )
    )
    st.caption(
        i18n.t(
            "overview.participation_detail",
            lang,
            active=formatting.format_count(figures.active_members, lang),
            roster=formatting.format_count(figures.roster_size, lang),
        )
    )
    if figures.pending_sessions:
        st.caption(
            i18n.t(
                "overview.pending",
                lang,
                pending=formatting.format_count(figures.pending_sessions, lang),
            )
        )
    # the event summaries' own figures, apart from (never added into) the ones above
    st.caption(event_figures.summary_sentence(events, lang))

    layout.chart(
        charts.monthly_trend(queries.monthly(snapshot, filters, scope=scope), lang),
        "overview.monthly",
        snapshot,
        lang,
    )
    # colours from every district (not only those in scope), so each keeps its own
    colors = charts.district_colors(queries.district_codes(snapshot))
    by_district = queries.by_district(snapshot, filters, scope=scope)
    left, right = st.columns(2)
    layout.chart(
        charts.hours_by_district(by_district, lang, colors),
        "overview.by_district",
        snapshot,
        lang,
        left,
    )
    layout.chart(
        charts.hours_by_category(queries.by_category(snapshot, filters, scope=scope), lang),
        "overview.by_category",
        snapshot,
        lang,
        right,
    )
    top, bottom = top_and_bottom(by_district)
    left, right = st.columns(2)
    left.subheader(i18n.t("overview.top", lang, count=TOP))
    layout.table(_district_table(top, lang), "overview.top", lang, left)
    right.subheader(i18n.t("overview.bottom", lang, count=TOP))
    layout.table(_district_table(bottom, lang), "overview.bottom", lang, right)


layout.run_page(render, "overview.title")
